// @ts-check
/**
 * Jest's default file runner, for mutation testing only (jest.stryker.config.js): a mutant runs only the test files
 * that have a test covering it, fastest first, and stops at the first file with a failing test.
 *
 * For each mutant Stryker runs jest with `--findRelatedTests <mutated file>` and a `testNamePattern` listing the
 * tests that cover the mutant. Jest then still loads every related file — for a module under src/scoring nearly
 * all of them, 28 files in 20 s of module loading (T-SQL grammar, SQLite, the board) — only to skip every test in
 * most of them, and it runs every covering file even after one has failed (Stryker sets `bail: false`: jest has no
 * bail in its programmatic API). Here a file none of whose tests matches the pattern is not loaded (it would only
 * have reported its tests as skipped), and once a file has a failing test — the mutant is killed — the remaining
 * files are not run. A surviving mutant still runs every covering test. A static mutant (module-level code, which
 * Stryker runs without a pattern) runs every related file, fastest first, with the same stop at the first failure.
 *
 * The test names and run time of each file come from the dry run (the first run in a sandbox), written next to the
 * config in the Stryker sandbox. A file not in that list (it failed to load, or it is new) is always run.
 */
const { readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join, relative } = require('node:path');
const TestRunner = require('jest-runner').default;

const NAMES_FILE = '.stryker-test-names.json';

/** @typedef {Record<string, { names: string[]; ms: number }>} TestIndex */

class CoveringFilesRunner extends TestRunner {
  /**
   * @param {import('@jest/test-result').Test[]} tests
   * @param {import('jest-watcher').TestWatcher} watcher
   * @param {import('jest-runner').TestRunnerOptions} options
   */
  async runTests(tests, watcher, options) {
    const root = this._globalConfig.rootDir;
    const file = join(root, NAMES_FILE);
    const pattern = this._globalConfig.testNamePattern;
    if (!existsSync(file)) return this.indexRun(tests, watcher, options, file);
    /** @type {TestIndex} */
    const index = JSON.parse(readFileSync(file, 'utf8'));
    // as jest-circus matches a test's full name against testNamePattern; no pattern (a static mutant, which per-test
    // coverage cannot narrow): every related file
    const re = pattern ? new RegExp(pattern, 'i') : null;
    const ms = (/** @type {import('@jest/test-result').Test} */ t) =>
      index[relative(root, t.path)]?.ms ?? Infinity;
    const kept = tests
      .filter((t) => {
        const known = index[relative(root, t.path)];
        return re === null || known === undefined || known.names.some((n) => re.test(n));
      })
      .sort((a, b) => ms(a) - ms(b));
    if (!options.serial) return super.runTests(kept, watcher, options);
    let failed = false;
    const stopSuccess = this.on('test-file-success', ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) failed = true;
    });
    const stopFailure = this.on('test-file-failure', () => {
      failed = true;
    });
    try {
      for (const t of kept) {
        if (failed) break;
        await super.runTests([t], watcher, options);
      }
    } finally {
      stopSuccess();
      stopFailure();
    }
  }

  /**
   * The dry run: every file, recording each one's test names and run time.
   * @param {import('@jest/test-result').Test[]} tests
   * @param {import('jest-watcher').TestWatcher} watcher
   * @param {import('jest-runner').TestRunnerOptions} options
   * @param {string} file
   */
  async indexRun(tests, watcher, options, file) {
    const root = this._globalConfig.rootDir;
    /** @type {TestIndex} */
    const index = {};
    const stop = this.on('test-file-success', ([test, result]) => {
      index[relative(root, test.path)] = {
        names: result.testResults.map((t) => t.fullName),
        ms: result.perfStats.end - result.perfStats.start,
      };
    });
    try {
      return await super.runTests(tests, watcher, options);
    } finally {
      stop();
      writeFileSync(file, JSON.stringify(index));
    }
  }
}

module.exports = CoveringFilesRunner;
