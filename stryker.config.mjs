// @ts-check
/**
 * Mutation testing (issue 14): `npm run test:mutation`, never part of `npm test`. See docs/testing.md for the
 * scores, the run times and every surviving mutant. Scope a run while working, e.g.
 *   npm run test:mutation -- --mutate 'src/scoring/**\/*.ts'
 * Incremental: results of unchanged mutants and tests are reused from mutation/stryker-incremental.json.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // only the test files that import the mutated file run for it: runs take minutes, not hours
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/scoring/**/*.ts',
    'src/job/**/*.ts',
    'src/functions/**/*.ts',
    // the store: the shared row mapping and chunk builder, the SQLite adapter, the pure parts of the Azure SQL one
    'src/store/*.ts',
    'src/store/sqlite/**/*.ts',
    'src/store/mssql/{statements,tvp,mssqlKeysetReader,retry,poolConfig,mssqlScoreWriter,mssqlContext}.ts',
    // type-only modules and re-exports: nothing to mutate
    '!src/**/index.ts',
    '!src/store/leadStore.ts',
  ],
  // 2 shared cores: one test process at a time
  concurrency: 1,
  timeoutMS: 20000,
  incremental: true,
  incrementalFile: 'mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'coverage', '.data', 'bench/results', '.azure-package', 'reports', 'mutation'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 75, break: null },
};
