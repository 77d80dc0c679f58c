/**
 * The run lock's lease and what the next run writes into the row of a run that died holding it: one definition for
 * both adapters (the job's heartbeat derives its interval from the lease it is given).
 */

/** Default lease of the run lock (RUN_LOCK_LEASE_SECONDS): a killed run blocks the next one for at most this long. */
export const DEFAULT_RUN_LOCK_LEASE_MS = 2 * 60_000;

/** ErrorCode of a run row closed as `abandoned`. */
export const RUN_ABANDONED = 'RUN_ABANDONED';

/** ErrorMessage of a run row closed as `abandoned` by the run that started at `at` (epoch ms). */
export function abandonedRunMessage(at: number, leaseMs: number): string {
  return (
    `No outcome was recorded: the run's process stopped or lost the run lock (not renewed for ${Math.round(leaseMs / 1000)} s); ` +
    `closed as abandoned by the run that started at ${new Date(at).toISOString()}`
  );
}
