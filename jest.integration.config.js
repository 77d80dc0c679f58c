/** Integration suite against a real SQL Server: `npm run test:mssql` (needs MSSQL_TEST_CONNECTION_STRING). */
const base = require('./jest.config.js');

// Said here, once, in the main process: jest does not print the console output of test files whose tests were all
// skipped when it runs several files, so the suites' own warnings may not show. CI fails on this word.
if (!process.env.MSSQL_TEST_CONNECTION_STRING) {
  console.warn(
    'Azure SQL integration suite SKIPPED: set MSSQL_TEST_CONNECTION_STRING (see docker-compose.yml and docs/azure-sql.md)',
  );
}

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  roots: ['<rootDir>/test/integration'],
  testTimeout: 300000,
};
