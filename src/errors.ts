/**
 * Typed errors with stable codes. Every error the product raises on purpose is a `LeadIntelError`; its `code` is
 * part of the public contract (HTTP bodies, exit codes, telemetry), its message names the offending value and where
 * it came from. `isDataFault` tells bad input (fix the data or the request) from system faults (retry, page someone).
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INPUT_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_QUERY_FAILED'
  | 'RUN_LOCKED'
  | 'MIGRATION_FAILED'
  | 'CRM_SCHEMA_MISMATCH'
  | 'MAPPING_CHANGED'
  | 'ROLLBACK_REFUSED';

export interface LeadIntelErrorOptions {
  cause?: unknown;
  isDataFault?: boolean;
  details?: Record<string, unknown>;
}

export class LeadIntelError extends Error {
  readonly code: ErrorCode;
  readonly isDataFault: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: LeadIntelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.isDataFault = options.isDataFault ?? false;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** A setting (environment, scoring overrides, CLI flag) failed validation; `issues` lists every problem. */
export class ConfigError extends LeadIntelError {
  readonly issues: readonly string[];
  constructor(source: string, issues: readonly string[], cause?: unknown) {
    super('CONFIG_INVALID', `Invalid configuration in ${source}:\n  - ${issues.join('\n  - ')}`, {
      cause,
      isDataFault: true,
      details: { source, issues },
    });
    this.issues = issues;
  }
}

/** Input data (a feature batch, a request body, a CSV) is malformed. */
export class InputError extends LeadIntelError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INPUT_INVALID', message, { isDataFault: true, details });
  }
}

/** Another scoring run holds the run lock. */
export class RunLockedError extends LeadIntelError {
  readonly holderStartedAt: Date | null;
  readonly holderRunId: number | null;
  constructor(holderStartedAt: Date | null, holderRunId: number | null = null) {
    super(
      'RUN_LOCKED',
      holderStartedAt
        ? `Another scoring run (id ${holderRunId ?? 'unknown'}) has held the run lock since ${holderStartedAt.toISOString()}`
        : 'Another scoring run holds the run lock',
      { details: { holderStartedAt: holderStartedAt?.toISOString() ?? null, holderRunId } },
    );
    this.holderStartedAt = holderStartedAt;
    this.holderRunId = holderRunId;
  }
}

/** The database cannot be reached or answered with a fault that is not about our data. Keeps the driver's code. */
export class StoreError extends LeadIntelError {
  readonly driverCode: string | undefined;
  readonly sqlNumber: number | undefined;
  constructor(
    code: 'STORE_UNAVAILABLE' | 'STORE_QUERY_FAILED' | 'MIGRATION_FAILED',
    message: string,
    cause?: unknown,
  ) {
    const driver = cause as { code?: unknown; number?: unknown } | undefined;
    const driverCode = typeof driver?.code === 'string' ? driver.code : undefined;
    const sqlNumber = typeof driver?.number === 'number' ? driver.number : undefined;
    super(code, message, { cause, details: { driverCode, sqlNumber } });
    this.driverCode = driverCode;
    this.sqlNumber = sqlNumber;
  }
}

/**
 * A migration cannot proceed because of the database it meets, not a fault of the server: a mapped CRM table or
 * column is missing (CRM_SCHEMA_MISMATCH, `problems` lists each), the mapping changed under an applied migration
 * (MAPPING_CHANGED), or a rollback out of order (ROLLBACK_REFUSED). Nothing was changed when it is thrown.
 */
export class MigrationError extends LeadIntelError {
  readonly problems: readonly string[];
  constructor(
    code: 'CRM_SCHEMA_MISMATCH' | 'MAPPING_CHANGED' | 'ROLLBACK_REFUSED',
    message: string,
    problems: readonly string[] = [],
  ) {
    super(code, problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message, {
      isDataFault: true,
      details: { problems },
    });
    this.problems = problems;
  }
}

export function isLeadIntelError(e: unknown): e is LeadIntelError {
  return e instanceof LeadIntelError;
}
