import { MS_PER_DAY } from './codes';
import type { LeadFeatureBatch } from './leadFeatures';

/** Cap for absurd due dates (a follow-up "due" in 1900): 100 years of days. */
export const MAX_OVERDUE_DAYS = 36_500;

/**
 * Whole UTC days since `dueAt` when it is before today, else 0 (NaN → 0). Capped at `MAX_OVERDUE_DAYS`.
 *
 * @example overdueDaysOf(Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 6, 12)) // => 5
 */
export function overdueDaysOf(dueAt: number, now: number): number {
  if (dueAt !== dueAt) return 0;
  const d = Math.floor(now / MS_PER_DAY) - Math.floor(dueAt / MS_PER_DAY);
  return d <= 0 ? 0 : d > MAX_OVERDUE_DAYS ? MAX_OVERDUE_DAYS : d;
}

/**
 * OverdueDays for every lead: days since the oldest overdue pending follow-up was due. The oldest pending due date
 * is `nextFollowUpDueAt` (the minimum over pending follow-ups), so it is overdue exactly when it is before today.
 *
 * Complexity: O(n).
 *
 * @example computeOverdueDays(batch, now, out) // out[i] => 5 for a follow-up due five days ago
 */
export function computeOverdueDays(batch: LeadFeatureBatch, now: number, out: Int32Array): void {
  const due = batch.nextFollowUpDueAt;
  for (let i = 0; i < due.length; i++) out[i] = overdueDaysOf(due[i]!, now);
}
