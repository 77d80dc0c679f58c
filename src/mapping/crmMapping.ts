import { z } from 'zod';
import { ConfigError } from '../errors';
import { LEAD_STATUSES } from '../scoring';

/**
 * THE mapping from the product's names to a CRM's: which table holds the leads and its key, which columns mean what,
 * where follow-ups and visits come from, and which lead statuses are active (with the guide's stage each stands
 * for), won, lost or otherwise closed. It is data (a JSON file, `LEAD_INTEL_MAPPING`), validated here once;
 * `lead-intel migrate` renders it into the mapping views (`li_leads`, `li_follow_ups`, `li_visits`) and the status
 * map table, which are the only database objects that know the CRM's names. The scoring run never reads this file.
 */

/** The lead columns the product reads, under the guide's names (the key is mapped separately). */
export const LEAD_COLUMNS = [
  'FirstName',
  'LastName',
  'Company',
  'Email',
  'LeadStatus',
  'LeadSource',
  'EstimatedValue',
  'OwnerUserId',
  'CreatedDate',
  'StatusChangedDate',
  'LastContactDate',
  'ClosedDate',
] as const;
export type LeadColumn = (typeof LEAD_COLUMNS)[number];

export const FOLLOW_UP_COLUMNS = ['LeadId', 'DueDate', 'Status', 'CompletedDate', 'CreatedDate'] as const;
export type FollowUpColumn = (typeof FOLLOW_UP_COLUMNS)[number];
export const VISIT_COLUMNS = ['LeadId', 'VisitDate'] as const;
export type VisitColumn = (typeof VISIT_COLUMNS)[number];

