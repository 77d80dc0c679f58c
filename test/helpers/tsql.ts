import {
  antlr4tsSQL,
  ParserRuleContext,
  SQLDialect,
  TSQLGrammar,
  type ANTLRErrorListener,
  type ParseTree,
} from 'antlr4ts-sql';
import { splitBatches } from '../../src/store/migrationFiles';

const tsql = new antlr4tsSQL(SQLDialect.TSQL);

export interface TsqlParse {
  readonly errors: string[];
  readonly tree: ParseTree;
}

/** Parses one T-SQL batch with the real TSql grammar; `errors` lists every lexer and parser error. */
export function parseTsql(batch: string): TsqlParse {
  const errors: string[] = [];
  const listener: ANTLRErrorListener<unknown> = {
    syntaxError: (_r, _o, line, col, msg) => errors.push(`${line}:${col} ${msg.slice(0, 160)}`),
  };
  const parser = tsql.getParser(tsql.getTokens(batch, [listener]), [listener]) as TSQLGrammar.TSqlParser;
  const tree = parser.tsql_file();
  return { errors, tree };
}

/** Parses a whole script (GO-separated batches); returns the errors of every batch, prefixed by its number. */
export interface ParsedBatch {
  readonly tree: ParseTree;
  readonly source: string;
}

export function parseTsqlScript(sql: string): {
  errors: string[];
  trees: ParseTree[];
  batches: string[];
  parsed: ParsedBatch[];
} {
  const errors: string[] = [];
  const trees: ParseTree[] = [];
  const batches = splitBatches(sql);
  batches.forEach((b, i) => {
    const p = parseTsql(b);
    errors.push(...p.errors.map((e) => `batch ${i + 1}: ${e}`));
    trees.push(p.tree);
  });
  return { errors, trees, batches, parsed: trees.map((tree, i) => ({ tree, source: batches[i]! })) };
}

function walk(t: ParseTree, visit: (t: ParseTree) => void): void {
  visit(t);
  for (let i = 0; i < t.childCount; i++) walk(t.getChild(i), visit);
}

const bare = (name: string): string =>
  name
    .replace(/^\[|\]$/g, '')
    .replace(/^dbo\./i, '')
    .split('.')
    .pop()!
    .replace(/^\[|\]$/g, '');

/**
 * Tables and table types of a parsed script with their columns in declaration order: CREATE TABLE, CREATE TYPE …
 * AS TABLE, and ALTER TABLE … ADD <column> (appended).
 */
export function tsqlColumns(parsed: readonly ParsedBatch[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (table: string, col: string): void => {
    const key = bare(table).toLowerCase();
    const cols = out.get(key) ?? [];
    if (!cols.includes(col)) cols.push(col);
    out.set(key, cols);
  };
  for (const { tree, source } of parsed) {
    const text = (t: ParseTree): string => textOf(t, source);
    walk(tree, (t) => {
      if (t instanceof TSQLGrammar.Create_tableContext || t instanceof TSQLGrammar.Create_typeContext) {
        const name = text(t instanceof TSQLGrammar.Create_tableContext ? t.table_name() : t.simple_name());
        if (!out.has(bare(name).toLowerCase())) out.set(bare(name).toLowerCase(), []);
        walk(t, (c) => {
          if (c instanceof TSQLGrammar.Column_definitionContext) add(name, bare(text(c.id(0))));
        });
      } else if (t instanceof TSQLGrammar.Alter_tableContext) {
        const def = t.column_def_table_constraints()?.column_def_table_constraint() ?? [];
        for (const d of def) {
          const col = d.column_definition();
          if (col) add(text(t.table_name(0)), bare(text(col.id(0))));
        }
      }
    });
  }
  return out;
}

/**
 * The output column names of a view (CREATE VIEW) or inline table-valued function (CREATE FUNCTION … RETURNS TABLE AS
 * RETURN SELECT): the outermost SELECT's list, each by its alias, else the column's own name.
 */
export function tsqlViewColumns(parsed: readonly ParsedBatch[], view: string): string[] {
  for (const { tree, source } of parsed) {
    const text = (t: ParseTree): string => textOf(t, source);
    let cols: string[] | null = null;
    walk(tree, (t) => {
      if (cols !== null) return;
      const name =
        t instanceof TSQLGrammar.Create_viewContext
          ? text(t.simple_name())
          : t instanceof TSQLGrammar.Create_or_alter_functionContext
            ? text(t.func_proc_name_schema())
            : null;
      if (name === null || bare(name).toLowerCase() !== view.toLowerCase()) return;
      let spec: TSQLGrammar.Query_specificationContext | undefined;
      walk(t, (c) => {
        if (spec === undefined && c instanceof TSQLGrammar.Query_specificationContext) spec = c;
      });
      cols = (spec?.select_list().select_list_elem() ?? []).map((e) => {
        let alias: string | undefined;
        walk(e, (c) => {
          if (alias === undefined && c instanceof TSQLGrammar.As_column_aliasContext)
            alias = text(c.column_alias());
        });
        return bare(alias ?? text(e));
      });
    });
    if (cols !== null) return cols;
  }
  throw new Error(`No CREATE VIEW or FUNCTION ${view} found`);
}

/** The source text a rule context spans. */
function textOf(t: ParseTree, source: string): string {
  if (t instanceof ParserRuleContext && t.stop) return source.slice(t.start.startIndex, t.stop.stopIndex + 1);
  return t.text;
}

/** The text (tokens joined by spaces) of each top-level statement of a parsed batch. */
export function topLevelStatements(tree: ParseTree, source: string): string[] {
  const out: string[] = [];
  const visit = (t: ParseTree): void => {
    if (t instanceof TSQLGrammar.Sql_clausesContext) {
      for (let i = 0; i < t.childCount; i++) {
        const statement = t.getChild(i);
        if (statement.childCount === 0) continue; // a ';'
        out.push(textOf(statement, source).replace(/\s+/g, ' ').trim());
      }
      return; // nested statements (inside IF … BEGIN … END) belong to their guard
    }
    for (let i = 0; i < t.childCount; i++) visit(t.getChild(i));
  };
  visit(tree);
  return out;
}
