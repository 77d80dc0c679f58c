// Builds the Azure Functions deployment package: `npm run package:azure` (or `node scripts/packageAzure.js
// [--dir <folder>] [--zip <file>]`).
//
// One esbuild bundle of src/azureEntry.ts (the host set-up and every trigger, one module graph, so appContext's one
// config and one store are shared), written with host.json and a dependency-free package.json to .azure-package/
// and zipped to dist/lead-intel-functions.zip. No node_modules and no native binary: better-sqlite3 stays out (the
// app on Azure uses Azure SQL, and openStore loads the SQLite adapter only when it is the configured store), so a
// package built on macOS, Windows or another Node version runs on the Linux x64 Node 22 workers all the same.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const esbuild = require('esbuild');
const AdmZip = require('adm-zip');
const { buildBoard } = require('./buildBoard');

const ROOT = path.join(__dirname, '..');
const ENTRY = path.join(ROOT, 'src', 'azureEntry.ts');
const BUNDLE = 'main.js';
const DEFAULT_DIR = path.join(ROOT, '.azure-package');
const DEFAULT_ZIP = path.join(ROOT, 'dist', 'lead-intel-functions.zip');

/**
 * Modules the bundle must require at run time: `@azure/functions-core` is provided by the Functions worker, not
 * npm; `better-sqlite3` is a native addon that must never reach the Azure package.
 */
const EXTERNAL = ['@azure/functions-core', 'better-sqlite3'];

/**
 * Resolves package imports as Node's require() does (the "require" export condition), which is how the unbundled
 * app (tsc's CommonJS output) loads them. Without it esbuild picks the ESM build of dual packages for `import`
 * statements, and ESM code that relies on `import.meta.url` breaks in a CommonJS bundle
 * (@azure/monitor-opentelemetry then neither finds @azure/functions-core nor its own folder).
 */
const resolveLikeRequire = {
  name: 'resolve-like-require',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      const { path: p, importer, resolveDir, namespace } = args;
      const resolved = await build.resolve(p, { kind: 'require-call', importer, resolveDir, namespace });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : resolved;
    });
  },
};

/** Bundles the app into `outDir/main.js` (+ `main.js.map`). Returns the files written and esbuild's metafile. */
async function buildBundle(outDir) {
  const outfile = path.join(outDir, BUNDLE);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [resolveLikeRequire],
    minify: true,
    // error classes name themselves after their constructor (errors.ts); minified or de-duplicated names would leak
    keepNames: true,
    // a separate map: stack traces map back to src/ with NODE_OPTIONS=--enable-source-maps
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'eof', // the licence headers of bundled packages stay in the bundle
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    throw new Error(
      `esbuild warnings (each one is a module that may not survive bundling):\n${text.join('\n')}`,
    );
  }
  return { bundle: outfile, map: `${outfile}.map`, metafile: result.metafile };
}

/** The package.json of the deployment: the bundle as `main`, no dependencies (everything is in the bundle). */
function deployPackageJson() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    type: 'commonjs',
    main: BUNDLE,
    engines: { node: '22.x' },
  };
}

/** Writes the deployable folder (emptied first) and its zip; returns their paths and the files in the package. */
async function writePackage({ dir = DEFAULT_DIR, zip = DEFAULT_ZIP } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await buildBundle(dir);
  // the lead board's page and assets, next to the bundle (src/board/boardAssets.ts looks for web/ there)
  await buildBoard(path.join(dir, 'web'));
  fs.copyFileSync(path.join(ROOT, 'host.json'), path.join(dir, 'host.json'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(deployPackageJson(), null, 2)}\n`);
  const files = fs.readdirSync(dir).sort();
  const archive = new AdmZip();
  for (const f of files) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) archive.addLocalFolder(p, f);
    else archive.addLocalFile(p);
  }
  fs.mkdirSync(path.dirname(zip), { recursive: true });
  fs.rmSync(zip, { force: true });
  await archive.writeZipPromise(zip);
  return { dir, zip, files };
}

module.exports = { BUNDLE, EXTERNAL, buildBundle, writePackage };

if (require.main === module) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, zip: { type: 'string' } } });
  writePackage({
    dir: values.dir === undefined ? undefined : path.resolve(values.dir),
    zip: values.zip === undefined ? undefined : path.resolve(values.zip),
  }).then(
    ({ dir, zip, files }) => {
      const size = (f) => `${(fs.statSync(f).size / 1024).toFixed(0)} KiB`;
      for (const f of files)
        console.log(`${path.relative(ROOT, path.join(dir, f))}  ${size(path.join(dir, f))}`);
      console.log(`${path.relative(ROOT, zip)}  ${size(zip)}`);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
