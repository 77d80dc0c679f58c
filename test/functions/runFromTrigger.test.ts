import { EventEmitter } from 'node:events';
import { HttpRequest, type Timer } from '@azure/functions';
import { SpanStatusCode } from '@opentelemetry/api';
import { loadConfig } from '../../src/config/loadConfig';
import { RunInterruptedError, StoreError } from '../../src/errors';
import { createRescoreHttp } from '../../src/functions/rescoreHttp';
import { createScoreLeadsTimer } from '../../src/functions/scoreLeadsTimer';
import type { TriggerTelemetry } from '../../src/functions/shared/runFromTrigger';
import { handleTerminationSignals, WorkerLifecycle } from '../../src/functions/shared/workerLifecycle';
import type { LeadStore } from '../../src/store/leadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { METRICS, SPANS } from '../../src/telemetry';
import { telemetrySdk } from '../helpers/telemetrySdk';
import { tempStore } from '../helpers/tempStore';
import { recordingContext } from '../helpers/invocationContext';

const config = loadConfig({ SCORING_CHUNK_SIZE: '100' });
const tick: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

const context = (): ReturnType<typeof recordingContext> => recordingContext();

/** Run telemetry on the real SDK with in-memory exporters, and a count of the flushes asked for. */
function recorded() {
  const sdk = telemetrySdk();
  let flushes = 0;
  const telemetry: TriggerTelemetry = {
    forRun: sdk.telemetry,
    flush: () => {
      flushes++;
      return Promise.resolve();
    },
  };
  return { ...sdk, telemetry, flushes: () => flushes };
}

/** What an Azure SQL login refused for a missing database user looks like once the adapter has typed it. */
const loginFailed = () =>
  new StoreError(
    'STORE_UNAVAILABLE',
    "Azure SQL could not connect: Login failed for user '<token-identified principal>'.",
    Object.assign(new Error('Login failed'), { code: 'ELOGIN', number: 18456 }),
  );

describe('runFromTrigger: a failure before the job starts (appDeps rejects)', () => {
  it('reaches telemetry as a failed timer run with its error code, is logged and rethrown, and flushes', async () => {
    const r = recorded();
    const ctx = context();
    const timer = createScoreLeadsTimer(() => Promise.reject(loginFailed()), { telemetry: r.telemetry });
    await expect(timer(tick, ctx)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    const [span] = r.spans.getFinishedSpans();
    expect(span?.name).toBe(SPANS.run);
    expect(span?.status).toStrictEqual({
      code: SpanStatusCode.ERROR,
      message: "Azure SQL could not connect: Login failed for user '<token-identified principal>'.",
    });
    expect(span?.attributes).toMatchObject({
      trigger: 'timer',
      'run.id': -1,
      'error.code': 'STORE_UNAVAILABLE',
    });
    const runs = (await r.points()).get(METRICS.runs)!.map((p) => [p.attributes, p.value]);
    expect(runs).toStrictEqual([
      [
        {
          trigger: 'timer',
          status: 'failed',
          dry_run: 'false',
          scope: 'full',
          error_code: 'STORE_UNAVAILABLE',
        },
        1,
      ],
    ]);
    expect(ctx.lines).toStrictEqual([
      "error: ❌ Score update failed before the run could start: STORE_UNAVAILABLE: Azure SQL could not connect: Login failed for user '<token-identified principal>'.",
    ]);
    expect(r.flushes()).toBe(1);
  });

  it('reaches telemetry as a failed HTTP run (a subset here) while the caller gets 503 + Retry-After', async () => {
    const r = recorded();
    const rescore = createRescoreHttp(() => Promise.reject(loginFailed()), { telemetry: r.telemetry });
    const response = await rescore(
      new HttpRequest({
        method: 'POST',
        url: 'http://localhost/api/scoring/runs',
        body: { string: JSON.stringify({ leadIds: [1, 2], dryRun: true }) },
      }),
      context(),
    );
    expect(response.status).toBe(503);
    expect(response.headers).toStrictEqual({ 'Retry-After': '30' });
    const runs = (await r.points()).get(METRICS.runs)!.map((p) => p.attributes);
    expect(runs).toStrictEqual([
      {
        trigger: 'http',
        status: 'failed',
        dry_run: 'true',
        scope: 'subset',
        error_code: 'STORE_UNAVAILABLE',
      },
    ]);
    expect(r.flushes()).toBe(1);
  });

  it('counts a configuration fault met on first use (appDeps throws CONFIG_INVALID) the same way', async () => {
    const r = recorded();
    const broken = () => {
      loadConfig({ LEAD_INTEL_STORE: 'mssql' }); // MSSQL_SERVER and MSSQL_DATABASE missing
      return { config, store: undefined as unknown as LeadStore };
    };
    await expect(
      createScoreLeadsTimer(broken, { telemetry: r.telemetry })(tick, context()),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await r.points()).get(METRICS.runs)!.map((p) => p.attributes.error_code)).toStrictEqual([
      'CONFIG_INVALID',
    ]);
  });
});

