import { SpanStatusCode } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { runScoringJob } from '../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import type { LeadStore } from '../../src/store/leadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { createRunTelemetry, METRICS, SPANS } from '../../src/telemetry';
import { clientIdOf } from '../../src/telemetry/setupTelemetry';
import { tempStore } from '../helpers/tempStore';

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createRunTelemetry(tracerProvider.getTracer('test'), meterProvider.getMeter('test'));
  const points = async () => {
    const { resourceMetrics } = await reader.collect();
    const out = new Map<string, DataPoint<unknown>[]>();
    for (const sm of resourceMetrics.scopeMetrics)
      for (const m of sm.metrics) out.set(m.descriptor.name, m.dataPoints);
    return out;
  };
  return { spans, telemetry, points };
}

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
        [{ trigger: 'timer', status: 'succeeded' }, 1],
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
      expect(churn).toStrictEqual(summary.churnRisk);
      const fus = Object.fromEntries(
        m.get(METRICS.leadsByFollowUpStatus)!.map((p) => [p.attributes.follow_up_status, p.value]),
      );
      expect(fus).toStrictEqual(summary.followUpStatus);
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
        [{ trigger: 'http', status: 'failed' }, 1],
      ]);
      expect(m.get(METRICS.leadsByChurnRisk) ?? []).toStrictEqual([]);
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
