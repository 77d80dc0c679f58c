import { HttpRequest, type Timer } from '@azure/functions';
import { loadConfig } from '../../src/config/loadConfig';
import { StoreError } from '../../src/errors';
import { createRescoreHttp } from '../../src/functions/rescoreHttp';
import { createScoreLeadsTimer } from '../../src/functions/scoreLeadsTimer';
import type { TriggerTelemetry } from '../../src/functions/shared/runFromTrigger';
import { WorkerLifecycle } from '../../src/functions/shared/workerLifecycle';
import type { RunSummary } from '../../src/job';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';
import { recordingContext } from '../helpers/invocationContext';

/**
 * What a trigger's run reports besides its answer: how it is labelled in telemetry (trigger, subset or full, dry
 * run), what it logs to the invocation, and how the worker keeps track of it.
 */
const config = loadConfig({ SCORING_CHUNK_SIZE: '100' });
const tick: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};
const post = (body: unknown) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/scoring/runs',
    body: { string: JSON.stringify(body) },
  });

const context = (): ReturnType<typeof recordingContext> => recordingContext();

/** Telemetry that records each run it is asked for (trigger, subset), the summaries it is given, and flushes. */
function spyTelemetry() {
  const runs: [string, boolean][] = [];
  const finished: RunSummary[] = [];
  let flushes = 0;
  const telemetry: TriggerTelemetry = {
    forRun: (trigger, subset) => {
      runs.push([trigger, subset]);
      return { runFinished: (s) => void finished.push(s) };
    },
    flush: () => {
      flushes++;
      return Promise.resolve();
    },
  };
  return { telemetry, runs, finished, flushes: () => flushes };
}

const unreachable = () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'Login timeout'));

describe('runFromTrigger: how a run is labelled and reported when the store cannot be opened', () => {
  it('marks an HTTP rerun a subset exactly when it names lead ids', async () => {
    const spy = spyTelemetry();
    const rescore = createRescoreHttp(unreachable, { telemetry: spy.telemetry });
    expect((await rescore(post({ leadIds: [4, 5] }), context())).status).toBe(503);
    expect((await rescore(post({}), context())).status).toBe(503);
    expect((await rescore(post({ dryRun: true }), context())).status).toBe(503);
    expect(spy.runs).toStrictEqual([
      ['http', true],
      ['http', false],
      ['http', false],
    ]);
    // each failed run is flushed at its end
    expect(spy.flushes()).toBe(3);
  });

  it('marks a timer run full, and reports it as failed and not a dry run, and logs the failure', async () => {
    const spy = spyTelemetry();
    const ctx = context();
    await expect(createScoreLeadsTimer(unreachable, { telemetry: spy.telemetry })(tick, ctx)).rejects.toThrow(
      'Login timeout',
    );
    expect(spy.runs).toStrictEqual([['timer', false]]);
    expect(spy.finished).toHaveLength(1);
    expect(spy.finished[0]).toMatchObject({
      trigger: 'timer',
      status: 'failed',
      dryRun: false,
      error: { code: 'STORE_UNAVAILABLE', message: 'Login timeout' },
    });
    expect(spy.flushes()).toBe(1);
    expect(ctx.lines).toStrictEqual([
      'error: ❌ Score update failed before the run could start: STORE_UNAVAILABLE: Login timeout',
    ]);
  });

  it('reports an HTTP dry run as a dry run, and logs the failure on the invocation', async () => {
    const spy = spyTelemetry();
    const ctx = context();
    await createRescoreHttp(unreachable, { telemetry: spy.telemetry })(
      post({ leadIds: [4], dryRun: true }),
      ctx,
    );
    expect(spy.finished[0]).toMatchObject({ trigger: 'http', dryRun: true, status: 'failed' });
    expect(ctx.lines).toStrictEqual([
      'error: ❌ Score update failed before the run could start: STORE_UNAVAILABLE: Login timeout',
    ]);
  });
});

describe('the triggers log the job’s progress on their invocation', () => {
  const t = tempStore();
  generateCrm(t.store.connection, { leads: 150, closedLeads: 0, now: Date.now(), seed: 5 });
  const deps = () => ({ config, store: t.store });
  afterAll(() => t.cleanup());

  it('rescoreHttp: the job’s information and its warning about requested leads it could not score', async () => {
    const ctx = context();
    const r = await createRescoreHttp(deps, { telemetry: spyTelemetry().telemetry })(
      post({ leadIds: [1, 999_999], dryRun: true }),
      ctx,
    );
    expect(r.status).toBe(200);
    expect(ctx.lines).toContainEqual(
      expect.stringMatching(/^information: ✅ Score update completed! Scored 1 leads/),
    );
    expect(ctx.lines).toContainEqual(
      'warning: 1 of 2 requested leads were not scored (no such lead, or not active): 999999',
    );
  });

  it('scoreLeadsTimer: the job’s information and its warning about data it had to repair', async () => {
    // a CRM date stored as text (the contract is epoch ms): read as missing, counted and warned about
    t.store.connection.prepare(`UPDATE lead SET LastContactDate = '2025-01-01' WHERE LeadId = 2`).run();
    const ctx = context();
    const summary = await createScoreLeadsTimer(deps, { telemetry: spyTelemetry().telemetry })(tick, ctx);
    expect(summary).toMatchObject({ status: 'succeeded', leadsScored: 150 });
    expect(ctx.lines).toContainEqual(
      expect.stringMatching(/^information: ✅ Score update completed! Updated 150 leads/),
    );
    expect(ctx.lines).toContainEqual(
      expect.stringMatching(
        /^warning: Data issues repaired with documented fallbacks: \{.*"textDates":1[,}]/,
      ),
    );
  });
});

describe('WorkerLifecycle', () => {
  it('forgets a run once it has settled, so a long-lived worker does not hold every run it ever had', async () => {
    const lifecycle = new WorkerLifecycle();
    const inFlight = () => (lifecycle as unknown as { runs: Set<unknown> }).runs.size;
    const done = lifecycle.track(Promise.resolve(1));
    const failed = lifecycle.track(Promise.reject(new Error('x')));
    expect(inFlight()).toBe(2);
    await done;
    await failed.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(inFlight()).toBe(0);
  });

  it('waits on shut-down for the runs in flight to settle', async () => {
    const lifecycle = new WorkerLifecycle();
    const order: string[] = [];
    void lifecycle.track(
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => order.push('run settled')),
    );
    await lifecycle.shutDown('test', null, 5_000);
    order.push('shut down');
    expect(order).toStrictEqual(['run settled', 'shut down']);
    expect(lifecycle.signal.aborted).toBe(true);
  });

  it('stops waiting after its timeout for a run that never settles', async () => {
    const lifecycle = new WorkerLifecycle();
    void lifecycle.track(new Promise(() => undefined));
    const started = Date.now();
    let guard: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      lifecycle.shutDown('test', null, 30).then(() => 'shut down'),
      new Promise((resolve) => {
        guard = setTimeout(() => resolve('still waiting'), 2_000);
      }),
    ]);
    clearTimeout(guard);
    expect(outcome).toBe('shut down');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('keeps the first reason when shut down twice', async () => {
    const lifecycle = new WorkerLifecycle();
    await lifecycle.shutDown('the worker received SIGTERM', 'SIGTERM', 10);
    await lifecycle.shutDown('the Functions host is shutting the worker down', null, 10);
    expect((lifecycle.signal.reason as Error).message).toBe(
      'The run was interrupted (the worker received SIGTERM) and recorded as failed',
    );
  });
});
