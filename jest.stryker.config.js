/**
 * Jest as Stryker runs it (stryker.config.mjs): the project's config, with a file runner that skips the test files
 * in which no test covers the mutant (jest.stryker.runner.js). `npm test` does not use it.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  runner: '<rootDir>/jest.stryker.runner.js',
};
