import type { Command } from 'commander';
import { Cron } from 'croner';
import { loadConfig } from '../../config/loadConfig';
import { RunLockedError } from '../../errors';
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
      log.info(`Watching: scoring on "${config.schedule}" (UTC); Ctrl+C to stop`);
      const job = new Cron(config.schedule, { timezone: 'UTC', protect: true }, async () => {
        try {
          await runOnce(store, config, {});
        } catch (e) {
          if (e instanceof RunLockedError) log.warn(`Skipped this tick: ${e.message}`);
          else log.error(`Run failed: ${(e as Error).message}`);
        }
        const next = job.nextRun();
        if (next) log.info(`Next run at ${next.toISOString()}`);
      });
      const first = job.nextRun();
      if (first) log.info(`Next run at ${first.toISOString()}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          job.stop();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await store.close();
    });
}
