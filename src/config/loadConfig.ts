import { Cron } from 'croner';
import { z } from 'zod';
import { ConfigError } from '../errors';
import type { ModelPolicy } from '../job/prepareModel';
import { parseScoringConfig, type ScoringConfig } from '../scoring';

import { SETTINGS } from './settings';

// The settings table lives in settings.ts (it is most of the lines); re-exported for the README script and tests.
export { SETTINGS, type SettingName } from './settings';

const TRUE_WORDS: readonly string[] = ['true', '1', 'yes', 'on'];
const FALSE_WORDS: readonly string[] = ['false', '0', 'no', 'off'];

/** A boolean setting in any of the usual spellings, case-insensitive and trimmed (App Service writes `True`). */
const flag = z.string().transform((v, ctx) => {
  const word = v.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true/false, 1/0, yes/no or on/off (any case)' });
  return z.NEVER;
});

const envSchema = z.object({
  LEAD_INTEL_STORE: z.enum(['sqlite', 'mssql']),
  MSSQL_SERVER: z.string().trim().optional(),
  MSSQL_DATABASE: z.string().trim().optional(),
  MSSQL_AUTH: z.enum(['managed-identity', 'sql', 'connection-string']),
  MSSQL_CLIENT_ID: z.uuid("must be a GUID (the identity's client id)").optional(),
  MSSQL_USER: z.string().optional(),
  MSSQL_PASSWORD: z.string().optional(),
  MSSQL_CONNECTION_STRING: z.string().optional(),
  MSSQL_TRUST_SERVER_CERTIFICATE: flag,
  MSSQL_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000),
  MSSQL_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000),
  MSSQL_WRITE_BATCH: z.coerce.number().int().min(100).max(2000),
  SNAPSHOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650),
  LEAD_INTEL_SQLITE_PATH: z.string().trim().min(1, 'must not be empty'),
  LEAD_INTEL_MAPPING: z.string().trim().optional(),
  SCORING_SCHEDULE: z
    .string()
    .trim()
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
  SCORING_CHUNK_SIZE: z.coerce.number().int().min(100).max(100_000),
  RUN_LOCK_LEASE_SECONDS: z.coerce.number().int().min(10).max(900),
  SCORES_LAST_UPDATED: z.enum(['every-run', 'on-change']),
  SCORING_CONFIG: z.string(),
  LEAD_INTEL_BOARD_AUTH: z.enum(['off', 'app-service']),
  // Written by the platform, not by us: any value other than true (any case) reads as "not enabled" rather than
  // failing start-up, so that an unexpected spelling closes the board and never stops the scoring timer.
  WEBSITE_AUTH_ENABLED: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() === 'true'),
  MODEL_ENABLED: flag,
  MODEL_MIN_WON: z.coerce.number().int().min(10).max(1_000_000),
  MODEL_MIN_LOST: z.coerce.number().int().min(10).max(1_000_000),
  MODEL_RETRAIN_HOURS: z.coerce
    .number()
    .min(0.25)
    .max(24 * 365),
  MODEL_MAX_AGE_DAYS: z.coerce.number().min(1).max(3650),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .regex(/InstrumentationKey=|IngestionEndpoint=/i, 'must be an Application Insights connection string')
    .optional(),
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z
    .string()
    .regex(
      /^Authorization=AAD(;ClientId=[0-9a-f-]{36})?$/i,
      'must be "Authorization=AAD" or "Authorization=AAD;ClientId=<guid>"',
    )
    .optional(),
});

export type MssqlAuth =
  | { readonly kind: 'managed-identity'; readonly clientId: string | null }
  | { readonly kind: 'sql'; readonly user: string; readonly password: string }
  | { readonly kind: 'connection-string'; readonly connectionString: string };

export interface MssqlConfig {
  readonly kind: 'mssql';
  readonly server: string | null;
  readonly database: string | null;
  readonly auth: MssqlAuth;
  readonly trustServerCertificate: boolean;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly writeBatch: number;
}

export interface TelemetryConfig {
  readonly connectionString: string | null;
  readonly authenticationString: string | null;
}

export interface AppConfig {
  readonly telemetry: TelemetryConfig;
  readonly model: ModelPolicy;
  /** The CRM mapping file for `lead-intel migrate` (null: the guide's names). The scoring run never reads it. */
  readonly mappingPath: string | null;
  /** The embedded database (the demo and seed commands always use it). */
  readonly sqlitePath: string;
  /** Days of velocity snapshots to keep. */
  readonly snapshotRetentionDays: number;
  readonly store: { readonly kind: 'sqlite'; readonly sqlitePath: string } | MssqlConfig;
  readonly schedule: string;
  readonly chunkSize: number;
  /** The run lock's lease (ms), which both stores apply and the job heartbeats within. */
  readonly runLockLeaseMs: number;
  /** ScoresLastUpdated on every scored row (`every-run`) or only on rows whose scores changed (`on-change`). */
  readonly scoresLastUpdated: 'every-run' | 'on-change';
  readonly scoring: ScoringConfig;
  /** Who may open the lead board in the function app: nobody (`off`) or App Service Authentication's users. */
  readonly boardAuth: 'off' | 'app-service';
  /**
   * Whether the platform reports App Service Authentication as enabled (WEBSITE_AUTH_ENABLED=True). The board trusts
   * X-MS-CLIENT-PRINCIPAL only when this is true as well as `boardAuth` being `app-service`.
   */
  readonly platformAuthEnabled: boolean;
}

