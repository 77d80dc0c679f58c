import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The shape of src/ (issue 13, "Shape"): every file fits on a screen or two, every function is readable in one go,
 * the import graph has no cycle, and an adapter is used only through its public files. The walk uses the TypeScript
 * compiler's own parser, so a type-only import or a dynamic import() counts like any other.
 */
const root = join(__dirname, '..');
const srcDir = join(root, 'src');

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

/**
 * The adapters' public files: the only ones of src/store/sqlite/ and src/store/mssql/ that a file outside that
 * folder may import. Everything else in the folder (run lock, run log, score writer, model registry … the roles the
 * store façade delegates to, and the driver helpers) is the adapter's internals and may change without notice.
 */
const ADAPTER_PUBLIC_FILES: Readonly<Record<string, readonly string[]>> = {
  'src/store/sqlite': ['sqliteLeadStore.ts', 'migrateSqlite.ts', 'verifySqlite.ts'],
  'src/store/mssql': ['mssqlLeadStore.ts', 'migrateMssql.ts'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const rel = (path: string): string => relative(root, path).split(sep).join('/');
const files = sourceFiles(srcDir);
const parsed = new Map(
  files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true)]),
);

/** Every function-like node of a file with its length in lines (first to last line, inclusive). */
function functionLengths(file: ts.SourceFile): { name: string; lines: number }[] {
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      found.push({ name: `${rel(file.fileName)}:${first + 1} ${name}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The relative module specifiers of a file: import/export … from, import x = require(), and import('…'). */
function specifiers(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.filter((s) => s.startsWith('.'));
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The import graph of src/: file → the src files it imports. */
const graph = new Map(
  files.map((f) => [
    f,
    specifiers(parsed.get(f)!)
      .map((s) => resolveImport(f, s))
      .filter((t): t is string => t !== null && t.startsWith(srcDir)),
  ]),
);

/** The cycles of a directed graph: each strongly connected component of more than one file, or a self-import. */
function cycles(g: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strongConnect = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (g.get(v) ?? []).includes(v)) found.push(component.map(rel).sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) strongConnect(v);
  return found;
}

/** True when `from` imports a file of an adapter folder it is not in, and that file is not one of its public files. */
function reachesIntoAdapter(from: string, to: string): boolean {
  return Object.entries(ADAPTER_PUBLIC_FILES).some(([dir, publicFiles]) => {
    const folder = join(root, dir);
    const inside = (p: string): boolean => p.startsWith(folder + sep);
    return inside(to) && !inside(from) && !publicFiles.includes(relative(folder, to).split(sep).join('/'));
  });
}

describe('the source tree', () => {
  it('reads every file of src/ and resolves its relative imports', () => {
    expect(files.length).toBeGreaterThan(100);
    const unresolved = files.flatMap((f) =>
      specifiers(parsed.get(f)!)
        .filter((s) => resolveImport(f, s) === null)
        .map((s) => `${rel(f)} -> ${s}`),
    );
    expect(unresolved).toStrictEqual([]);
  });

  it(`keeps every file at ${MAX_FILE_LINES} lines or fewer`, () => {
    const long = files
      .map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_FILE_LINES);
    expect(long).toStrictEqual([]);
  });

  it(`keeps every function at ${MAX_FUNCTION_LINES} lines or fewer`, () => {
    const all = files.flatMap((f) => functionLengths(parsed.get(f)!));
    expect(all.length).toBeGreaterThan(300); // the walk does find the functions
    expect(all.filter((f) => f.lines > MAX_FUNCTION_LINES)).toStrictEqual([]);
  });

  it('has no import cycle (type-only and dynamic imports included)', () => {
    expect(cycles(graph)).toStrictEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g).map((c) => c.length)).toStrictEqual([3]);
  });

  it("imports an adapter's files from outside its folder only through its public files", () => {
    const violations = files.flatMap((from) =>
      graph
        .get(from)!
        .filter((to) => reachesIntoAdapter(from, to))
        .map((to) => `${rel(from)} -> ${rel(to)}`),
    );
    expect(violations).toStrictEqual([]);
  });

  it('tells an internal adapter import from a public one (the check itself)', () => {
    const at = (p: string): string => join(root, p);
    expect(reachesIntoAdapter(at('src/cli/x.ts'), at('src/store/sqlite/sqliteRunLog.ts'))).toBe(true);
    expect(reachesIntoAdapter(at('src/store/openStore.ts'), at('src/store/mssql/mssqlRunLock.ts'))).toBe(
      true,
    );
    expect(reachesIntoAdapter(at('src/cli/x.ts'), at('src/store/sqlite/sqliteLeadStore.ts'))).toBe(false);
    expect(
      reachesIntoAdapter(at('src/store/sqlite/sqliteLeadStore.ts'), at('src/store/sqlite/sqliteRunLog.ts')),
    ).toBe(false);
  });
});
