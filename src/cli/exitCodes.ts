import { isLeadIntelError, RunInterruptedError } from '../errors';
import { exitCodeForSignal } from './interruptOnSignals';

/** Exit codes of `lead-intel` (documented in the README). */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  CONFIG_INVALID: 2,
  STORE_UNAVAILABLE: 3,
  RUN_LOCKED: 4,
  INPUT_INVALID: 5,
  /** A mapped CRM table or column is missing, or a score column exists that the product did not create. */
  CRM_SCHEMA_MISMATCH: 6,
  /** A migration refused to run: rollback out of order, or the mapping changed under an applied migration. */
  MIGRATION_REFUSED: 7,
  /** Bad command line (unknown command or option, invalid value): sysexits' EX_USAGE. */
  USAGE: 64,
  /** The run was stopped by Ctrl+C (130) or SIGTERM (143): 128 + the signal's number, recorded as RUN_INTERRUPTED. */
  INTERRUPTED: 130,
} as const;

export function exitCodeOf(e: unknown): number {
  if (!isLeadIntelError(e)) return EXIT.FAILED;
  switch (e.code) {
    case 'CONFIG_INVALID':
      return EXIT.CONFIG_INVALID;
    case 'STORE_UNAVAILABLE':
    case 'MIGRATION_FAILED':
      return EXIT.STORE_UNAVAILABLE;
    case 'RUN_LOCKED':
      return EXIT.RUN_LOCKED;
    case 'RUN_INTERRUPTED':
      return e instanceof RunInterruptedError && e.signal ? exitCodeForSignal(e.signal) : EXIT.INTERRUPTED;
    case 'INPUT_INVALID':
      return EXIT.INPUT_INVALID;
    case 'CRM_SCHEMA_MISMATCH':
      return EXIT.CRM_SCHEMA_MISMATCH;
    case 'MAPPING_CHANGED':
    case 'ROLLBACK_REFUSED':
      return EXIT.MIGRATION_REFUSED;
    default:
      return EXIT.FAILED;
  }
}
