import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAPPING } from '../../../src/mapping';
import { grantStatements } from '../../../src/store/mssql/migrateMssql';
import * as Q from '../../../src/store/mssql/statements';
import { migrationsRoot, renderMigrations, renderScript } from '../../../src/store/migrationFiles';
import { leadsStatementShapes } from '../../helpers/leadsShapes';
import { parseTsql } from '../../helpers/tsql';

/**
 * The app identity's rights (migrations/grants/lead_intel_app.sql) against what the Azure SQL adapter actually sends:
 * every statement the adapter module names (found in its source, not listed here by hand), every shape of the leads
 * query, and the table types its TVPs bind. Rights are derived per statement from the T-SQL text (each statement is
 * first checked by the TSql grammar): SELECT on every object read (an UPDATE/MERGE/DELETE that matches or filters
 * needs SELECT on the columns it reads), UPDATE on the columns a SET assigns, INSERT for INSERT INTO and a MERGE's
 * insert branch, DELETE for DELETE. Nothing may be missing, and nothing may be granted that no statement uses.
 */

type Perm = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'EXECUTE';
interface Right {
  readonly object: string;
  readonly perm: Perm;
  readonly columns: readonly string[] | null;
}

const GRANT =
  /^GRANT ((?:SELECT|INSERT|UPDATE|DELETE|EXECUTE)(?:, (?:SELECT|INSERT|UPDATE|DELETE|EXECUTE))*) ON (TYPE::)?dbo\.(\w+)(?: \(([\w, ]+)\))? TO lead_intel_app;$/;

function parseGrants(script: string): Right[] {
  return grantStatements(script).flatMap((line) => {
    const m = GRANT.exec(line);
    if (!m) throw new Error(`Not a GRANT this test understands: ${line}`);
    const columns = m[4] ? m[4].split(',').map((c) => c.trim()) : null;
    return m[1]!.split(', ').map((perm) => ({ object: m[3]!, perm: perm as Perm, columns }));
  });
}

/** The rights one statement needs, from its text. */
export function rightsOf(statement: string): Right[] {
  const rights: Right[] = [];
  const aliases = new Map<string, string>();
  for (const m of statement.matchAll(/\bdbo\.(\w+)(?:\s+WITH \(HOLDLOCK\))?(?:\s+AS\s+(\w+))?/g)) {
    // read through an alias: the columns it names (SELECT can be granted per column); otherwise the whole object
    const alias = m[2];
    const columns = alias
      ? [...new Set([...statement.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))].map((c) => c[1]!))]
      : null;
    rights.push({ object: m[1]!, perm: 'SELECT', columns: columns && columns.length ? columns : null });
    if (alias) aliases.set(alias, m[1]!);
  }
  const target = (name: string): string => aliases.get(name) ?? name.replace(/^dbo\./, '');
  for (const part of statement.split(/;\s*\n/)) {
    const merge = /^\s*MERGE dbo\.(\w+)/.exec(part);
    const update = /^\s*UPDATE (\S+) SET/.exec(part);
    const setTarget = merge ? merge[1]! : update ? target(update[1]!) : null;
    if (setTarget) {
      const cols = [...part.matchAll(/(?:SET|,)\s+(?:\w+\.)?(\w+) = /g)].map((c) => c[1]!);
      const assigned = [...new Set(cols)].filter((c) => c !== 'LeadId');
      if (assigned.length) rights.push({ object: setTarget, perm: 'UPDATE', columns: assigned });
    }
    if (merge && /WHEN NOT MATCHED BY TARGET THEN\s+INSERT/.test(part))
      rights.push({ object: merge[1]!, perm: 'INSERT', columns: null });
    const insert = /^\s*INSERT INTO dbo\.(\w+)/.exec(part);
    if (insert) rights.push({ object: insert[1]!, perm: 'INSERT', columns: null });
    const del = /^\s*DELETE (?:TOP \(@\w+\) )?FROM dbo\.(\w+)/.exec(part);
    if (del) rights.push({ object: del[1]!, perm: 'DELETE', columns: null });
  }
  return rights;
}

