// @ts-check
/**
 * Mutation testing (issue 14): `npm run test:mutation`, never part of `npm test`. See docs/testing.md for the
 * scores, the run times and every surviving mutant. One scope at a time (`MUTATION_SCOPE=job npm run
 * test:mutation`), or one file while working (`npm run test:mutation -- --mutate src/job/jobRun.ts
 * --incrementalFile /tmp/x.json`). Incremental: a scope's results of unchanged mutants and tests are reused from
 * mutation/<scope>.incremental.json (committed), and `npm run mutation:score` sums them up per folder.
 */
/**
 * What is mutated, in scopes small enough for one sitting: `MUTATION_SCOPE=store-sqlite npm run test:mutation` runs
 * one; `npm run mutation:score` adds the scopes up by folder (docs/testing.md).
 */
const SCOPES = {
  'scoring-metrics': ['src/scoring/*.ts', '!src/scoring/index.ts'],
  'scoring-model': ['src/scoring/model/**/*.ts', '!src/scoring/model/index.ts'],
  job: ['src/job/*.ts', '!src/job/index.ts'],
  'job-stages': ['src/job/stages/*.ts'],
  functions: ['src/functions/**/*.ts'],
  // the store: the shared row mapping and chunk builder, the SQLite adapter, the parts of the Azure SQL one that run
  // without a server (type-only modules and re-exports: nothing to mutate)
  'store-shared': ['src/store/*.ts', '!src/store/leadStore.ts'],
  'store-sqlite': ['src/store/sqlite/**/*.ts'],
  'store-mssql': [
    'src/store/mssql/{statements,tvp,mssqlKeysetReader,retry,poolConfig,mssqlScoreWriter,mssqlContext}.ts',
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
