import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exitCodes';
import { main } from '../../src/cli/main';

describe('lead-intel', () => {
  let dir: string;
  let stdout: string[];
  let stderr: string[];
  const env = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lead-intel-cli-'));
    process.env.LEAD_INTEL_SQLITE_PATH = join(dir, 'leads.db');
    process.exitCode = undefined;
    stdout = [];
    stderr = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...env };
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => main(['node', 'lead-intel', ...args]);

  it('names the exit codes the README documents (the other CLI tests compare with these names)', () => {
    // README, "Exit codes": 0 ok · 1 unexpected failure · 2 invalid configuration · 3 store unavailable · 4 locked ·
    // 5 invalid input · 6 database does not match the mapping · 7 migration refused · 64 bad command line (sysexits'
    // EX_USAGE) · 130 stopped by Ctrl+C (128 + SIGINT's 2)
    expect(EXIT).toStrictEqual({
      OK: 0,
      FAILED: 1,
      CONFIG_INVALID: 2,
      STORE_UNAVAILABLE: 3,
      RUN_LOCKED: 4,
      INPUT_INVALID: 5,
      CRM_SCHEMA_MISMATCH: 6,
      MIGRATION_REFUSED: 7,
      USAGE: 64,
      INTERRUPTED: 130,
    });
  });

  it('refuses to migrate a database without the CRM, exit 6, naming the missing table and creating no file', async () => {
    expect(await cli('migrate')).toBe(EXIT.CRM_SCHEMA_MISMATCH);
    expect(stderr.join('')).toContain('CRM_SCHEMA_MISMATCH: The database does not match the mapping');
    expect(stderr.join('')).toContain('lead table dbo.lead (lead.table) does not exist');
    expect(existsSync(join(dir, 'leads.db'))).toBe(false);
  });

  it('migrates a new database with the baseline only when asked, and verifies 9 score columns and 1 snapshot table', async () => {
    expect(await cli('migrate', '--with-baseline', '--verify')).toBe(EXIT.OK);
    expect(stdout.join('')).toContain(
      'Applied: 000_create_crm_baseline, 001_add_lead_scoring_columns, 002_create_crm_mapping, 003_create_scoring_contract, 004_create_model_registry',
    );
    expect(stdout.join('')).toContain('Score columns: 9 (expect 9); snapshot tables: 1 (expect 1)');
    expect(await cli('migrate')).toBe(EXIT.OK);
    expect(stdout.join('')).toContain('Nothing to apply: the schema is up to date');
  });

  it('rolls back only the newest migration (exit 7 otherwise), and migrating again restores it', async () => {
    expect(await cli('migrate', '--with-baseline')).toBe(EXIT.OK);
    expect(await cli('migrate', '--rollback', '003')).toBe(EXIT.MIGRATION_REFUSED);
    expect(stderr.join('')).toContain(
      'ROLLBACK_REFUSED: 003_create_scoring_contract is not the newest applied migration (006 is): roll back 006, then 005, then 004 first',
    );
    stdout.length = 0;
    expect(await cli('migrate', '--rollback', '006')).toBe(EXIT.OK);
    expect(await cli('migrate', '--rollback', '005')).toBe(EXIT.OK);
    expect(await cli('migrate', '--rollback', '004')).toBe(EXIT.OK);
    expect(await cli('migrate', '--rollback', '003')).toBe(EXIT.OK);
    expect(stdout.join('')).toContain('Rolled back: 006_add_snapshot_priority');
    expect(stdout.join('')).toContain('Rolled back: 005_alter_scoring_runs');
    expect(stdout.join('')).toContain('Rolled back: 004_create_model_registry');
    expect(stdout.join('')).toContain('Rolled back: 003_create_scoring_contract');
    expect(await cli('migrate', '--rollback', '000')).toBe(EXIT.MIGRATION_REFUSED);
    stdout.length = 0;
    expect(await cli('migrate', '--verify')).toBe(EXIT.OK);
    expect(stdout.join('')).toContain(
      'Applied: 003_create_scoring_contract, 004_create_model_registry, 005_alter_scoring_runs, 006_add_snapshot_priority',
    );
  });

  it('prints the rendered SQL of a dry run without touching the database', async () => {
    expect(await cli('migrate', '--with-baseline', '--dry-run', '--print')).toBe(EXIT.OK);
    const text = stdout.join('');
    expect(text).toContain('-- 002_create_crm_mapping');
    expect(text).toContain('CREATE VIEW li_leads AS');
    expect(text).toContain('Would apply: 000_create_crm_baseline');
    expect(existsSync(join(dir, 'leads.db'))).toBe(false);
  });

  it('seeds, runs a pass and prints the summary as JSON', async () => {
    expect(await cli('seed', '--leads', '200')).toBe(EXIT.OK);
    stdout.length = 0;
    expect(await cli('run', '--json')).toBe(EXIT.OK);
    const summary = JSON.parse(stdout.filter((l) => l.startsWith('{')).pop()!) as {
      leadsScored: number;
      status: string;
    };
    expect(summary).toMatchObject({ leadsScored: 200, status: 'succeeded' });
  });

  it('exits 3 (STORE_UNAVAILABLE) with a clear message when the database has no schema', async () => {
    writeFileSync(join(dir, 'leads.db'), ''); // an empty database (a missing one is test/cli/store.test.ts)
    expect(await cli('run')).toBe(EXIT.STORE_UNAVAILABLE);
    expect(stderr.join('')).toMatch(
      /STORE_UNAVAILABLE: The embedded database .* has no scoring schema; run "lead-intel migrate"/,
    );
  });

  it('exits 2 (CONFIG_INVALID) listing the bad settings', async () => {
    process.env.SCORING_CHUNK_SIZE = '7';
    expect(await cli('run')).toBe(EXIT.CONFIG_INVALID);
    expect(stderr.join('')).toContain('SCORING_CHUNK_SIZE');
  });

  it('exits 64 on a bad command line', async () => {
    expect(await cli('run', '--lead-ids', '1,x')).toBe(EXIT.USAGE);
    expect(stderr.join('')).toContain(
      'lead ids must be positive integers written in decimal digits (1 to 2147483647), got "x" in "1,x"',
    );
    expect(await cli('frobnicate')).toBe(EXIT.USAGE);
  });

  it('exits 4 (RUN_LOCKED) when another run holds the lock', async () => {
    await cli('seed', '--leads', '20');
    const { SqliteLeadStore } = await import('../../src/store/sqlite/sqliteLeadStore');
    const holder = SqliteLeadStore.open(join(dir, 'leads.db'));
    const lock = await holder.acquireRunLock('someone-else');
    try {
      expect(await cli('run')).toBe(EXIT.RUN_LOCKED);
      // the message says until when: the embedded lock is a lease (RUN_LOCK_LEASE_SECONDS, 2 min by default)
      expect(stderr.join('')).toMatch(
        /RUN_LOCKED: Another scoring run .* has held the run lock since \S+; the lock expires at \d{4}-\d\d-\d\dT[\d:.]+Z unless that run renews it/,
      );
    } finally {
      await lock.release();
      await holder.close();
    }
  });
});
