import type { Command } from 'commander';
import { Cron } from 'croner';
import { loadConfig } from '../../config/loadConfig';
import { RunInterruptedError, RunLockedError } from '../../errors';
import { openCliStore } from '../openCliStore';
import { log } from '../output';
import { runOnce } from '../runOnce';

export function watchCommand(program: Command): Command {
  return program
    .command('watch')
    .description(
      'Run a scoring pass on the SCORING_SCHEDULE (NCRONTAB, UTC), like the deployed timer, until stopped',
    )
    .action(async () => {
      const config = loadConfig(process.env);
      const store = await openCliStore(config, 'write');
      // Ctrl+C / SIGTERM stop the schedule and the run in flight (recorded as failed, RUN_INTERRUPTED, lock released)
      const stopping = new AbortController();
      let inFlight: Promise<unknown> = Promise.resolve();
      log.info(`Watching: scoring on "${config.schedule}" (UTC); Ctrl+C to stop`);
      const job = new Cron(config.schedule, { timezone: 'UTC', protect: true }, async () => {
        if (stopping.signal.aborted) return;
        const run = runOnce(store, config, { trigger: 'watch' }, stopping.signal);
        inFlight = run.catch(() => undefined);
        try {
          await run;
        } catch (e) {
          if (e instanceof RunLockedError) log.warn(`Skipped this tick: ${e.message}`);
          else log.error(`Run failed: ${(e as Error).message}`);
        }
        const next = job.nextRun();
        if (next && !stopping.signal.aborted) log.info(`Next run at ${next.toISOString()}`);
      });
      const first = job.nextRun();
      if (first) log.info(`Next run at ${first.toISOString()}`);
      await new Promise<void>((resolve) => {
        const stop = (sig: NodeJS.Signals): void => {
          job.stop();
          stopping.abort(new RunInterruptedError(`${sig} received`, sig));
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await inFlight; // the interrupted run records its outcome and releases the lock before the store closes
      await store.close();
    });
}
