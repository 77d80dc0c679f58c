import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { loadBoardAssets } from '../../src/board/boardAssets';
import { startBoardServer, type BoardServer } from '../../src/board/serveBoard';
import { jobSettings } from '../../src/config/jobSettings';
import { loadConfig } from '../../src/config/loadConfig';
import { runScoringJob } from '../../src/job';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

const ROOT = join(__dirname, '..', '..');

/** Debian's chromium (apt-get install chromium; .ci/run installs it), never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

export interface BoardHarness {
  readonly server: BoardServer;
  readonly browser: Browser;
  /** GETs the API through the server (the same handlers the page calls). */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * One seeded, scored embedded database, the board built into a temp folder by the project's own build script, the
 * `lead-intel serve` server on a free 127.0.0.1 port, and one headless Chromium.
 */
export async function startBoardHarness(seed: {
  leads: number;
  closedLeads: number;
  now: number;
}): Promise<BoardHarness> {
  const t = tempStore();
  generateCrm(t.store.connection, { ...seed, seed: 15 });
  const config = loadConfig({ SCORING_CHUNK_SIZE: '500' });
  await runScoringJob({ store: t.store, now: seed.now, ...jobSettings(config), trigger: 'cli', log: SILENT });
  const web = mkdtempSync(join(tmpdir(), 'lead-intel-web-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'buildBoard.js'), web], { cwd: ROOT });
  const server = await startBoardServer({ store: t.store, config, port: 0, assets: loadBoardAssets(web) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  return {
    server,
    browser,
    api: async <T>(path: string) => {
      const response = await fetch(new URL(path, `http://127.0.0.1:${server.port}`));
      return (await response.json()) as T;
    },
    close: async () => {
      await browser.close();
      await server.close();
      await t.cleanup();
      rmSync(web, { recursive: true, force: true });
    },
  };
}
