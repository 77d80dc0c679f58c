import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exitCodes';
import { cliHarness } from './cliHarness';

describe('lead-intel input checks', () => {
  const h = cliHarness();

  it('a CSV that is missing or a folder is one line and exit 5 (INPUT_INVALID), no stack', async () => {
    expect(await h.cli('backtest', '--csv', '/nope.csv', '--label', 'won')).toBe(EXIT.INPUT_INVALID);
    expect(h.stderr).toStrictEqual([
      'lead-intel: INPUT_INVALID: Cannot read the CSV /nope.csv: no such file\n',
    ]);
    h.stderr.length = 0;
    mkdirSync(join(h.dir(), 'export.csv'));
    expect(await h.cli('backtest', '--csv', join(h.dir(), 'export.csv'), '--label', 'won')).toBe(
      EXIT.INPUT_INVALID,
    );
    expect(h.stderr).toStrictEqual([
      `lead-intel: INPUT_INVALID: Cannot read the CSV ${join(h.dir(), 'export.csv')}: it is a directory\n`,
    ]);
  });

  it('seed refuses when the configured store is Azure SQL (exit 5): synthetic leads go to the embedded file only', async () => {
    process.env.LEAD_INTEL_STORE = 'mssql';
    process.env.MSSQL_SERVER = 'crm.database.windows.net';
    process.env.MSSQL_DATABASE = 'crm';
    try {
      expect(await h.cli('seed', '--leads', '10')).toBe(EXIT.INPUT_INVALID);
      expect(h.stderr.join('')).toMatch(
        /INPUT_INVALID: seed writes synthetic leads into the embedded database only, and LEAD_INTEL_STORE is "mssql"/,
      );
    } finally {
      delete process.env.LEAD_INTEL_STORE;
      delete process.env.MSSQL_SERVER;
      delete process.env.MSSQL_DATABASE;
    }
  });

  it('refuses --label and --exclude without --csv (exit 5) instead of ignoring them', async () => {
    expect(await h.cli('backtest', '--label', 'won')).toBe(EXIT.INPUT_INVALID);
    expect(await h.cli('backtest', '--label', 'won', '--exclude', 'id')).toBe(EXIT.INPUT_INVALID);
    expect(h.stderr).toStrictEqual([
      'lead-intel: INPUT_INVALID: --label applies only with --csv <file>\n',
      'lead-intel: INPUT_INVALID: --label and --exclude apply only with --csv <file>\n',
    ]);
  });

  it('names --exclude columns the CSV does not have (exit 5)', async () => {
    const csv = join(h.dir(), 'leads.csv');
    writeFileSync(csv, '\ufeffid, source ,value,won\n1,web,10,1\n2,event,20,0\n');
    expect(await h.cli('backtest', '--csv', csv, '--label', 'won', '--exclude', 'id,Source,notes')).toBe(
      EXIT.INPUT_INVALID,
    );
    expect(h.stderr).toStrictEqual([
      'lead-intel: INPUT_INVALID: --exclude names columns the CSV does not have: Source, notes (columns: id, source, value, won)\n',
    ]);
  });

  it.each(['0x10', '1e3', '1.0', ' 7', '7 ', '+7', '-7', '007', '0', '2147483648', '', '1,,2'])(
    'rejects the lead id list "%s" as the HTTP endpoint does (exit 64)',
    async (ids) => {
      expect(await h.cli('run', '--lead-ids', ids)).toBe(EXIT.USAGE);
      expect(h.stderr.join('')).toContain(
        `lead ids must be positive integers written in decimal digits (1 to 2147483647), got "`,
      );
    },
  );

  it('rejects a repeated lead id (exit 64), as the HTTP endpoint does', async () => {
    expect(await h.cli('run', '--lead-ids', '3,4,3')).toBe(EXIT.USAGE);
    expect(h.stderr.join('')).toContain('lead ids must be unique, got 3 twice in "3,4,3"');
  });

  it('accepts plain decimal ids up to 2147483647 (then fails only on the missing database, exit 3)', async () => {
    expect(await h.cli('run', '--dry-run', '--lead-ids', '1,2147483647')).toBe(EXIT.STORE_UNAVAILABLE);
  });
});
