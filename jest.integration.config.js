/** Integration suite against a real SQL Server: `npm run test:mssql` (needs MSSQL_TEST_CONNECTION_STRING). */
const base = require('./jest.config.js');
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  roots: ['<rootDir>/test/integration'],
  testTimeout: 300000,
};
