import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../src/config/loadConfig';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('documents exactly the settings loadConfig reads, with their defaults', () => {
    const block = readme.split('<!-- settings:start -->')[1]!.split('<!-- settings:end -->')[0]!;
    const rows = block
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split('|').map((c) => c.trim()));
    const documented = rows.map((c) => [
      c[1]!.replace(/`/g, ''),
      c[2] === '—' ? '' : c[2]!.replace(/^`|`$/g, ''),
      c[3],
    ]);
    const expected = Object.entries(SETTINGS).map(([name, s]) => [name, s.default, s.description]);
    expect(documented).toStrictEqual(expected);
  });

  it('keeps the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test ');
  });
});