// Every file of the adapter that sends statements (the store façade and its role files), not the statements module
// itself, the test double of the pool or the migration runner (which runs as the migration login, not the app).
const adapterDir = join(__dirname, '../../../src/store/mssql');
const notAdapter = new Set(['statements.ts', 'recordingPool.ts', 'migrateMssql.ts']);
const adapterFiles = readdirSync(adapterDir).filter((f) => f.endsWith('.ts') && !notAdapter.has(f));
const adapterSource = adapterFiles.map((f) => readFileSync(join(adapterDir, f), 'utf8')).join('\n');
const tvpSource = readFileSync(join(__dirname, '../../../src/store/mssql/tvp.ts'), 'utf8');
const used = [...new Set([...adapterSource.matchAll(/\bQ\.([A-Z_]+)\b/g)].map((m) => m[1]!))];
const fixed = Q as unknown as Record<string, string>;
const shapes = leadsStatementShapes({ churnRisk: 2, followUpStatus: 1, status: 2 });
const statements = [
  ...used.filter((n) => typeof fixed[n] === 'string').map((n) => fixed[n]!),
  ...shapes.map((s) => Q.queryLeadsStatement(s)),
];
const needed: Right[] = [
  ...statements.flatMap(rightsOf),
  ...[...tvpSource.matchAll(/table\('dbo\.(\w+)'/g)].map((m) => ({
    object: m[1]!,
    perm: 'EXECUTE' as const,
    columns: null,
  })),
];
const granted = parseGrants(renderScript('grants/lead_intel_app.sql', DEFAULT_MAPPING));

describe('the app role lead_intel_app', () => {
  it('finds the statements the adapter sends in its source, each valid T-SQL', () => {
    expect(used).toEqual(
      expect.arrayContaining(['WRITE_SCORES_EVERY_RUN', 'WRITE_SCORES_ON_CHANGE', 'READ_CHUNK', 'START_RUN']),
    );
    expect(used).not.toContain('RECORD_MIGRATION'); // the migration principal's, not the app's
    for (const s of statements) expect(parseTsql(s).errors).toStrictEqual([]);
  });

  it('derives rights from statement text (a reference example worked by hand)', () => {
    const touch = `UPDATE t SET t.ScoresLastUpdated = @scoredAt
FROM dbo.li_leads AS t
INNER JOIN @rows AS s ON s.LeadId = t.LeadId;`;
    // the touch reads t.ScoresLastUpdated (its WHERE) and t.LeadId (the join), and sets ScoresLastUpdated
    expect(rightsOf(touch)).toStrictEqual([
      { object: 'li_leads', perm: 'SELECT', columns: ['ScoresLastUpdated', 'LeadId'] },
      { object: 'li_leads', perm: 'UPDATE', columns: ['ScoresLastUpdated'] },
    ]);
    expect(rightsOf(Q.READ_CHUNK)).toStrictEqual([
      { object: 'li_scoring_input', perm: 'SELECT', columns: null },
    ]);
    expect(rightsOf(Q.PURGE_SNAPSHOTS).map((r) => r.perm)).toStrictEqual(['SELECT', 'DELETE']);
  });

  it('has every right a statement needs', () => {
    for (const n of needed) {
      const g = granted.find((r) => r.object === n.object && r.perm === n.perm);
      expect({ need: n, granted: g !== undefined }).toStrictEqual({ need: n, granted: true });
      if (g?.columns)
        expect({ need: n, columns: g.columns }).toEqual({
          need: n,
          columns: expect.arrayContaining([...(n.columns ?? ['*'])]),
        });
    }
  });

  it('has no right that no statement uses', () => {
    for (const g of granted) {
      const uses = needed.filter((n) => n.object === g.object && n.perm === g.perm);
      expect({ grant: g, used: uses.length > 0 }).toStrictEqual({ grant: g, used: true });
      if (g.columns)
        expect([...new Set(uses.flatMap((u) => u.columns ?? []))].sort()).toStrictEqual(
          [...g.columns].sort(),
        );
    }
  });

  it('may update exactly the nine score columns of the lead view, and touches no CRM table by name', () => {
    const updates = granted.filter((g) => g.perm === 'UPDATE' || g.perm === 'DELETE' || g.perm === 'INSERT');
    expect(updates.filter((g) => g.object === 'li_leads')).toStrictEqual([
      // the guide's nine score columns, written out (not SCORE_COLUMNS, which the grant file is meant to match)
      {
        object: 'li_leads',
        perm: 'UPDATE',
        columns: [
          'HealthScore',
          'VelocityScore',
          'AIPriority',
          'ConversionProbability',
          'ChurnRisk',
          'FollowUpStatus',
          'OverdueDays',
          'RecommendationJson',
          'ScoresLastUpdated',
        ],
      },
    ]);
    const script = readFileSync(join(migrationsRoot(), 'grants', 'lead_intel_app.sql'), 'utf8');
    expect(script).not.toMatch(/\$\(|\[crm\]|dbo\.(lead|FollowUps|Visit)\b/);
  });

  it('is granted on objects the migrations create, and 002 creates the role', () => {
    const sql = renderMigrations('tsql', DEFAULT_MAPPING)
      .map((m) => m.sql)
      .join('\n');
    for (const g of granted)
      expect(sql).toMatch(new RegExp(`CREATE (VIEW|TABLE|TYPE|FUNCTION) dbo\\.${g.object}\\b`));
    expect(sql).toContain('CREATE ROLE lead_intel_app AUTHORIZATION dbo;');
  });
});
