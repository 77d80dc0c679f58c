import { Command } from 'commander';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { startBoardServer } from '../src/board/serveBoard';
import { loadConfig } from '../src/config/loadConfig';
import { SqliteLeadStore } from '../src/store/sqlite/sqliteLeadStore';
import { fmt, median, printTable } from './benchUtil';

const opts = new Command('bench:board')
  .description(
    "The lead board's first page in headless Chromium (Debian's /usr/bin/chromium) against `lead-intel serve` on the embedded database (LEAD_INTEL_SQLITE_PATH, default .data/leads.db: run `npm run demo` first for 10,000 leads)",
  )
  .option('--runs <n>', 'page loads to time', (v) => Number(v), 9)
  .option('--json', 'print one JSON line last')
  .parse()
  .opts<{ runs: number; json?: boolean }>();

/** Milliseconds from navigation start to the first page of the queue rendered (the page's `board-ready` mark). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const store = SqliteLeadStore.open(config.sqlitePath, {
    create: false,
    readonly: true,
    leaseMs: config.runLockLeaseMs,
  });
  const server = await startBoardServer({ store, config, port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  const times: number[] = [];
  let leads = 0;
  try {
    for (let i = 0; i < opts.runs; i++) {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForSelector('main[data-state="ready"]');
      // evaluated in the page as text (no DOM types here): the mark's time since navigation start
      times.push(await page.evaluate<number>("performance.getEntriesByName('board-ready')[0].startTime"));
      leads = Number((await page.textContent('#lead-count'))!.replace(/,/g, ''));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await store.close();
  }
  const m = median(times);
  const [min, max] = [Math.min(...times), Math.max(...times)];
  printTable([
    ['active leads', 'loads', 'first page, median (ms)', 'min (ms)', 'max (ms)', 'cores'],
    [fmt(leads), String(times.length), m.toFixed(0), min.toFixed(0), max.toFixed(0), String(cpus().length)],
  ]);
  if (opts.json)
    console.log(JSON.stringify({ leads, loads: times.length, medianMs: m, minMs: min, maxMs: max }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
