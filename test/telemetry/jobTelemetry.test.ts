import { SpanStatusCode } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { runScoringJob } from '../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import type { LeadStore } from '../../src/store/leadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { METRICS, SPANS } from '../../src/telemetry';
import { clientIdOf } from '../../src/telemetry/setupTelemetry';
import { telemetrySdk as sdk } from '../helpers/telemetrySdk';
import { tempStore } from '../helpers/tempStore';

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('run telemetry (real OpenTelemetry SDK, in-memory exporters)', () => {
  it('emits a run span with one child span per stage and the run metrics with their values', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 250, closedLeads: 0, now: NOW, seed: 5 });
      const { spans, telemetry, points } = sdk();
      const summary = await runScoringJob({
        store: t.store,
        now: NOW,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'timer',
        log,
        telemetry: telemetry('timer', false),
      });

      const finished = spans.getFinishedSpans();
      const run = finished.find((s) => s.name === SPANS.run)!;
      expect(run.attributes).toStrictEqual({
        trigger: 'timer',
        'run.id': summary.runId,
        'leads.count': 250,
        'rows.changed': 250,
        'run.dry_run': false,
      });
      expect(run.status.code).toBe(SpanStatusCode.OK);
      const children = finished.filter((s) => s.parentSpanContext?.spanId === run.spanContext().spanId);
      expect(children.map((s) => s.name).sort()).toStrictEqual([
        'scoring.read',
        'scoring.render',
        'scoring.score',
        'scoring.snapshot',
        'scoring.write',
      ]);
      for (const c of children) expect(c.attributes['stage.chunks']).toBe(3);
      expect(children.find((c) => c.name === 'scoring.write')?.attributes['leads.count']).toBe(250);

      const m = await points();
      expect(m.get(METRICS.leadsScored)?.map((p) => [p.attributes, p.value])).toStrictEqual([
        [{ trigger: 'timer' }, 250],
      ]);
      expect(m.get(METRICS.rowsChanged)?.map((p) => p.value)).toStrictEqual([250]);
      expect(m.get(METRICS.runs)?.map((p) => [p.attributes, p.value])).toStrictEqual([
        [{ trigger: 'timer', status: 'succeeded', dry_run: 'false', scope: 'full' }, 1],
      ]);
      expect((m.get(METRICS.runDurationMs)?.[0]?.value as Histogram).count).toBe(1);
      expect(
        m
          .get(METRICS.stageDurationMs)
          ?.map((p) => p.attributes.stage)
          .sort(),
      ).toStrictEqual(['read', 'render', 'score', 'snapshot', 'write']);
      expect(m.get(METRICS.leadsPerSecond)?.[0]?.value).toBe(summary.leadsPerSecond);
      const churn = Object.fromEntries(
        m.get(METRICS.leadsByChurnRisk)!.map((p) => [p.attributes.churn_risk, p.value]),
      );
      // the distributions counted straight from the written rows (every tier or status, 0 when none has it), not
      // taken from the run's own summary
      const counted = (column: string, names: string[]): Record<string, number> => {
        const out = Object.fromEntries(names.map((n) => [n, 0]));
        const rows = t.store.connection
          .prepare(`SELECT ${column} AS k, COUNT(*) AS n FROM lead WHERE HealthScore IS NOT NULL GROUP BY 1`)
          .all() as { k: string; n: number }[];
        for (const r of rows) out[r.k] = r.n;
        return out;
      };
      expect(churn).toStrictEqual(counted('ChurnRisk', ['low', 'medium', 'high', 'critical']));
      const fus = Object.fromEntries(
        m.get(METRICS.leadsByFollowUpStatus)!.map((p) => [p.attributes.follow_up_status, p.value]),
      );
      expect(fus).toStrictEqual(
        counted('FollowUpStatus', ['none', 'overdue', 'today', 'this_week', 'scheduled']),
      );
      expect(Object.values(fus as Record<string, number>).reduce((a, b) => a + b)).toBe(250);
    } finally {
      await t.cleanup();
    }
  });

  it('marks a failed run’s span as an error and counts it as failed, without distribution gauges', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 50, closedLeads: 0, now: NOW });
      const failing = Object.create(t.store) as LeadStore;
      failing.writeScores = () => Promise.reject(new Error('deadlock victim'));
      const { spans, telemetry, points } = sdk();
      await expect(
        runScoringJob({
          store: failing,
          now: NOW,
          scoring: DEFAULT_SCORING_CONFIG,
          chunkSize: 100,
          trigger: 'http',
          log,
          telemetry: telemetry('http', false),
        }),
      ).rejects.toThrow('deadlock victim');
      const run = spans.getFinishedSpans().find((s) => s.name === SPANS.run)!;
      expect(run.status).toStrictEqual({ code: SpanStatusCode.ERROR, message: 'deadlock victim' });
      expect(run.attributes['error.code']).toBe('UNEXPECTED');
      const m = await points();
      expect(m.get(METRICS.runs)?.map((p) => [p.attributes, p.value])).toStrictEqual([
        [{ trigger: 'http', status: 'failed', dry_run: 'false', scope: 'full', error_code: 'UNEXPECTED' }, 1],
      ]);
      expect(m.get(METRICS.leadsByChurnRisk) ?? []).toStrictEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('run telemetry: what the missed-run alert counts', () => {
  it('labels every run with its trigger, dry_run and scope, so that only full, written timer runs count', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 50, closedLeads: 0, now: NOW, seed: 5 });
      const { telemetry, points } = sdk();
      const run = (trigger: 'timer' | 'http' | 'cli', leadIds?: number[], dryRun?: boolean) =>
        runScoringJob({
          store: t.store,
          now: NOW,
          scoring: DEFAULT_SCORING_CONFIG,
          chunkSize: 100,
          trigger,
          leadIds,
          dryRun,
          log,
          telemetry: telemetry(trigger, leadIds !== undefined),
        });
      await run('timer');
      await run('http', [1, 2], true);
      await run('http', [3]);
      await run('cli', undefined, true);
      const runs = (await points()).get(METRICS.runs)!.map((p) => [p.attributes, p.value]);
      expect(runs).toStrictEqual([
        [{ trigger: 'timer', status: 'succeeded', dry_run: 'false', scope: 'full' }, 1],
        [{ trigger: 'http', status: 'succeeded', dry_run: 'true', scope: 'subset' }, 1],
        [{ trigger: 'http', status: 'succeeded', dry_run: 'false', scope: 'subset' }, 1],
        [{ trigger: 'cli', status: 'succeeded', dry_run: 'true', scope: 'full' }, 1],
      ]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('clientIdOf', () => {
  it('reads the managed identity client id of an Entra authentication string', () => {
    expect(clientIdOf('Authorization=AAD;ClientId=6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f')).toBe(
      '6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f',
    );
    expect(clientIdOf('Authorization=AAD')).toBeNull();
  });
});
