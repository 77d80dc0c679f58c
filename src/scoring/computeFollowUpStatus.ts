import {
  FOLLOW_UP_NONE,
  FOLLOW_UP_OVERDUE,
  FOLLOW_UP_SCHEDULED,
  FOLLOW_UP_THIS_WEEK,
  FOLLOW_UP_TODAY,
  MS_PER_DAY,
} from './codes';
import type { LeadFeatureBatch } from './leadFeatures';

/** Days in the "this_week" window after today: due within the next 7 UTC days. */
export const THIS_WEEK_DAYS = 7;

/**
 * FollowUpStatus of one due date, by UTC calendar day: none (no pending follow-up), overdue (due before today),
 * today, this_week (due in the next 7 days), scheduled (later).
 *
 * @example followUpStatusOf(Date.UTC(2025, 0, 1, 23), Date.UTC(2025, 0, 1, 8)) // => FOLLOW_UP_TODAY (2)
 */
export function followUpStatusOf(dueAt: number, now: number): number {
  if (dueAt !== dueAt) return FOLLOW_UP_NONE; // NaN: nothing pending
  const d = Math.floor(dueAt / MS_PER_DAY) - Math.floor(now / MS_PER_DAY);
  if (d < 0) return FOLLOW_UP_OVERDUE;
  if (d === 0) return FOLLOW_UP_TODAY;
  if (d <= THIS_WEEK_DAYS) return FOLLOW_UP_THIS_WEEK;
  return FOLLOW_UP_SCHEDULED;
}

/**
 * FollowUpStatus for every lead, from its earliest pending follow-up (`nextFollowUpDueAt`) relative to `now`.
 * Why calendar days: a follow-up due "today" stays "today" all day whatever the hour the run fires.
 *
 * Complexity: O(n).
 *
 * @example
 * computeFollowUpStatus(batch, now, out) // out[i] ∈ {0 none, 1 overdue, 2 today, 3 this_week, 4 scheduled}
 */
export function computeFollowUpStatus(batch: LeadFeatureBatch, now: number, out: Uint8Array): void {
  const due = batch.nextFollowUpDueAt;
  for (let i = 0; i < due.length; i++) out[i] = followUpStatusOf(due[i]!, now);
}
