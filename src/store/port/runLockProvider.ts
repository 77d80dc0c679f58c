/**
 * A held run lock, the same contract on both adapters. It is a lease of `leaseMs`: the holder renews it on a heartbeat
 * (the job renews every quarter lease) and another run may take it over once it has not been renewed for a whole
 * lease. `renew` extends it, or rejects with `RunLockLostError` (RUN_LOCK_LOST) when the lock was taken over, released
 * or lost with its session: the holder must stop. `release` is idempotent.
 */
export interface RunLock {
  readonly leaseMs: number;
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Hands out the one run lock (a lease, see `RunLock`). */
export interface RunLockProvider {
  /**
   * Takes the run lock or throws `RunLockedError` (RUN_LOCKED) naming the holder's start time and, where the lock is
   * a lease, when it expires.
   */
  acquireRunLock(owner: string): Promise<RunLock>;
}
