import type { CrmMapping } from '../mapping';
import { SCORE_COLUMNS } from '../mapping';

/** A table or view as the catalog describes it. */
export interface TableShape {
  readonly kind: 'table' | 'view';
  /** Column names (lower case) → base type name (lower case; `nvarchar(max)` for a MAX column). */
  readonly columns: ReadonlyMap<string, string>;
  /** Names (lower case) of its CHECK constraints, when the engine names them (SQL Server). */
  readonly checks?: ReadonlySet<string>;
  /** Whether the key column alone is the key of a unique index or primary key (lead table only). */
  readonly keyUnique?: boolean;
  /** What makes every write to the table cost more (triggers, temporal, CDC …): reported, not refused. */
  readonly writeFeatures?: readonly string[];
}

export interface CrmSchemaCheck {
  /** Anything that would make a migration or a run fail or do harm: `migrate` refuses (exit 6). */
  readonly problems: string[];
  /** What the DBA should know before the first run; nothing is refused for it. */
  readonly warnings: string[];
}

/** Integer types a CRM key may have (the table-valued parameters carry INT). */
const KEY_TYPES = new Set(['int', 'smallint', 'tinyint', 'integer']);
/** Types an index cannot include and UPPER() cannot take. */
const LOB_TYPES = new Set(['text', 'ntext', 'image']);
/** Types SQL Server compares with an INT parameter by converting the parameter (data type precedence). */
const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'real',
  'money',
  'smallmoney',
]);
/** The CHECK constraints 001 adds: with all nine columns they mark a 001 that stopped after its first step. */
const OUR_CHECKS = SCORE_COLUMNS.filter((c) => c !== 'ScoresLastUpdated').map(
  (c) => `ck_lead_${c.toLowerCase()}`,
);

/**
 * Everything about the CRM that would make the migrations or the run fail or do harm, checked before anything is
 * changed: each mapped table and column exists; the lead table is a table whose key is an integer with a unique
 * index (the score MERGE matches one row per key); the status column is not a legacy LOB type; and — before 001 is
 * recorded — none of the nine score columns exists, unless all nine and 001's constraints do (a 001 that stopped
 * after its first, committed step: rerunning it resumes).
 */
export function crmSchemaProblems(
  mapping: CrmMapping,
  describe: (table: string) => TableShape | null,
  options: { readonly scoreColumnsApplied: boolean; readonly dialect: 'tsql' | 'sqlite' },
): CrmSchemaCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const lead = describe(mapping.lead.table);
  const has = (t: TableShape, c: string): boolean => t.columns.has(c.toLowerCase());
  const name = mapping.lead.table;
  if (!lead) problems.push(`lead table ${name} (lead.table) does not exist (or this login cannot see it)`);
  else {
    if (lead.kind !== 'table') problems.push(`lead table ${name} is a view; the score columns need a table`);
    const keyType = lead.columns.get(mapping.lead.key.toLowerCase());
    if (keyType === undefined)
      problems.push(`key column ${name}.${mapping.lead.key} (lead.key) does not exist`);
    else if (!KEY_TYPES.has(keyType))
      problems.push(`key column ${name}.${mapping.lead.key} is ${keyType}; an integer key is required`);
    else if (lead.keyUnique === false)
      problems.push(
        `key column ${name}.${mapping.lead.key} is not the key of a unique index or primary key: the score writes would scan the table, and a duplicated key would update several rows`,
      );
    const mapped = [
      ...Object.entries(mapping.lead.columns).map(([n, crm]) => [`lead.columns.${n}`, crm] as const),
      ...Object.entries(mapping.lead.extras).map(([n, crm]) => [`lead.extras.${n}`, crm] as const),
    ];
    for (const [where, crm] of mapped) {
      if (crm !== null && !has(lead, crm)) problems.push(`column ${name}.${crm} (${where}) does not exist`);
    }
    typeChecks(mapping, name, lead, options.dialect, problems, warnings);
    if (!options.scoreColumnsApplied) {
      const clash = SCORE_COLUMNS.filter((c) => has(lead, c));
      const resumable =
        clash.length === SCORE_COLUMNS.length && OUR_CHECKS.every((c) => lead.checks?.has(c) === true);
      if (resumable) warnings.push(`${name} has the nine score columns of an interrupted 001: it resumes`);
      else if (clash.length)
        problems.push(
          `${name} already has ${clash.join(', ')}, and migration 001 is not recorded: these are not ` +
            `Lead Intelligence's columns; rename them or map another table`,
        );
    }
    for (const f of lead.writeFeatures ?? [])
      warnings.push(
        `${name} ${f}: every score change (and, with SCORES_LAST_UPDATED=every-run, every run) goes through it`,
      );
  }
  const parts = [
    ['followUps', mapping.followUps],
    ['visits', mapping.visits],
  ] as const;
  for (const [part, spec] of parts) {
    if (!spec) continue;
    const t = describe(spec.table);
    if (!t) {
      problems.push(
        `${part} table ${spec.table} (${part}.table) does not exist (or this login cannot see it)`,
      );
      continue;
    }
    for (const [n, crm] of Object.entries(spec.columns)) {
      if (crm !== null && !has(t, crm))
        problems.push(`column ${spec.table}.${crm} (${part}.columns.${n}) does not exist`);
    }
  }
  return { problems, warnings };
}

/** The mapped status and owner columns' types: what the indexes of 001 and the leads API's owner filter can take. */
function typeChecks(
  mapping: CrmMapping,
  name: string,
  lead: TableShape,
  dialect: 'tsql' | 'sqlite',
  problems: string[],
  warnings: string[],
): void {
  const statusType = lead.columns.get(mapping.lead.columns.LeadStatus!.toLowerCase());
  // SQL Server's legacy LOB types (SQLite's TEXT is an ordinary string)
  if (dialect === 'tsql' && statusType && LOB_TYPES.has(statusType))
    problems.push(
      `status column ${name}.${mapping.lead.columns.LeadStatus} is ${statusType}; indexes cannot include it`,
    );
  else if (statusType?.endsWith('(max)'))
    warnings.push(
      `status column ${name}.${mapping.lead.columns.LeadStatus} is ${statusType}: three indexes of 001 include a copy of it`,
    );
  // the leads API's owner filter compares the owner column with an INT parameter: SQL Server converts INT to any
  // numeric type, refuses the comparison with other types (uniqueidentifier …) and fails on a non-numeric string
  // (data type precedence); SQLite compares by affinity, so this is about T-SQL only
  const ownerColumn = mapping.lead.columns.OwnerUserId;
  const ownerType = ownerColumn ? lead.columns.get(ownerColumn.toLowerCase()) : undefined;
  if (dialect === 'tsql' && ownerType !== undefined && !NUMERIC_TYPES.has(ownerType))
    warnings.push(
      `owner column ${name}.${ownerColumn} is ${ownerType}: the leads API's owner filter compares it with an integer id, which fails for this type (or for a value that is not a number); everything else works`,
    );
}