/** Status categories: active leads are scored; won and lost ones train the model; closed ones are neither. */
export const STATUS_CATEGORIES = ['active', 'won', 'lost', 'closed'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** The guide's stages an active status may stand for (the scoring weights are defined on these). */
export const STAGES = LEAD_STATUSES.filter((s) => s !== 'unknown');
export type Stage = (typeof STAGES)[number];

/** A SQL identifier the product quotes itself: letters, digits and underscores, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const identifier = z.string().regex(IDENTIFIER, 'must be a plain identifier: letters, digits, _ (≤ 128)');
/** `table` or `schema.table`. */
const tableName = z
  .string()
  .regex(
    /^([A-Za-z_][A-Za-z0-9_]{0,127}\.)?[A-Za-z_][A-Za-z0-9_]{0,127}$/,
    'must be "table" or "schema.table" (letters, digits, _)',
  );
/** A status value as the CRM stores it (matched trimmed and case-insensitively). */
const statusValue = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const columnMap = <K extends string>(keys: readonly K[]) =>
  z
    .object(
      Object.fromEntries(keys.map((k) => [k, identifier.nullable().optional()])) as {
        [P in K]: z.ZodOptional<z.ZodNullable<typeof identifier>>;
      },
    )
    .strict()
    .default({} as never);

const mappingSchema = z
  .object({
    lead: z
      .object({
        table: tableName,
        key: identifier,
        /** Guide name → CRM column; omitted = same name; null = the CRM has no such column. */
        columns: columnMap(LEAD_COLUMNS),
        /** Further lead columns handed to the learned model: output name → CRM column. */
        extras: z.record(identifier, identifier).default({}),
      })
      .strict(),
    followUps: z
      .object({
        table: tableName,
        columns: columnMap(FOLLOW_UP_COLUMNS),
        pending: z.array(statusValue).min(1),
        completed: z.array(statusValue).min(1),
      })
      .strict()
      .nullable(),
    visits: z
      .object({ table: tableName, columns: columnMap(VISIT_COLUMNS) })
      .strict()
      .nullable(),
    statuses: z
      .object({
        /** Active statuses: a list (each is its own stage) or CRM status → the guide's stage (null: none). */
        active: z.union([z.array(statusValue), z.record(statusValue, z.enum(STAGES).nullable())]),
        won: z.array(statusValue).default([]),
        lost: z.array(statusValue).default([]),
        closed: z.array(statusValue).default([]),
      })
      .strict(),
  })
  .strict();

export type CrmMappingInput = z.input<typeof mappingSchema>;

/** One status of the status map. */
export interface StatusEntry {
  readonly status: string;
  readonly category: StatusCategory;
  readonly stage: Stage | null;
}

/** A validated mapping with every default filled in. */
export interface CrmMapping {
  readonly lead: {
    readonly table: string;
    readonly key: string;
    readonly columns: Readonly<Record<LeadColumn, string | null>>;
    readonly extras: Readonly<Record<string, string>>;
  };
  readonly followUps: {
    readonly table: string;
    readonly columns: Readonly<Record<FollowUpColumn, string | null>>;
    readonly pending: readonly string[];
    readonly completed: readonly string[];
  } | null;
  readonly visits: {
    readonly table: string;
    readonly columns: Readonly<Record<VisitColumn, string | null>>;
  } | null;
  readonly statuses: readonly StatusEntry[];
}

/** The CRM the Phase 1 guide assumes (and `migrate --with-baseline` creates for development). */
export const GUIDE_MAPPING: CrmMappingInput = {
  lead: { table: 'dbo.lead', key: 'LeadId' },
  followUps: { table: 'dbo.FollowUps', pending: ['Pending'], completed: ['Completed'] },
  visits: { table: 'dbo.Visit' },
  statuses: {
    active: ['New', 'Contacted', 'Qualified', 'Negotiation'],
    won: ['Won'],
    lost: ['Lost', 'Disqualified'],
    closed: ['Closed'],
  },
};

/** How statuses are matched on both engines: trimmed, ASCII case-insensitive (SQLite's UPPER is ASCII only). */
export function statusKey(status: string): string {
  return status.trim().replace(/[a-z]/g, (c) => c.toUpperCase());
}

function fill<K extends string>(
  keys: readonly K[],
  given: Partial<Record<K, string | null | undefined>>,
): Record<K, string | null> {
  return Object.fromEntries(keys.map((k) => [k, given[k] === undefined ? k : given[k]])) as Record<
    K,
    string | null
  >;
}

/**
 * Validates a mapping (parsed JSON) and fills its defaults. Every problem is listed in one CONFIG_INVALID error
 * naming `source`: unknown keys, bad identifiers, a status in two categories, a required column mapped to nothing.
 */
export function parseCrmMapping(raw: unknown, source: string): CrmMapping {
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const m = parsed.data;
  const issues: string[] = [];
  const leadColumns = fill(LEAD_COLUMNS, m.lead.columns);
  if (leadColumns.LeadStatus === null)
    issues.push('lead.columns.LeadStatus: required (the status map reads it)');
  const followUps = m.followUps && {
    table: m.followUps.table,
    columns: fill(FOLLOW_UP_COLUMNS, m.followUps.columns),
    pending: m.followUps.pending,
    completed: m.followUps.completed,
  };
  for (const c of ['LeadId', 'Status'] as const) {
    if (followUps && followUps.columns[c] === null) issues.push(`followUps.columns.${c}: required`);
  }
  const visits = m.visits && { table: m.visits.table, columns: fill(VISIT_COLUMNS, m.visits.columns) };
  for (const c of VISIT_COLUMNS) {
    if (visits && visits.columns[c] === null) issues.push(`visits.columns.${c}: required`);
  }
  for (const name of Object.keys(m.lead.extras)) {
    if ((LEAD_COLUMNS as readonly string[]).includes(name) || name === 'LeadId' || /Score|Status/.test(name))
      issues.push(`lead.extras.${name}: clashes with a name the product uses`);
  }
  const statuses: StatusEntry[] = [];
  const active = Array.isArray(m.statuses.active)
    ? m.statuses.active.map(
        (s) => [s, (STAGES as readonly string[]).includes(s) ? (s as Stage) : null] as const,
      )
    : Object.entries(m.statuses.active);
  for (const [status, stage] of active) statuses.push({ status, category: 'active', stage });
  for (const category of ['won', 'lost', 'closed'] as const)
    for (const status of m.statuses[category]) statuses.push({ status, category, stage: null });
  const seen = new Map<string, StatusEntry>();
  for (const e of statuses) {
    const prior = seen.get(statusKey(e.status));
    if (prior)
      issues.push(
        `statuses: "${e.status}" (${e.category}) and "${prior.status}" (${prior.category}) are the same status once trimmed and case-folded`,
      );
    seen.set(statusKey(e.status), e);
  }
  if (!statuses.some((s) => s.category === 'active')) issues.push('statuses.active: at least one status');
  if (followUps) {
    const p = new Set(followUps.pending.map(statusKey));
    const both = followUps.completed.filter((s) => p.has(statusKey(s)));
    if (both.length) issues.push(`followUps: ${both.join(', ')} both pending and completed`);
  }
  if (issues.length) throw new ConfigError(source, issues);
  return Object.freeze({
    lead: Object.freeze({
      table: m.lead.table,
      key: m.lead.key,
      columns: Object.freeze(leadColumns),
      extras: Object.freeze({ ...m.lead.extras }),
    }),
    followUps: followUps && Object.freeze(followUps),
    visits: visits && Object.freeze(visits),
    statuses: Object.freeze(statuses),
  });
}

/** The guide's CRM, validated. */
export const DEFAULT_MAPPING: CrmMapping = parseCrmMapping(GUIDE_MAPPING, 'the built-in mapping');
