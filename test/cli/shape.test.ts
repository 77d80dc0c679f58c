import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const cliDir = join(root, 'src', 'cli');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every function-like node of a file with its length in lines (first to last line, inclusive). */
function functionLengths(path: string): { name: string; lines: number }[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      found.push({ name: `${relative(root, path)}:${first + 1} ${name}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the CLI source', () => {
  const files = sourceFiles(cliDir);

  it('has one file per command under src/cli/commands', () => {
    expect(readdirSync(join(cliDir, 'commands')).sort()).toStrictEqual([
      'backtest.ts',
      'demo.ts',
      'migrate.ts',
      'run.ts',
      'seed.ts',
      'serve.ts',
      'watch.ts',
    ]);
  });

  it('keeps every file under 300 lines', () => {
    const long = files
      .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 300);
    expect(long).toStrictEqual([]);
  });

  it('keeps every function, command actions included, at 80 lines or fewer', () => {
    const all = files.flatMap(functionLengths);
    expect(all.length).toBeGreaterThan(30); // the walk does find the functions
    expect(all.filter((f) => f.lines > 80)).toStrictEqual([]);
  });
});
