import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exitCodes';
import { cliHarness } from './cliHarness';

describe('lead-intel and the embedded database file', () => {
  const h = cliHarness();
  const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

  it.each([['run'], ['run', '--dry-run'], ['run', '--json'], ['backtest']])(
    '%s on a missing database: one line, exit 3, and no file or folder created',
    async (...args) => {
      const path = join(h.dir(), 'nested', 'leads.db');
      process.env.LEAD_INTEL_SQLITE_PATH = path;
      expect(await h.cli(...args)).toBe(EXIT.STORE_UNAVAILABLE);
      expect(h.stderr).toStrictEqual([
        `lead-intel: STORE_UNAVAILABLE: The embedded database ${path} does not exist; create it with "lead-intel demo" (synthetic leads) or "lead-intel migrate --with-baseline"\n`,
      ]);
      expect(h.stdout).toStrictEqual([]);
      expect(existsSync(join(h.dir(), 'nested'))).toBe(false);
    },
  );

  it('an existing but empty database file: run says it has no schema (exit 3); demo migrates and seeds it', async () => {
    writeFileSync(h.db(), ''); // a zero-byte file is an empty SQLite database
    expect(await h.cli('run')).toBe(EXIT.STORE_UNAVAILABLE);
    expect(h.stderr.join('')).toMatch(
      /^lead-intel: STORE_UNAVAILABLE: The embedded database .* has no scoring schema; run "lead-intel migrate"/,
    );
    expect(await h.cli('demo', '--leads', '40')).toBe(EXIT.OK);
    // closed leads default to 40 % of --leads: 0.4 · 40 = 16
    expect(h.stdout.join('')).toMatch(/^Seeded 40 active and 16 closed leads/m);
    expect(h.stdout.join('')).toContain('  leads scored       40');
  });

  it('a database path that cannot be opened (here a folder) is one line and exit 3, no stack', async () => {
    mkdirSync(h.db());
    for (const args of [['run'], ['run', '--dry-run'], ['backtest']]) {
      h.stderr.length = 0;
      expect([args, await h.cli(...args)]).toStrictEqual([args, EXIT.STORE_UNAVAILABLE]);
      expect(h.stderr).toHaveLength(1);
      // SQLite's words differ by mode: "unable to open database file" (read-write), "disk I/O error" (read-only)
      expect(h.stderr[0]).toMatch(
        /^lead-intel: STORE_UNAVAILABLE: Cannot open the embedded database .*: (unable to open database file|disk I\/O error)\n$/,
      );
    }
  });

  it('a file that is not a database is one line and exit 3, read-only or not', async () => {
    writeFileSync(h.db(), 'CustomerId,Name\n'.repeat(300));
    for (const args of [['run'], ['run', '--dry-run'], ['backtest'], ['migrate', '--dry-run']]) {
      h.stderr.length = 0;
      expect([args, await h.cli(...args)]).toStrictEqual([args, EXIT.STORE_UNAVAILABLE]);
      expect(h.stderr).toHaveLength(1);
      expect(h.stderr[0]).toMatch(/^lead-intel: STORE_UNAVAILABLE: .*: file is not a database\n$/);
    }
  });

  it('backtest, run --dry-run and migrate --dry-run open the database read-only: the file is left byte for byte', async () => {
    expect(await h.cli('seed', '--leads', '60', '--closed', '100')).toBe(EXIT.OK);
    // in rollback-journal mode, a read-write open would switch the file to WAL (bytes 18-19 of its header)
    const raw = new Database(h.db());
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha(h.db());
    expect(await h.cli('backtest', '--json')).toBe(EXIT.OK);
    expect(await h.cli('run', '--dry-run', '--json')).toBe(EXIT.OK);
    expect(await h.cli('migrate', '--dry-run')).toBe(EXIT.OK);
    expect(h.stdout.join('')).toContain('Nothing to apply: the schema is up to date');
    expect(sha(h.db())).toBe(before);
    const check = new Database(h.db(), { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});
