import { Cron } from 'croner';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { parseScoringConfig, type ScoringConfig } from '../scoring';

/** Every setting the product reads, with its environment variable, default and meaning (the README table is checked against this). */
export const SETTINGS = {
  LEAD_INTEL_STORE: { default: 'sqlite', description: 'Which store to use: `sqlite` (embedded default).' },
  LEAD_INTEL_SQLITE_PATH: { default: '.data/leads.db', description: 'Embedded database file.' },
  SCORING_SCHEDULE: {
    default: '0 */30 * * * *',
    description: 'NCRONTAB schedule (6 fields, UTC) of the timer and of `lead-intel watch`.',
  },
  SCORING_CHUNK_SIZE: {
    default: '5000',
    description: 'Leads per read/score/write chunk (100–100000); bounds memory.',
  },
  SCORING_CONFIG: {
    default: '{}',
    description:
      'JSON overrides of scoring weights and thresholds (docs/scoring.md), e.g. `{"churn":{"highOverdueDays":10}}`.',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

const envSchema = z.object({
  LEAD_INTEL_STORE: z.enum(['sqlite']).default('sqlite'),
  LEAD_INTEL_SQLITE_PATH: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .default(SETTINGS.LEAD_INTEL_SQLITE_PATH.default),
  SCORING_SCHEDULE: z
    .string()
    .trim()
    .default(SETTINGS.SCORING_SCHEDULE.default)
    .superRefine((v, ctx) => {
      if (v.split(/\s+/).length !== 6) {
        ctx.addIssue({
          code: 'custom',
          message: `"${v}" must have 6 fields (second minute hour day month weekday), as NCRONTAB`,
        });
        return;
      }
      try {
        new Cron(v, { paused: true });
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          message: `"${v}" is not a valid cron expression: ${(e as Error).message}`,
        });
      }
    }),
  SCORING_CHUNK_SIZE: z.coerce.number().int().min(100).max(100_000).default(5000),
  SCORING_CONFIG: z.string().default('{}'),
});

export interface AppConfig {
  readonly store: { readonly kind: 'sqlite'; readonly sqlitePath: string };
  readonly schedule: string;
  readonly chunkSize: number;
  readonly scoring: ScoringConfig;
}

/**
 * Parses the environment once, at start-up, into a frozen config. Every problem is listed in one `ConfigError`
 * (CONFIG_INVALID), each naming the variable and the offending value. Nothing else reads `process.env`.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') raw[name] = v;
  }
  const issues: string[] = [];
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? '(environment)');
      issues.push(`${name}: ${i.message}${name in raw ? ` (got "${raw[name]}")` : ''}`);
    }
  }
  let scoring: ScoringConfig | undefined;
  try {
    const json: unknown = JSON.parse(raw.SCORING_CONFIG ?? '{}');
    scoring = parseScoringConfig(json, 'SCORING_CONFIG');
  } catch (e) {
    if (e instanceof ConfigError) issues.push(...e.issues.map((m) => `SCORING_CONFIG.${m}`));
    else issues.push(`SCORING_CONFIG: not valid JSON (${(e as Error).message})`);
  }
  if (issues.length > 0 || !parsed.success || scoring === undefined)
    throw new ConfigError('the environment', issues);
  const e = parsed.data;
  return Object.freeze({
    store: Object.freeze({ kind: e.LEAD_INTEL_STORE, sqlitePath: e.LEAD_INTEL_SQLITE_PATH }),
    schedule: e.SCORING_SCHEDULE,
    chunkSize: e.SCORING_CHUNK_SIZE,
    scoring,
  });
}
