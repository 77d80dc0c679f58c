// Rewrites the README's configuration table from SETTINGS (src/config/loadConfig.ts); test/readme.test.ts fails when
// the two drift. Run after `npm run build`: `npm run docs:settings`.
const fs = require('node:fs');
const path = require('node:path');
const { SETTINGS } = require('../dist/src/config/loadConfig');

const readmePath = path.join(__dirname, '..', 'README.md');
const rows = Object.entries(SETTINGS).map(
  ([name, s]) => `| \`${name}\` | ${s.default === '' ? '—' : `\`${s.default}\``} | ${s.description} |`,
);
const readme = fs.readFileSync(readmePath, 'utf8');
const start = readme.indexOf('<!-- settings:start -->');
const end = readme.indexOf('<!-- settings:end -->');
fs.writeFileSync(
  readmePath,
  `${readme.slice(0, start)}<!-- settings:start -->\n| setting | default | meaning |\n|---|---|---|\n${rows.join('\n')}\n${readme.slice(end)}`,
);
