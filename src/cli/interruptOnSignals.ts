import { RunInterruptedError } from '../errors';
import { log } from './output';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `fn` with an AbortSignal that the first Ctrl+C (SIGINT) or SIGTERM fires: the scoring run stops after the chunk
 * in progress, is recorded as failed (RUN_INTERRUPTED), releases the run lock, and the command exits with 128 + the
 * signal's number (130, 143), as a shell expects of a process a signal stopped. A second signal quits at once. The
 * handlers exist only while `fn` runs: outside a run a signal keeps its default action.
 */
export async function withInterruptSignals<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = SIGNALS.map((sig) => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(exitCodeForSignal(sig));
      log.warn(
        `${sig}: stopping after the current chunk and recording the run as failed (send it again to quit now)`,
      );
      controller.abort(new RunInterruptedError(`${sig} received`, sig));
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  try {
    return await fn(controller.signal);
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  }
}

/** 128 + the signal's number: the exit status a shell reports for a process that a signal ended. */
export function exitCodeForSignal(sig: NodeJS.Signals): number {
  return 128 + ({ SIGINT: 2, SIGTERM: 15 } as Partial<Record<NodeJS.Signals, number>>)[sig]!;
}
