import { isLeadIntelError } from '../errors';

/** Exit codes of `lead-intel` (documented in the README). */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  CONFIG_INVALID: 2,
  STORE_UNAVAILABLE: 3,
  RUN_LOCKED: 4,
  INPUT_INVALID: 5,
  /** Bad command line (unknown command or option, invalid value): sysexits' EX_USAGE. */
  USAGE: 64,
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
    case 'INPUT_INVALID':
      return EXIT.INPUT_INVALID;
    default:
      return EXIT.FAILED;
  }
}
