import { app, type InvocationContext, type Timer } from '@azure/functions';
import { RunLockedError } from '../errors';
import { runTelemetry } from '../telemetry/runTelemetry';
import { jobSettings } from '../config/jobSettings';
import { runScoringJob, type RunSummary } from '../job';
import { appConfig, appDeps, type AppDeps } from './shared/appContext';

/**
 * The scheduled pass. Logs whether the tick is past due (the host missed a schedule, e.g. after a deploy or a
 * scale-in); a run already in progress is a skip, not a failure; any other failure throws after the job has
 * recorded the failed run, so the invocation is marked failed.
 */
export function createScoreLeadsTimer(deps: () => AppDeps | Promise<AppDeps> = appDeps) {
  return async function scoreLeadsTimer(
    timer: Timer,
    context: InvocationContext,
  ): Promise<RunSummary | null> {
    if (timer.isPastDue) context.warn('Timer is past due: a scheduled scoring run was missed; running now');
    const { config, store } = await deps();
    try {
      return await runScoringJob({
        store,
        now: Date.now(),
        ...jobSettings(config),
        trigger: 'timer',
        telemetry: runTelemetry('timer', false),
        log: { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
      });
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
