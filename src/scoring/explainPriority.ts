import { FOLLOW_UP_SCHEDULED, FOLLOW_UP_STATUSES } from './codes';
import { dueUrgencyOf, priorityOf, valueFactorOf, type PriorityParams } from './computePriority';

/** One feature's push on a lead's AIPriority, in priority points. */
export interface PriorityFactor {
  readonly factor: 'health' | 'overdue' | 'velocity' | 'follow_up' | 'conversion' | 'value';
  readonly label: string;
  readonly points: number;
}

/** The lead's values that priority depends on. */
export interface PriorityInputs {
  health: number;
  velocity: number;
  conversion: number;
  overdueDays: number;
  followUpStatus: number;
  estimatedValue: number;
}

const REFERENCE_HEALTH = 50;
const REFERENCE_VELOCITY = 50;

function labelOf(factor: PriorityFactor['factor'], x: PriorityInputs): string {
  switch (factor) {
    case 'health':
      return `Health ${x.health}`;
    case 'overdue':
      return `Follow-up ${x.overdueDays} day${x.overdueDays === 1 ? '' : 's'} overdue`;
    case 'velocity':
      return `Velocity ${x.velocity}`;
    case 'follow_up':
      return `Follow-up status ${FOLLOW_UP_STATUSES[x.followUpStatus] ?? 'none'}`;
    case 'conversion':
      return `Conversion probability ${x.conversion}%`;
    case 'value':
      return x.estimatedValue > 0 ? `Estimated value ${Math.round(x.estimatedValue)}` : 'No estimated value';
  }
}

/**
 * Why a lead has its AIPriority: each feature's contribution is the change in priority points if that feature alone
 * were at the reference lead's value (health 50, nothing overdue, velocity 50, follow-up scheduled, conversion =
 * `referenceConversion`, no estimated value). Returns the top three that push the priority up (largest first) and
 * the top three that pull it down (most negative first); zero contributions are left out.
 *
 * Complexity: O(1) per lead (seven evaluations of the priority formula).
 *
 * @example
 * explainPriority({ health: 32, velocity: 50, conversion: 20, overdueDays: 5, followUpStatus: 1, estimatedValue: NaN }, pp)
 * // => [{ factor: 'overdue', label: 'Follow-up 5 days overdue', points: 10.1 }, …]
 */
export function explainPriority(x: PriorityInputs, pp: PriorityParams): PriorityFactor[] {
  const vf = valueFactorOf(x.estimatedValue, pp);
  const du = dueUrgencyOf(x.followUpStatus);
  const p = priorityOf(x.conversion, vf, x.health, x.overdueDays, x.velocity, du, pp);
  const ref = {
    health: priorityOf(x.conversion, vf, REFERENCE_HEALTH, x.overdueDays, x.velocity, du, pp),
    overdue: priorityOf(x.conversion, vf, x.health, 0, x.velocity, du, pp),
    velocity: priorityOf(x.conversion, vf, x.health, x.overdueDays, REFERENCE_VELOCITY, du, pp),
    follow_up: priorityOf(
      x.conversion,
      vf,
      x.health,
      x.overdueDays,
      x.velocity,
      dueUrgencyOf(FOLLOW_UP_SCHEDULED),
      pp,
    ),
    conversion: priorityOf(pp.referenceConversion, vf, x.health, x.overdueDays, x.velocity, du, pp),
    value: priorityOf(x.conversion, valueFactorOf(NaN, pp), x.health, x.overdueDays, x.velocity, du, pp),
  } as const;
  const up: PriorityFactor[] = [];
  const down: PriorityFactor[] = [];
  for (const factor of Object.keys(ref) as (keyof typeof ref)[]) {
    const points = Math.round((p - ref[factor]) * 10) / 10;
    if (points > 0) up.push({ factor, label: labelOf(factor, x), points });
    else if (points < 0) down.push({ factor, label: labelOf(factor, x), points });
  }
  up.sort((a, b) => b.points - a.points);
  down.sort((a, b) => a.points - b.points);
  return [...up.slice(0, 3), ...down.slice(0, 3)];
}
