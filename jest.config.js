/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/integration/'],
  // Stryker's sandboxes (copies of the project under .stryker-tmp) must not be seen as a second package; rootDir-
  // anchored, because inside a sandbox every path contains .stryker-tmp
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/', '<rootDir>/reports/'],
  testTimeout: 60000,
};
