import { isLeadIntelError, RunInterruptedError, RunLockLostError } from '../errors';
import type { RunLock } from '../store/leadStore';

/** A running heartbeat: why the run must stop (null while the lock is held), and how to stop beating. */
export interface Heartbeat {
  readonly lost: RunLockLostError | null;
  stop(): void;
}

/**
 * Keeps the run lock's lease alive while the run lives, independent of how long a chunk takes: renews every quarter
 * lease on a timer that does not keep the process alive (unref). A renewal that reports the lock lost
 * (RunLockLostError), or renewals failing for a whole lease (another run may have taken it over by then), set `lost`;
 * the job throws it at its next checkpoint. Renewals never overlap.
 */
export function startHeartbeat(
  lock: RunLock,
  clock: () => number,
  log: { warn(message: string): void },
): Heartbeat {
  let lost: RunLockLostError | null = null;
  let lastRenewed = clock();
  let renewing = false;
  const beat = async (): Promise<void> => {
    if (renewing || lost) return;
    renewing = true;
    try {
      await lock.renew();
      lastRenewed = clock();
    } catch (e) {
      const why = (e as Error).message ?? String(e);
      if (e instanceof RunLockLostError) lost = e;
      else if (clock() - lastRenewed >= lock.leaseMs)
        lost = new RunLockLostError(
          `The run lock could not be renewed for ${Math.round(lock.leaseMs / 1000)} s (${why}); another run may hold it now, so this run stops`,
          e,
        );
      else log.warn(`Could not renew the run lock (retrying on the next heartbeat): ${why}`);
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void beat(), Math.max(1, Math.floor(lock.leaseMs / 4)));
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}

/** The error a run stops with when its AbortSignal fired: the signal's reason when it is ours, else an interruption. */
export function interruption(reason: unknown): Error {
  if (isLeadIntelError(reason)) return reason;
  return new RunInterruptedError(
    reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted',
  );
}

/**
 * Between two chunks: yields to the event loop (the embedded store's calls are synchronous, so without this neither
 * the heartbeat's timer nor a signal handler would run before the pass ends), then throws why the run must stop, if
 * it must: its signal fired (Ctrl+C, SIGTERM, a shutdown) or its lock was lost.
 */
export async function checkpoint(
  signal: AbortSignal | undefined,
  heartbeat: Heartbeat | null,
): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw interruption(signal.reason);
  if (heartbeat?.lost) throw heartbeat.lost;
}
