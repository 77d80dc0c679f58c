import { ConfigError } from '../errors';
import type { CrmMapping, LeadColumn } from './crmMapping';
import { SQLITE_FEATURE_COLUMNS, sqliteFeatureJoins } from './sqliteFeatures';

/**
 * Renders the mapping into the scripts' variables. The migration scripts are templates with sqlcmd-style
 * `$(Name)` variables (the syntax DBAs know from `sqlcmd -v` and SSMS's SQLCMD mode) and `-- li:if <part>` …
 * `-- li:end` blocks for optional CRM parts; `lead-intel migrate --print` shows the rendered text before it runs.
 * Identifiers were validated by the mapping's schema (letters, digits, _), so quoting cannot be escaped from;
 * status values are string literals with quotes doubled.
 */

export type Dialect = 'tsql' | 'sqlite';

/** The nine score columns the product adds to the CRM's lead table (the guide's names). */
export const SCORE_COLUMNS = [
  'HealthScore',
  'VelocityScore',
  'AIPriority',
  'ConversionProbability',
  'ChurnRisk',
  'FollowUpStatus',
  'OverdueDays',
  'RecommendationJson',
  'ScoresLastUpdated',
] as const;

/** The type of a lead column the CRM does not have (the view still has the column, always NULL). */
const NULL_TYPES: Readonly<Record<LeadColumn, string>> = {
  FirstName: 'NVARCHAR(100)',
  LastName: 'NVARCHAR(100)',
  Company: 'NVARCHAR(200)',
  Email: 'NVARCHAR(256)',
  LeadStatus: 'NVARCHAR(100)',
  LeadSource: 'NVARCHAR(50)',
  EstimatedValue: 'DECIMAL(18, 2)',
  OwnerUserId: 'INT',
  CreatedDate: 'DATETIME2(3)',
  StatusChangedDate: 'DATETIME2(3)',
  LastContactDate: 'DATETIME2(3)',
  ClosedDate: 'DATETIME2(3)',
};

/** `schema.table` split, with dbo as T-SQL's default schema. */
export function splitTable(table: string): { schema: string; name: string } {
  const parts = table.split('.');
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: 'dbo', name: parts[0]! };
}

export function quoteIdentifier(id: string, d: Dialect): string {
  return d === 'tsql' ? `[${id}]` : `"${id}"`;
}

/** A mapped table as the dialect names it: `[schema].[table]`; SQLite has one schema, so the last part only. */
export function quoteTable(table: string, d: Dialect): string {
  const { schema, name } = splitTable(table);
  return d === 'tsql' ? `[${schema}].[${name}]` : `"${name}"`;
}

export function stringLiteral(value: string, d: Dialect): string {
  return `${d === 'tsql' ? 'N' : ''}'${value.replace(/'/g, "''")}'`;
}

/** Trimmed and upper-cased, the same way on both engines (the status map's key). */
export function statusKeySql(expr: string, d: Dialect): string {
  return d === 'tsql' ? `UPPER(LTRIM(RTRIM(${expr})))` : `UPPER(TRIM(${expr}))`;
}

const nullOf = (type: string, d: Dialect): string => (d === 'tsql' ? `CAST(NULL AS ${type})` : 'NULL');

function column(alias: string, crm: string | null, name: string, type: string, d: Dialect): string {
  return crm === null ? `${nullOf(type, d)} AS ${name}` : `${alias}.${quoteIdentifier(crm, d)} AS ${name}`;
}

function leadViewSelect(m: CrmMapping, d: Dialect): string {
  const cols = [`l.${quoteIdentifier(m.lead.key, d)} AS LeadId`];
  for (const [name, crm] of Object.entries(m.lead.columns) as [LeadColumn, string | null][]) {
    // the status, like its key below, in the database's collation: COALESCE(status map stage, status) in the
    // scoring input would otherwise have no collation when the CRM column's differs (error 451)
    const collate = name === 'LeadStatus' && d === 'tsql' ? ' COLLATE DATABASE_DEFAULT' : '';
    cols.push(
      column('l', crm, name, NULL_TYPES[name], d).replace(/ AS LeadStatus$/, `${collate} AS LeadStatus`),
    );
  }
  const status = `l.${quoteIdentifier(m.lead.columns.LeadStatus!, d)}`;
  // DATABASE_DEFAULT: the CRM column's collation may differ from the database's, which the status map's key has;
  // the join would otherwise fail with a collation conflict.
  cols.push(`${statusKeySql(status, d)}${d === 'tsql' ? ' COLLATE DATABASE_DEFAULT' : ''} AS StatusKey`);
  for (const [name, crm] of Object.entries(m.lead.extras))
    cols.push(`l.${quoteIdentifier(crm, d)} AS ${name}`);
  for (const c of SCORE_COLUMNS) cols.push(`l.${c}`);
  return `SELECT\n    ${cols.join(',\n    ')}\nFROM ${quoteTable(m.lead.table, d)} AS l`;
}

function inList(values: readonly string[], d: Dialect): string {
  return values.map((v) => statusKeySql(stringLiteral(v, d), d)).join(', ');
}