/**
 * Parses the environment once, at start-up, into a frozen config. Every problem is listed in one `ConfigError`
 * (CONFIG_INVALID), each naming the variable and the offending value. Nothing else reads `process.env`.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): AppConfig {
  // Defaults live in SETTINGS only (the README table is checked against them): an unset setting takes its default.
  const raw: Record<string, string> = {};
  const provided = new Set<string>();
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') {
      raw[name] = v;
      provided.add(name);
    } else if (setting.default !== '') raw[name] = setting.default;
  }
  const issues: string[] = [];
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? '(environment)');
      issues.push(`${name}: ${i.message}${provided.has(name) ? ` (got "${raw[name]}")` : ''}`);
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
  if (parsed.success && parsed.data.LEAD_INTEL_STORE === 'mssql') issues.push(...mssqlIssues(parsed.data));
  if (issues.length > 0 || !parsed.success || scoring === undefined) {
    throw new ConfigError('the environment', issues);
  }
  const e = parsed.data;
  return Object.freeze({
    model: Object.freeze({
      enabled: e.MODEL_ENABLED,
      minWon: e.MODEL_MIN_WON,
      minLost: e.MODEL_MIN_LOST,
      retrainEveryMs: e.MODEL_RETRAIN_HOURS * 3_600_000,
      maxAgeMs: e.MODEL_MAX_AGE_DAYS * 86_400_000,
    }),
    telemetry: Object.freeze({
      connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING ?? null,
      authenticationString: e.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? null,
    }),
    sqlitePath: e.LEAD_INTEL_SQLITE_PATH,
    mappingPath: e.LEAD_INTEL_MAPPING || null,
    snapshotRetentionDays: e.SNAPSHOT_RETENTION_DAYS,
    store: Object.freeze(
      e.LEAD_INTEL_STORE === 'mssql'
        ? mssqlConfig(e)
        : { kind: 'sqlite' as const, sqlitePath: e.LEAD_INTEL_SQLITE_PATH },
    ),
    schedule: e.SCORING_SCHEDULE,
    chunkSize: e.SCORING_CHUNK_SIZE,
    runLockLeaseMs: e.RUN_LOCK_LEASE_SECONDS * 1000,
    scoresLastUpdated: e.SCORES_LAST_UPDATED,
    scoring,
    boardAuth: e.LEAD_INTEL_BOARD_AUTH,
    platformAuthEnabled: e.WEBSITE_AUTH_ENABLED,
  });
}

type Env = z.output<typeof envSchema>;

/** What `LEAD_INTEL_STORE=mssql` additionally requires, per auth kind. */
function mssqlIssues(e: Env): string[] {
  const issues: string[] = [];
  const need = (name: keyof Env, why: string): void => {
    if (!e[name]) issues.push(`${name}: required ${why}`);
  };
  if (e.MSSQL_AUTH === 'connection-string')
    need('MSSQL_CONNECTION_STRING', 'when MSSQL_AUTH=connection-string');
  else {
    need('MSSQL_SERVER', 'when LEAD_INTEL_STORE=mssql');
    need('MSSQL_DATABASE', 'when LEAD_INTEL_STORE=mssql');
  }
  if (e.MSSQL_AUTH === 'sql') {
    need('MSSQL_USER', 'when MSSQL_AUTH=sql');
    need('MSSQL_PASSWORD', 'when MSSQL_AUTH=sql');
  }
  return issues;
}

function mssqlConfig(e: Env): MssqlConfig {
  const auth: MssqlAuth =
    e.MSSQL_AUTH === 'sql'
      ? { kind: 'sql', user: e.MSSQL_USER!, password: e.MSSQL_PASSWORD! }
      : e.MSSQL_AUTH === 'connection-string'
        ? { kind: 'connection-string', connectionString: e.MSSQL_CONNECTION_STRING! }
        : { kind: 'managed-identity', clientId: e.MSSQL_CLIENT_ID ?? null };
  return {
    kind: 'mssql',
    server: e.MSSQL_SERVER || null,
    database: e.MSSQL_DATABASE || null,
    auth: Object.freeze(auth),
    trustServerCertificate: e.MSSQL_TRUST_SERVER_CERTIFICATE,
    connectTimeoutMs: e.MSSQL_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: e.MSSQL_REQUEST_TIMEOUT_MS,
    writeBatch: e.MSSQL_WRITE_BATCH,
  };
}
