#!/usr/bin/env node
// @ts-check
/**
 * `npm run mutation:score [-- --survivors]`: the mutation score per folder, from the committed incremental files of
 * `npm run test:mutation` (mutation/<scope>.incremental.json, mutation-testing-report-schema JSON). The score is
 * Stryker's: detected (killed or timed out) over detected + undetected (survived or without coverage); mutants that
 * did not compile, or crashed the runner, are left out of both. `--survivors` lists every undetected mutant, by
 * file and line, for docs/testing.md.
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Command } = require('commander');

const opts = new Command('mutation:score')
  .description('Mutation score per folder from mutation/*.incremental.json')
  .option('--survivors', 'list every survived or uncovered mutant')
  .option('--markdown', 'print the table and the list as Markdown (for docs/mutation-survivors.md)')
  .option('--dir <dir>', 'folder holding the incremental files', 'mutation')
  .parse()
  .opts();

/** @type {Map<string, Record<string, number>>} */
const byFolder = new Map();
/** @type {string[]} */
const undetected = [];
const files = readdirSync(opts.dir).filter((f) => f.endsWith('.incremental.json'));
const seen = new Set();
for (const f of files) {
  const report = JSON.parse(readFileSync(join(opts.dir, f), 'utf8'));
  for (const [path, file] of Object.entries(report.files ?? {})) {
    const folder = path.split('/').slice(0, 2).join('/');
    const counts = byFolder.get(folder) ?? {};
    byFolder.set(folder, counts);
    for (const m of file.mutants) {
      const { start, end } = m.location;
      const key = `${path}:${start.line}:${start.column}-${end.line}:${end.column}:${m.mutatorName}:${m.replacement}`;
      if (seen.has(key)) continue; // the same mutant in two scopes' files: counted once
      seen.add(key);
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const line = file.source.split('\n')[m.location.start.line - 1]?.trim() ?? '';
        const status = m.status === 'NoCoverage' ? 'no coverage' : 'survived';
        const replacement = JSON.stringify(m.replacement ?? '').slice(0, 80);
        undetected.push(
          opts.markdown
            ? `| \`${path}:${m.location.start.line}\` | ${status} | ${m.mutatorName} → \`${replacement.replace(/[|`]/g, '·')}\` | \`${line.slice(0, 90).replace(/[|`]/g, '·')}\` |`
            : `${status}  ${path}:${m.location.start.line}  ${m.mutatorName}: ${replacement}  in  ${line.slice(0, 100)}`,
        );
      }
    }
  }
}

const n = (c, k) => c[k] ?? 0;
const rows = [
  ['folder', 'mutants', 'killed', 'timeout', 'survived', 'no cov.', 'errors', 'score %', 'covered %'],
];
for (const [folder, c] of [...byFolder].sort()) {
  const detected = n(c, 'Killed') + n(c, 'Timeout');
  const valid = detected + n(c, 'Survived') + n(c, 'NoCoverage');
  const total = Object.values(c).reduce((s, v) => s + v, 0);
  const pct = (a, b) => (b > 0 ? ((100 * a) / b).toFixed(2) : '–');
  rows.push([
    folder,
    String(total),
    String(n(c, 'Killed')),
    String(n(c, 'Timeout')),
    String(n(c, 'Survived')),
    String(n(c, 'NoCoverage')),
    String(n(c, 'CompileError') + n(c, 'RuntimeError')),
    pct(detected, valid),
    pct(detected, detected + n(c, 'Survived')),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
if (opts.markdown) {
  for (const [k, r] of rows.entries()) {
    console.log(`| ${r.join(' | ')} |`);
    if (k === 0) console.log(`|${r.map(() => ' --- ').join('|')}|`);
  }
} else
  for (const r of rows)
    console.log(r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  '));
if (files.length === 0) console.log(`no *.incremental.json in ${opts.dir}: run npm run test:mutation first`);
if (opts.survivors) {
  if (opts.markdown) console.log('\n| where | status | mutation | source line |\n| --- | --- | --- | --- |');
  for (const u of undetected.sort()) console.log(u);
}
