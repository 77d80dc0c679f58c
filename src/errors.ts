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
  | 'RUN_LOCK_LOST'
  | 'RUN_INTERRUPTED'
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

/**
 * Another scoring run holds the run lock. `lockExpiresAt`: when the holder's lease runs out unless it renews it (the
 * embedded store's lock); null when the lock lives as long as the holder's database session (Azure SQL's
 * sp_getapplock), which the message then says.
 */
export class RunLockedError extends LeadIntelError {
  readonly holderStartedAt: Date | null;
  readonly holderRunId: number | null;
  readonly lockExpiresAt: Date | null;
  constructor(
    holderStartedAt: Date | null,
    holderRunId: number | null = null,
    lockExpiresAt: Date | null = null,
    /** Who holds it: a scoring run, `lead-intel migrate` (which takes the same lock), or not known. */
    holderKind: 'run' | 'migration' | 'unknown' = 'run',
  ) {
    const who =
      holderKind === 'migration'
        ? 'A migration (lead-intel migrate)'
        : holderKind === 'unknown'
          ? 'Another scoring run or a migration'
          : `Another scoring run${holderStartedAt ? ` (id ${holderRunId ?? 'unknown'})` : ''}`;
    const holder = holderStartedAt
      ? `${who} has held the run lock since ${holderStartedAt.toISOString()}`
      : `${who} holds the run lock`;
    super(
      'RUN_LOCKED',
      lockExpiresAt
        ? `${holder}; the lock expires at ${lockExpiresAt.toISOString()} unless that run renews it`
        : `${holder}; the lock is released when that run ends or its database session does`,
      {
        details: {
          holderStartedAt: holderStartedAt?.toISOString() ?? null,
          holderRunId,
          lockExpiresAt: lockExpiresAt?.toISOString() ?? null,
          holderKind,
        },
      },
    );
    this.holderStartedAt = holderStartedAt;
    this.holderRunId = holderRunId;
    this.lockExpiresAt = lockExpiresAt;
  }
}

/**
 * The run lock this run held was taken over by another run or lost (its lease expired, its database session
 * dropped): the run stops at once, since another may now be writing the same rows.
 */
export class RunLockLostError extends LeadIntelError {
  constructor(message: string, cause?: unknown) {
    super('RUN_LOCK_LOST', message, { cause });
  }
}

/** The run was stopped on purpose before it finished: a signal (Ctrl+C, SIGTERM from the host) or a shutdown. */
export class RunInterruptedError extends LeadIntelError {
  /** The signal that stopped it (`SIGINT`, `SIGTERM`), when one did. */
  readonly signal: NodeJS.Signals | null;
  constructor(reason: string, signal: NodeJS.Signals | null = null) {
    super('RUN_INTERRUPTED', `The run was interrupted (${reason}) and recorded as failed`, {
      details: { signal },
    });
    this.signal = signal;
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
