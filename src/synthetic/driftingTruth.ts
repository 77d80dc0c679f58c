/** How the synthetic outcome depends on a lead's history (see generateCrm's `truth` option). */
export type TruthShape = 'linear' | 'nonlinear-drifting';

/** When the pipeline's conversion rate stepped down (days before the generator's clock), and by how much (log-odds). */
const SHIFT_DAYS = 100;
const SHIFT = -0.6;
/** A slow decline on top of it, per 180 days of close date. */
const TREND = -0.3;

/**
 * The log-odds of winning (before the source effect) in the `nonlinear-drifting` generator: effects that are not
 * linear in the model's log features, as real CRMs show, and a pipeline that drifts.
 * - completed follow-ups saturate: 1.4 · (1 − e^(−completed/2)), most of it by the third;
 * - visits in the last 30 days have a threshold: +0.9 from the second one;
 * - recency saturates: −1.1 · (1 − e^(−days since last activity / 10)), a lead silent for a month is as cold as one
 *   silent for a year;
 * - overdue days hurt as log(1 + days) · 0.35 (the linear shape, kept);
 * - estimated value is best in the middle: 0.7 − 0.45 · (ln(1 + value) − 8.8)², a missing value −0.1;
 * - drift: −0.6 for leads closed in the last 100 days (a change in the market), plus −0.3 per 180 days of recency
 *   (a slow decline), so the most recent leads convert less than the ones a model was fitted on.
 *
 * @example driftingLogit({ completed: 0, visits30: 0, daysSince: 0, overdue: 0, value: null, daysAgo: 180 }) // => -0.7
 */
export function driftingLogit(h: {
  readonly completed: number;
  readonly visits30: number;
  readonly daysSince: number;
  readonly overdue: number;
  readonly value: number | null;
  readonly daysAgo: number;
}): number {
  const valueEffect = h.value === null ? -0.1 : 0.7 - 0.45 * (Math.log1p(h.value) - 8.8) ** 2;
  return (
    -0.6 +
    1.4 * (1 - Math.exp(-h.completed / 2)) +
    (h.visits30 >= 2 ? 0.9 : 0) -
    1.1 * (1 - Math.exp(-h.daysSince / 10)) -
    0.35 * Math.log1p(h.overdue) +
    valueEffect +
    (h.daysAgo < SHIFT_DAYS ? SHIFT : 0) +
    TREND * (1 - h.daysAgo / 180)
  );
}
