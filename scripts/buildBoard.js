// Builds the lead board's front end (web/) into one folder: index.html, board.js (esbuild bundle of web/src/main.ts
// with uPlot) and board.css (web/board.css and uPlot's stylesheet). `npm run build` writes dist/web/, which
// `lead-intel serve` serves; scripts/packageAzure.js writes the same files into the package's web/ folder. Nothing
// is loaded from a CDN at run time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.join(__dirname, '..');
const WEB = path.join(ROOT, 'web');
const DEFAULT_OUT = path.join(ROOT, 'dist', 'web');

/** Writes the board into `outDir`; returns the files written with their sizes in bytes. */
async function buildBoard(outDir = DEFAULT_OUT) {
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(WEB, 'src', 'main.ts')],
    outfile: path.join(outDir, 'board.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    legalComments: 'eof', // uPlot's licence header stays in the bundle
    logLevel: 'silent',
  });
  const uplotCss = fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  fs.writeFileSync(
    path.join(outDir, 'board.css'),
    `${uplotCss}\n${fs.readFileSync(path.join(WEB, 'board.css'), 'utf8')}`,
  );
  fs.copyFileSync(path.join(WEB, 'index.html'), path.join(outDir, 'index.html'));
  return ['index.html', 'board.js', 'board.css'].map((f) => ({
    file: path.join(outDir, f),
    bytes: fs.statSync(path.join(outDir, f)).size,
  }));
}

module.exports = { buildBoard };

if (require.main === module) {
  buildBoard(process.argv[2] ? path.resolve(process.argv[2]) : undefined).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