describe('runFromTrigger: telemetry at the end of each run', () => {
  it('flushes once after a successful run, so an instance recycled right after it loses nothing', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 120, closedLeads: 0, now: Date.now(), seed: 2 });
      const r = recorded();
      const summary = await createScoreLeadsTimer(() => ({ config, store: t.store }), {
        telemetry: r.telemetry,
      })(tick, context());
      expect(summary).toMatchObject({ status: 'succeeded', leadsScored: 120 });
      expect(r.flushes()).toBe(1);
    } finally {
      await t.cleanup();
    }
  });
});

describe('the worker’s shutdown (SIGTERM, SIGINT, the host’s appTerminate)', () => {
  /** The test's store with every chunk 30 ms late, so that a run is in flight when the worker shuts down. */
  function slowStore(store: LeadStore): LeadStore {
    const slow = Object.create(store) as LeadStore;
    slow.readScoringInput = async function* (o) {
      for await (const chunk of store.readScoringInput(o)) {
        await new Promise((r) => setTimeout(r, 30));
        yield chunk;
      }
    };
    return slow;
  }

  it('stops a timer run in flight: recorded as failed with RUN_INTERRUPTED, lock released, counted', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 1000, closedLeads: 0, now: Date.now(), seed: 4 });
      const r = recorded();
      const lifecycle = new WorkerLifecycle();
      const run = createScoreLeadsTimer(() => ({ config, store: slowStore(t.store) }), {
        telemetry: r.telemetry,
        lifecycle,
      })(tick, context());
      await new Promise((resolve) => setTimeout(resolve, 80));
      await lifecycle.shutDown('the worker received SIGTERM', 'SIGTERM');
      const error = (await run.catch((e: unknown) => e)) as RunInterruptedError;
      expect(error).toBeInstanceOf(RunInterruptedError);
      expect(error.message).toBe(
        'The run was interrupted (the worker received SIGTERM) and recorded as failed',
      );
      const [row] = await t.store.listRuns(1);
      expect(row).toMatchObject({ trigger: 'timer', status: 'failed', errorCode: 'RUN_INTERRUPTED' });
      expect(row!.leadsScored).toBeLessThan(1000);
      await (await t.store.acquireRunLock('next-worker')).release(); // free at once
      expect((await r.points()).get(METRICS.runs)!.map((p) => p.attributes.error_code)).toStrictEqual([
        'RUN_INTERRUPTED',
      ]);
      // an HTTP rerun asked for while the worker is going away is told to retry
      const late = await createRescoreHttp(() => ({ config, store: t.store }), {
        telemetry: r.telemetry,
        lifecycle,
      })(new HttpRequest({ method: 'POST', url: 'http://localhost/api/scoring/runs' }), context());
      expect(late.status).toBe(503);
      expect(await t.store.listRuns(5)).toHaveLength(1); // and no run was started for it
    } finally {
      await t.cleanup();
    }
  });

  it('on SIGTERM: shuts the runs down, then flushes and closes, then lets the signal end the process', async () => {
    const order: string[] = [];
    const lifecycle = new WorkerLifecycle();
    let finishRun!: () => void;
    void lifecycle.track(
      new Promise<void>((resolve) => {
        finishRun = resolve;
      }).then(() => order.push('run recorded')),
    );
    lifecycle.signal.addEventListener('abort', () => {
      order.push(`aborted: ${(lifecycle.signal.reason as Error).message}`);
      setTimeout(finishRun, 10); // the run stops at its next chunk
    });
    const proc = Object.assign(new EventEmitter(), {
      pid: 4242,
      kill: jest.fn(() => {
        order.push('re-raised');
        return true;
      }),
    });
    handleTerminationSignals(
      lifecycle,
      () => {
        order.push('flushed and closed');
        return Promise.resolve();
      },
      proc as unknown as Parameters<typeof handleTerminationSignals>[2],
    );
    proc.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toStrictEqual([
      'aborted: The run was interrupted (the worker received SIGTERM) and recorded as failed',
      'run recorded',
      'flushed and closed',
      're-raised',
    ]);
    expect(proc.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
    expect(proc.listenerCount('SIGTERM')).toBe(0); // re-raised with no listener left: the default action ends it
  });
});
