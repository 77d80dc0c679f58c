import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

/**
 * `lead-intel` called in-process on a fresh temp folder (LEAD_INTEL_SQLITE_PATH = <dir>/leads.db), with what it
 * writes on stdout and stderr captured separately. Call it at the top of a describe block.
 */
export function cliHarness(): {
  readonly dir: () => string;
  readonly db: () => string;
  readonly stdout: string[];
  readonly stderr: string[];
  cli(...args: string[]): Promise<number>;
} {
  let dir = '';
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lead-intel-cli-'));
    process.env.LEAD_INTEL_SQLITE_PATH = join(dir, 'leads.db');
    process.exitCode = undefined;
    stdout.length = 0;
    stderr.length = 0;
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...env };
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    db: () => join(dir, 'leads.db'),
    stdout,
    stderr,
    cli: (...args) => main(['node', 'lead-intel', ...args]),
  };
}
