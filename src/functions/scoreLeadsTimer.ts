import { app, type InvocationContext, type Timer } from '@azure/functions';
import { RunLockedError } from '../errors';
import type { RunSummary } from '../job';
import { appConfig, appDeps, type AppDeps } from './shared/appContext';
import { runFromTrigger, type TriggerOptions } from './shared/runFromTrigger';

/**
 * The scheduled pass. Logs whether the tick is past due (the host missed a schedule, e.g. after a deploy or a
 * scale-in); a run already in progress is a skip, not a failure; any other failure — including one before the job
 * could start, such as a refused login — throws after it was recorded (run row and/or telemetry), so the invocation
 * is marked failed.
 */
export function createScoreLeadsTimer(
  deps: () => AppDeps | Promise<AppDeps> = appDeps,
  options: TriggerOptions = {},
) {
  return async function scoreLeadsTimer(
    timer: Timer,
    context: InvocationContext,
  ): Promise<RunSummary | null> {
    if (timer.isPastDue) context.warn('Timer is past due: a scheduled scoring run was missed; running now');
    try {
      return await runFromTrigger(
        deps,
        {
          trigger: 'timer',
          log: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
        },
        options,
      );
    } catch (e) {
      if (e instanceof RunLockedError) {
        context.warn(`Skipped: ${e.message}`);
        return null;
      }
      throw e;
    }
  };
}

export const scoreLeadsTimer = createScoreLeadsTimer();

app.timer('scoreLeadsTimer', {
  // NCRONTAB from the SCORING_SCHEDULE app setting (validated; default every 30 minutes)
  schedule: appConfig().schedule,
  runOnStartup: false,
  useMonitor: true,
  handler: scoreLeadsTimer,
});
