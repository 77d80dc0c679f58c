import { RunInterruptedError } from '../../errors';

/**
 * The runs of one Functions worker process and how they end when the worker does. On SIGTERM (the host scaling in,
 * a deployment, a timeout), SIGINT, or the host's graceful-shutdown hook (`app.hook.appTerminate`: "run during graceful
 * shutdown … not executed if your application is terminated forcefully", @azure/functions types/hooks/registerHook.d.ts)
 * every run in flight is stopped at its next chunk, recorded as failed with RUN_INTERRUPTED, and its lock released,
 * instead of leaving its row `running`.
 */
export class WorkerLifecycle {
  private readonly controller = new AbortController();
  private readonly runs = new Set<Promise<unknown>>();

  /** Aborted when the worker shuts down; every run of the worker is given it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Counts a run in flight until it settles. */
  track<T>(run: Promise<T>): Promise<T> {
    this.runs.add(run);
    const forget = (): void => void this.runs.delete(run);
    run.then(forget, forget);
    return run;
  }

  /** Stops every run in flight at its next chunk and waits for them to record their outcome (at most `timeoutMs`). */
  async shutDown(reason: string, signal: NodeJS.Signals | null, timeoutMs = 20_000): Promise<void> {
    if (!this.controller.signal.aborted) this.controller.abort(new RunInterruptedError(reason, signal));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.runs]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }
}

/** The worker process's lifecycle, shared by its triggers. */
export const workerLifecycle = new WorkerLifecycle();

type SignalTarget = Pick<NodeJS.Process, 'once' | 'kill' | 'pid'>;

/**
 * On SIGTERM or SIGINT: shut the worker's runs down (recorded as failed), then `afterRuns` (flush telemetry, close the
 * pool), then raise the signal again with no listener left, so the process ends as the signal's default action says.
 */
export function handleTerminationSignals(
  lifecycle: WorkerLifecycle,
  afterRuns: () => Promise<void>,
  proc: SignalTarget = process,
): void {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    proc.once(sig, () => {
      void lifecycle
        .shutDown(`the worker received ${sig}`, sig)
        .then(afterRuns)
        .catch(() => undefined)
        .finally(() => proc.kill(proc.pid, sig));
    });
  }
}
