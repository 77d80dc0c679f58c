import {
  allocateLeadFeatures,
  LEAD_FEATURE_COLUMN_NAMES,
  MS_PER_DAY,
  type LeadFeatureBatch,
  type LeadFeatureColumn,
} from '../../src/scoring';

export const NOW = Date.UTC(2025, 9, 14, 9, 30); // 2025-10-14T09:30Z, a Tuesday
export const daysAgo = (d: number, now = NOW): number => now - d * MS_PER_DAY;

export type LeadRow = Partial<Record<LeadFeatureColumn, number>>;

/** A batch from per-lead objects; unspecified columns keep the allocation defaults (NaN dates, 0 counts). */
export function makeBatch(rows: readonly LeadRow[]): LeadFeatureBatch {
  const b = allocateLeadFeatures(rows.length);
  rows.forEach((row, i) => {
    b.leadId[i] = row.leadId ?? i + 1;
    for (const name of LEAD_FEATURE_COLUMN_NAMES) {
      const v = row[name];
      if (v !== undefined && name !== 'leadId') b[name][i] = v;
    }
  });
  return b;
}

/** A typical, healthy lead: contacted yesterday, active, follow-up next week. */
export const healthyLead: LeadRow = {
  status: 3,
  source: 1,
  createdAt: daysAgo(40),
  statusChangedAt: daysAgo(5),
  lastContactAt: daysAgo(1),
  nextFollowUpDueAt: daysAgo(-3),
  pendingFollowUps: 1,
  completedFollowUps: 4,
  completedFollowUps7d: 1,
  completedFollowUps30d: 3,
  visits: 2,
  visits7d: 1,
  visits30d: 2,
  estimatedValue: 20_000,
};
