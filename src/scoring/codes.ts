/**
 * Enum codes of the columnar contract. Stores translate the CRM's text values to these codes once, at the boundary;
 * the core only ever sees small integers. Code 0 is always "unknown / not set".
 */

/** Active lead statuses, in pipeline order (the guide's 'New', 'Contacted', 'Qualified', 'Negotiation'). */
export const LEAD_STATUSES = ['unknown', 'New', 'Contacted', 'Qualified', 'Negotiation'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Lead sources. Values not in this list map to `other`; NULL maps to `unknown`. */
export const LEAD_SOURCES = [
  'unknown',
  'Website',
  'Referral',
  'Event',
  'Partner',
  'Email',
  'Social',
  'ColdCall',
  'Advertisement',
  'other',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const CHURN_RISKS = ['low', 'medium', 'high', 'critical'] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];
export const CHURN_LOW = 0;
export const CHURN_MEDIUM = 1;
export const CHURN_HIGH = 2;
export const CHURN_CRITICAL = 3;

export const FOLLOW_UP_STATUSES = ['none', 'overdue', 'today', 'this_week', 'scheduled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const FOLLOW_UP_NONE = 0;
export const FOLLOW_UP_OVERDUE = 1;
export const FOLLOW_UP_TODAY = 2;
export const FOLLOW_UP_THIS_WEEK = 3;
export const FOLLOW_UP_SCHEDULED = 4;

/** Case-insensitive text → code lookup; unknown text gets `fallback`, NULL/empty gets 0. */
export function codeOf(values: readonly string[], text: string | null | undefined, fallback = 0): number {
  if (text === null || text === undefined) return 0;
  const t = text.trim().toLowerCase();
  if (t === '') return 0;
  for (let i = 1; i < values.length; i++) if (values[i]!.toLowerCase() === t) return i;
  return fallback;
}

export const SOURCE_OTHER = LEAD_SOURCES.indexOf('other');

export const MS_PER_DAY = 86_400_000;

/** The first late-stage status code: "push to close" is only for Qualified and Negotiation leads. */
export const STATUS_QUALIFIED = LEAD_STATUSES.indexOf('Qualified');
