import { MS_PER_DAY } from './codes';

/** Direction of a score over the last week (docs/scoring.md §Trend). */
export const TRENDS = ['Improving', 'Steady', 'Declining'] as const;
export type Trend = (typeof TRENDS)[number];

/** How far back the trend looks, in days. */
export const TREND_WINDOW_DAYS = 7;
/** The smallest change (score points over the window) that is a trend rather than day-to-day drift. */
export const TREND_MIN_CHANGE = 5;

/** A score's trend: its direction, the change in points, and the day of the snapshot it is compared with. */
export interface ScoreTrend {
  readonly trend: Trend;
  readonly change: number;
  readonly since: string;
}

/** UTC day number (days since 1970-01-01) of a 'YYYY-MM-DD' date. */
export function dayNumberOf(isoDay: string): number {
  return Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / MS_PER_DAY);
}

/**
 * The trend of one score: today's value against the lead's snapshot from `TREND_WINDOW_DAYS` days ago — the latest
 * snapshot on or before that day, or, for a lead with less history, its earliest snapshot before today. A change of at
 * least `TREND_MIN_CHANGE` points up is Improving, as much down is Declining, anything smaller Steady. Null when there
 * is no earlier snapshot with a value (a new lead, or AIPriority snapshots older than migration 006).
 *
 * Complexity: O(k) for k snapshots.
 *
 * @example
 * trendOf(62, ['2025-10-06', '2025-10-13'], Float64Array.of(55, 60), '2025-10-14')
 * // => { trend: 'Improving', change: 7, since: '2025-10-06' }
 */
export function trendOf(
  current: number,
  days: readonly string[],
  values: Float64Array,
  today: string,
): ScoreTrend | null {
  const t = dayNumberOf(today);
  let best = -1;
  let bestDay = 0;
  let earliest = -1;
  let earliestDay = Infinity;
  for (let k = 0; k < days.length; k++) {
    const v = values[k]!;
    if (v !== v) continue; // no value that day
    const d = dayNumberOf(days[k]!);
    if (d >= t) continue;
    if (d <= t - TREND_WINDOW_DAYS && (best < 0 || d > bestDay)) {
      best = k;
      bestDay = d;
    }
    if (d < earliestDay) {
      earliest = k;
      earliestDay = d;
    }
  }
  const ref = best >= 0 ? best : earliest;
  if (ref < 0) return null;
  const change = current - values[ref]!;
  const trend: Trend =
    change >= TREND_MIN_CHANGE ? 'Improving' : change <= -TREND_MIN_CHANGE ? 'Declining' : 'Steady';
  return { trend, change, since: days[ref]! };
}
