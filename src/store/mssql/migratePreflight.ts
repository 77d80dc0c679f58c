import sql from 'mssql';
import { MigrationError } from '../../errors';
import { quoteTable, type CrmMapping } from '../../mapping';
import { crmSchemaProblems, type TableShape } from '../crmSchemaProblems';
import * as Q from './statements';

async function describe(pool: sql.ConnectionPool, table: string, key?: string): Promise<TableShape | null> {
  const quoted = quoteTable(table, 'tsql');
  const r = await pool
    .request()
    .input('table', sql.NVarChar(300), quoted)
    .query<{ kind: string; columnName: string; typeName: string | null }>(Q.DESCRIBE_TABLE);
  if (r.recordset.length === 0) return null;
  const shape = {
    kind: r.recordset[0]!.kind.trim() === 'V' ? ('view' as const) : ('table' as const),
    columns: new Map(r.recordset.map((c) => [c.columnName.toLowerCase(), (c.typeName ?? '').toLowerCase()])),
  };
  if (key === undefined || shape.kind === 'view') return shape;
  const facts = await pool
    .request()
    .input('table', sql.NVarChar(300), quoted)
    .input('key', sql.NVarChar(128), key)
    .query(Q.LEAD_TABLE_FACTS);
  const sets = facts.recordsets as unknown as [Record<string, number>[], { checkName: string }[]];
  const f = sets[0][0] ?? {};
  const features = [
    f.triggers ? `has ${f.triggers} enabled trigger(s)` : null,
    f.temporalType === 2 ? 'is system-versioned (every update adds a history row)' : null,
    f.cdc ? 'is tracked by change data capture' : null,
    f.changeTracking ? 'is change-tracked' : null,
    f.replicated ? 'is replicated' : null,
    f.memoryOptimized ? 'is memory-optimized (adding columns rebuilds it)' : null,
  ].filter((x): x is string => x !== null);
  return {
    ...shape,
    keyUnique: f.keyUnique === 1,
    checks: new Set(sets[1].map((c) => c.checkName)),
    writeFeatures: features,
  };
}

/** The mapped CRM tables as they are, checked before any change: CRM_SCHEMA_MISMATCH lists every problem. */
export async function preflight(
  pool: sql.ConnectionPool,
  mapping: CrmMapping,
  scoreColumnsApplied: boolean,
): Promise<string[]> {
  const tables = [mapping.lead.table, mapping.followUps?.table, mapping.visits?.table].filter(
    (t): t is string => t !== undefined,
  );
  const shapes = new Map<string, TableShape | null>();
  for (const t of tables)
    shapes.set(t, await describe(pool, t, t === mapping.lead.table ? mapping.lead.key : undefined));
  const { problems, warnings } = crmSchemaProblems(mapping, (t) => shapes.get(t) ?? null, {
    scoreColumnsApplied,
    dialect: 'tsql',
  });
  if (problems.length)
    throw new MigrationError('CRM_SCHEMA_MISMATCH', 'The database does not match the mapping', problems);
  return warnings;
}
