import { z } from 'zod';
import { ConfigError } from '../errors';

const weight = z.number().min(0).max(100);
const positiveDays = z.number().positive().max(3650);
const score = z.number().min(0).max(100);

/**
 * Every weight and threshold of the scoring core, with the defaults documented in docs/scoring.md. A team tunes
 * them through the `SCORING_CONFIG` JSON setting; anything left out keeps its default.
 */
export const scoringConfigSchema = z
  .object({
    health: z
      .object({
        weights: z
          .object({
            recency: weight.default(35),
            engagement: weight.default(25),
            discipline: weight.default(25),
            stageAge: weight.default(15),
          })
          .strict()
          .default({ recency: 35, engagement: 25, discipline: 25, stageAge: 15 })
          .refine(
            (w) => w.recency + w.engagement + w.discipline + w.stageAge > 0,
            'health weights must not all be 0',
          ),
        recencyHalfLifeDays: positiveDays.default(14),
        engagementSaturation: z.number().positive().max(1000).default(4),
        visitWeight: z.number().min(0).max(10).default(1.5),
        overdueHalfLifeDays: positiveDays.default(7),
        extraOverduePenalty: z.number().min(0).max(10).default(0.25),
        stageGraceDays: z.number().min(0).max(3650).default(14),
        stageHalfLifeDays: positiveDays.default(30),
      })
      .strict()
      .prefault({}),
    velocity: z
      .object({
        baselineWeight: z.number().min(0).max(10).default(0.8),
        snapshotWeight: z.number().min(0).max(10).default(0.5),
        healthTrendWeight: z.number().min(0).max(10).default(0.3),
      })
      .strict()
      .prefault({}),
    conversion: z
      .object({
        intercept: z.number().min(-20).max(20).default(-2.2),
        statusWeights: z
          .object({
            unknown: z.number().min(-10).max(10).default(0),
            New: z.number().min(-10).max(10).default(0),
            Contacted: z.number().min(-10).max(10).default(0.4),
            Qualified: z.number().min(-10).max(10).default(1.1),
            Negotiation: z.number().min(-10).max(10).default(1.8),
          })
          .strict()
          .prefault({}),
        healthWeight: z.number().min(-10).max(10).default(1.6),
        velocityWeight: z.number().min(-10).max(10).default(0.6),
        engagementWeight: z.number().min(-10).max(10).default(0.35),
        overdueWeight: z.number().min(-10).max(10).default(-0.5),
        referralBonus: z.number().min(-10).max(10).default(0.5),
      })
      .strict()
      .prefault({}),
    priority: z
      .object({
        valueReference: z.number().positive().default(50_000),
        missingValueFactor: z.number().min(0).max(1).default(0.5),
        urgencyFloor: z.number().min(0).max(1).default(0.1),
        valueExponent: z.number().positive().max(1).default(0.35),
        urgencyWeights: z
          .object({
            health: weight.default(35),
            overdue: weight.default(35),
            stall: weight.default(15),
            dueSoon: weight.default(15),
          })
          .strict()
          .default({ health: 35, overdue: 35, stall: 15, dueSoon: 15 })
          .refine((w) => w.health + w.overdue + w.stall + w.dueSoon > 0, 'urgency weights must not all be 0'),
        referenceConversion: z.number().min(0).max(100).default(20),
      })
      .strict()
      .prefault({}),
    churn: z
      .object({
        criticalHealthBelow: score.default(30),
        highHealthBelow: score.default(50),
        mediumHealthBelow: score.default(70),
        criticalOverdueDays: z.number().int().min(1).default(14),
        highOverdueDays: z.number().int().min(1).default(7),
        mediumOverdueDays: z.number().int().min(1).default(1),
        highVelocityBelow: score.default(20),
        mediumVelocityBelow: score.default(35),
      })
      .strict()
      .prefault({})
      .refine((c) => c.criticalHealthBelow <= c.highHealthBelow && c.highHealthBelow <= c.mediumHealthBelow, {
        message: 'churn health thresholds must satisfy critical ≤ high ≤ medium',
      })
      .refine((c) => c.mediumOverdueDays <= c.highOverdueDays && c.highOverdueDays <= c.criticalOverdueDays, {
        message: 'churn overdue-day thresholds must satisfy medium ≤ high ≤ critical',
      }),
    recommendation: z
      .object({
        criticalHealthBelow: score.default(40),
        longOverdueDays: z.number().int().min(1).default(14),
        stallingVelocityBelow: score.default(35),
        stallingHealthBelow: score.default(60),
        hotConversionAtLeast: score.default(60),
        hotHealthAtLeast: score.default(60),
        disqualifyConversionBelow: score.default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ScoringConfig = Readonly<z.output<typeof scoringConfigSchema>>;
export type ScoringConfigInput = z.input<typeof scoringConfigSchema>;

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/**
 * Parses scoring overrides (partial, nested) over the defaults. Throws `ConfigError` listing every problem.
 *
 * @example parseScoringConfig({ churn: { highOverdueDays: 10 } }).churn.highOverdueDays // => 10
 */
export function parseScoringConfig(overrides: unknown = {}, source = 'scoring config'): ScoringConfig {
  const parsed = scoringConfigSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
      parsed.error,
    );
  }
  return deepFreeze(parsed.data);
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = parseScoringConfig({});
