import type { CrmMapping } from '../mapping';
import { SCORE_COLUMNS } from '../mapping';

/** A table or view as the catalog describes it: column names (lower case) → type name (lower case). */
export interface TableShape {
  readonly kind: 'table' | 'view';
  readonly columns: ReadonlyMap<string, string>;
}

/** Integer types a CRM key may have (the table-valued parameters carry INT). */
const KEY_TYPES = new Set(['int', 'smallint', 'tinyint', 'integer']);

/**
 * Everything about the CRM that would make the migrations or the run fail or do harm, checked before anything is
 * changed: each mapped table and column exists, the lead table is a table with an integer key, and — before 001 —
 * none of the nine score columns exists already (a column of that name would be the CRM's own, not ours).
 */
export function crmSchemaProblems(
  mapping: CrmMapping,
  describe: (table: string) => TableShape | null,
  options: { readonly scoreColumnsApplied: boolean },
): string[] {
  const problems: string[] = [];
  const lead = describe(mapping.lead.table);
  const has = (t: TableShape, c: string): boolean => t.columns.has(c.toLowerCase());
  if (!lead) problems.push(`lead table ${mapping.lead.table} (lead.table) does not exist`);
  else {
    if (lead.kind !== 'table')
      problems.push(`lead table ${mapping.lead.table} is a view; the score columns need a table`);
    const keyType = lead.columns.get(mapping.lead.key.toLowerCase());
    if (keyType === undefined)
      problems.push(`key column ${mapping.lead.table}.${mapping.lead.key} (lead.key) does not exist`);
    else if (!KEY_TYPES.has(keyType))
      problems.push(
        `key column ${mapping.lead.table}.${mapping.lead.key} is ${keyType}; an integer key is required`,
      );
    const mapped = [
      ...Object.entries(mapping.lead.columns).map(([name, crm]) => [`lead.columns.${name}`, crm] as const),
      ...Object.entries(mapping.lead.extras).map(([name, crm]) => [`lead.extras.${name}`, crm] as const),
    ];
    for (const [where, crm] of mapped) {
      if (crm !== null && !has(lead, crm))
        problems.push(`column ${mapping.lead.table}.${crm} (${where}) does not exist`);
    }
    if (!options.scoreColumnsApplied) {
      const clash = SCORE_COLUMNS.filter((c) => has(lead, c));
      if (clash.length)
        problems.push(
          `${mapping.lead.table} already has ${clash.join(', ')}, and migration 001 is not recorded: these are not ` +
            `Lead Intelligence's columns; rename them or map another table`,
        );
    }
  }
  const parts = [
    ['followUps', mapping.followUps],
    ['visits', mapping.visits],
  ] as const;
  for (const [part, spec] of parts) {
    if (!spec) continue;
    const t = describe(spec.table);
    if (!t) {
      problems.push(`${part} table ${spec.table} (${part}.table) does not exist`);
      continue;
    }
    for (const [name, crm] of Object.entries(spec.columns)) {
      if (crm !== null && !has(t, crm))
        problems.push(`column ${spec.table}.${crm} (${part}.columns.${name}) does not exist`);
    }
  }
  return problems;
}
