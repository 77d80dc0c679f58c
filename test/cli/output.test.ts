import { EXIT } from '../../src/cli/exitCodes';
import { cliHarness } from './cliHarness';

describe('lead-intel output streams', () => {
  const h = cliHarness();
  const lines = (chunks: readonly string[]): string[] => chunks.join('').split('\n').slice(0, -1);

  it('run --json prints exactly one line on stdout, the summary as JSON, and every log line on stderr', async () => {
    expect(await h.cli('seed', '--leads', '50', '--closed', '10')).toBe(EXIT.OK);
    h.stdout.length = 0;
    h.stderr.length = 0;
    expect(await h.cli('run', '--json')).toBe(EXIT.OK);
    const out = lines(h.stdout);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ status: 'succeeded', leadsRead: 50, leadsScored: 50 });
    const err = lines(h.stderr);
    expect(err).toContain('INFO:     Starting vectorized score update for all active leads...');
    expect(err).toContain('INFO:     Loaded 50 active leads');
    expect(err.every((l) => /^(INFO|WARNING|ERROR): {2,5}/.test(l))).toBe(true);
  });

  it('run prints the summary table on stdout and keeps the log lines off it', async () => {
    expect(await h.cli('seed', '--leads', '30', '--closed', '10')).toBe(EXIT.OK);
    h.stdout.length = 0;
    h.stderr.length = 0;
    expect(await h.cli('run')).toBe(EXIT.OK);
    const out = lines(h.stdout);
    expect(out).toContain('Run 1 — succeeded');
    expect(out).toContain('  leads scored       30');
    expect(out.some((l) => l.startsWith('INFO:'))).toBe(false);
    expect(lines(h.stderr)).toContain('INFO:     Loaded 30 active leads');
  });
});