function followUpViewSelect(m: CrmMapping, d: Dialect): string {
  const f = m.followUps;
  const dt = 'DATETIME2(3)';
  if (!f) {
    const cols = [
      `${nullOf('INT', d)} AS LeadId`,
      ...['DueDate', 'CompletedDate', 'CreatedDate'].map((c) => `${nullOf(dt, d)} AS ${c}`),
    ];
    return `SELECT ${cols.join(', ')}, ${nullOf('VARCHAR(10)', d)} AS State WHERE 1 = 0`;
  }
  const status = statusKeySql(`f.${quoteIdentifier(f.columns.Status!, d)}`, d);
  const columns = `${column('f', f.columns.LeadId, 'LeadId', 'INT', d)},
    ${column('f', f.columns.DueDate, 'DueDate', dt, d)},
    ${column('f', f.columns.CompletedDate, 'CompletedDate', dt, d)},
    ${column('f', f.columns.CreatedDate, 'CreatedDate', dt, d)}`;
  if (d === 'sqlite')
    // SQLite expands a view column at every reference: the feature aggregation names State seven times per row, so
    // the state comes from a join (one lookup per row) instead of a CASE re-evaluated each time (3× faster reads)
    return `SELECT
    ${columns},
    COALESCE(s.State, 'other') AS State
FROM ${quoteTable(f.table, d)} AS f
LEFT JOIN li_follow_up_states AS s ON s.StatusKey = ${status}`;
  return `SELECT
    ${columns},
    CASE WHEN ${status} IN (${inList(f.pending, d)}) THEN 'pending'
         WHEN ${status} IN (${inList(f.completed, d)}) THEN 'completed'
         ELSE 'other' END AS State
FROM ${quoteTable(f.table, d)} AS f`;
}

/** The follow-up statuses as rows (status, state), for the embedded store's li_follow_up_states. */
function followUpStateRows(m: CrmMapping, d: Dialect): string {
  const f = m.followUps;
  if (!f) return `('', 'other')`;
  return [
    ...f.pending.map((s) => `(${stringLiteral(s, d)}, 'pending')`),
    ...f.completed.map((s) => `(${stringLiteral(s, d)}, 'completed')`),
  ].join(', ');
}

function visitViewSelect(m: CrmMapping, d: Dialect): string {
  const v = m.visits;
  if (!v)
    return `SELECT ${nullOf('INT', d)} AS LeadId, ${nullOf('DATETIME2(3)', d)} AS VisitDate WHERE 1 = 0`;
  return `SELECT
    ${column('v', v.columns.LeadId, 'LeadId', 'INT', d)},
    ${column('v', v.columns.VisitDate, 'VisitDate', 'DATETIME2(3)', d)}
FROM ${quoteTable(v.table, d)} AS v`;
}

function statusMapRows(m: CrmMapping, d: Dialect): string {
  return m.statuses
    .map(
      (s) =>
        `(${stringLiteral(s.status, d)}, '${s.category}', ${s.stage === null ? 'NULL' : stringLiteral(s.stage, d)})`,
    )
    .join(',\n    ');
}

/** Every variable the migration templates use, for one dialect. */
export function mappingVariables(m: CrmMapping, d: Dialect): Readonly<Record<string, string>> {
  const q = (id: string): string => quoteIdentifier(id, d);
  const lead = splitTable(m.lead.table);
  const extras = Object.keys(m.lead.extras);
  const vars: Record<string, string> = {
    LeadTable: quoteTable(m.lead.table, d),
    LeadSchema: q(lead.schema),
    LeadKey: q(m.lead.key),
    LeadStatusColumn: q(m.lead.columns.LeadStatus!),
    LeadTableName: lead.name,
    LeadSchemaName: lead.schema,
    LeadKeyName: m.lead.key,
    LeadViewSelect: leadViewSelect(m, d),
    FollowUpViewSelect: followUpViewSelect(m, d),
    VisitViewSelect: visitViewSelect(m, d),
    StatusMapRows: statusMapRows(m, d),
    /** `, l.Extra1, l.Extra2` for the scoring and training views. */
    LeadExtras: extras.map((e) => `,\n    l.${e}`).join(''),
  };
  if (d === 'sqlite') {
    vars.FollowUpStateRows = followUpStateRows(m, d);
    vars.FeatureColumns = SQLITE_FEATURE_COLUMNS;
    vars.FeaturesAsOfRun = sqliteFeatureJoins('run');
    vars.FeaturesAsOfClose = sqliteFeatureJoins('closeDate');
  }
  if (m.followUps) {
    const c = m.followUps.columns;
    vars.FollowUpTable = quoteTable(m.followUps.table, d);
    vars.FollowUpLeadKey = q(c.LeadId!);
    vars.FollowUpIncludes = [c.Status, c.DueDate, c.CompletedDate, c.CreatedDate]
      .filter((x): x is string => x !== null)
      .map(q)
      .join(', ');
  }
  if (m.visits) {
    vars.VisitTable = quoteTable(m.visits.table, d);
    vars.VisitLeadKey = q(m.visits.columns.LeadId!);
    vars.VisitDateColumn = q(m.visits.columns.VisitDate!);
  }
  return Object.freeze(vars);
}

/**
 * Renders a migration template: drops `-- li:if followUps|visits` … `-- li:end` blocks the mapping has no part
 * for, then substitutes every `$(Name)`. An unknown variable is an error, never left in the SQL.
 */
export function renderTemplate(sql: string, m: CrmMapping, d: Dialect, source: string): string {
  const vars = mappingVariables(m, d);
  const parts: Record<string, boolean> = { followUps: m.followUps !== null, visits: m.visits !== null };
  const kept = sql.replace(
    /^[ \t]*-- li:if (\w+)[ \t]*\r?\n([\s\S]*?)^[ \t]*-- li:end[ \t]*(\r?\n|$)/gm,
    (_all, part: string, body: string) => {
      if (!(part in parts)) throw new ConfigError(source, [`unknown block "-- li:if ${part}"`]);
      return parts[part] ? body : '';
    },
  );
  const missing = new Set<string>();
  const out = kept.replace(/\$\((\w+)\)/g, (_all, name: string) => {
    const v = vars[name];
    if (v === undefined) missing.add(name);
    return v ?? '';
  });
  if (missing.size)
    throw new ConfigError(
      source,
      [...missing].map((n) => `variable $(${n}) is not defined`),
    );
  return out;
}
