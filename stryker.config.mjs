// @ts-check
/**
 * Mutation testing (issue 14): `npm run test:mutation`, never part of `npm test`. See docs/testing.md for the
 * scores, the run times and every surviving mutant. One folder at a time (`MUTATION_SCOPE=job npm run
 * test:mutation`), or one file while working (`npm run test:mutation -- --mutate src/job/jobRun.ts
 * --incrementalFile /tmp/x.json`). Incremental: a scope's results of unchanged mutants and tests are reused from
 * mutation/<scope>.incremental.json (committed), and `npm run mutation:score` sums them up per folder.
 */
/** What is mutated, by folder: `MUTATION_SCOPE=functions npm run test:mutation` runs one (docs/testing.md). */
const SCOPES = {
  scoring: ['src/scoring/**/*.ts', '!src/scoring/**/index.ts'],
  job: ['src/job/**/*.ts', '!src/job/**/index.ts'],
  functions: ['src/functions/**/*.ts', '!src/functions/**/index.ts'],
  // the store: the shared row mapping and chunk builder, the SQLite adapter, the pure parts of the Azure SQL one
  // (type-only modules and re-exports: nothing to mutate)
  store: [
    'src/store/*.ts',
    'src/store/sqlite/**/*.ts',
    'src/store/mssql/{statements,tvp,mssqlKeysetReader,retry,poolConfig,mssqlScoreWriter,mssqlContext}.ts',
    '!src/store/**/index.ts',
    '!src/store/leadStore.ts',
  ],
};
const scope = process.env.MUTATION_SCOPE;
if (scope !== undefined && !(scope in SCOPES))
  throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPES).join(', ')}; got "${scope}"`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.stryker.config.js',
    // only the test files that import the mutated file run for it: runs take minutes, not hours
    enableFindRelatedTests: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: scope ? SCOPES[scope] : Object.values(SCOPES).flat(),
  // 2 shared cores: one test process at a time
  concurrency: 1,
  // on top of 1.5 × the covering tests' dry-run time; a mutant that loops for ever ends here (counted as detected)
  timeoutMS: 10000,
  incremental: true,
  // one file per scope: a run writes back only the mutants it was given, so scopes must not share one
  incrementalFile: `mutation/${scope ?? 'all'}.incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'coverage', '.data', 'bench/results', '.azure-package', 'reports', 'mutation'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${scope ?? 'all'}.html` },
  jsonReporter: { fileName: `reports/mutation/${scope ?? 'all'}.json` },
  thresholds: { high: 85, low: 75, break: null },
};
