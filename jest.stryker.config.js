const base = require('./jest.config.js');

/**
 * Jest as Stryker runs it (stryker.config.mjs): the project's config, with a file runner that skips the test files
 * in which no test covers the mutant (jest.stryker.runner.js). `npm test` does not use it.
 * @type {import('jest').Config}
 */
module.exports = {
  ...base,
  runner: '<rootDir>/jest.stryker.runner.js',
  // all of src/ in jest's module map: Stryker adds only the mutated file's folder to the roots, and
  // --findRelatedTests follows imports only through mapped files, so a module imported from another folder (the job's
  // stages via runScoringJob, the SQLite adapter via openStore) had no related tests at all and every mutant in it
  // "survived" with 0 tests run
  roots: ['<rootDir>/test', '<rootDir>/src'],
  // tests that read src/ as text (file shape, which TVPs and columns the adapter names, the functions the package
  // registers) cannot run on Stryker's instrumented copy of src/: every mutant's switch is in that text
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '<rootDir>/test/shape.test.ts',
    '<rootDir>/test/cli/shape.test.ts',
    '<rootDir>/test/infra/',
    '<rootDir>/test/azurePackage.test.ts',
    '<rootDir>/test/store/mssql/leastPrivilege.test.ts',
  ],
};
