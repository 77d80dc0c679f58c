import {
  context,
  SpanStatusCode,
  trace,
  type Histogram,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { JobStage, JobTelemetry, RunSummary } from '../job';
import type { RunTrigger } from '../store/leadStore';
import { ATTR, METRICS, SPANS } from './names';

interface StageWindow {
  start: number;
  end: number;
  ms: number;
  chunks: number;
  leads: number;
}

/** The run metrics of `names.ts` on a meter. */
function runInstruments(meter: Meter) {
  const leadsScored = meter.createCounter(METRICS.leadsScored, {
    description: 'Leads scored',
    unit: '{lead}',
  });
  const rowsChanged = meter.createCounter(METRICS.rowsChanged, {
    description: 'Lead rows whose scores changed',
    unit: '{row}',
  });
  const runs = meter.createCounter(METRICS.runs, {
    description: 'Scoring runs by trigger and status',
    unit: '{run}',
  });
  const runDuration = meter.createHistogram(METRICS.runDurationMs, {
    description: 'Duration of a scoring run',
    unit: 'ms',
  });
  const stageDuration = meter.createHistogram(METRICS.stageDurationMs, {
    description: 'Time in one stage of a run',
    unit: 'ms',
  });
  const leadsPerSecond = meter.createGauge(METRICS.leadsPerSecond, {
    description: 'Throughput of the last run',
    unit: '{lead}/s',
  });
  const byChurn = meter.createGauge(METRICS.leadsByChurnRisk, {
    description: 'Leads per churn tier after the last full run',
    unit: '{lead}',
  });
  const byFollowUp = meter.createGauge(METRICS.leadsByFollowUpStatus, {
    description: 'Leads per follow-up status after the last full run',
    unit: '{lead}',
  });

  const modelAuc = meter.createGauge(METRICS.modelAuc, {
    description: 'Holdout AUC of the conversion model in use',
  });
  return {
    leadsScored,
    rowsChanged,
    runs,
    runDuration,
    stageDuration,
    leadsPerSecond,
    byChurn,
    byFollowUp,
    modelAuc,
  };
}

/** One child span of the run span per stage, spanning that stage's chunks, and the stage-duration metric. */
function endStageSpans(
  tracer: Tracer,
  runSpan: Span,
  stages: ReadonlyMap<JobStage, StageWindow>,
  stageDuration: Histogram,
): void {
  for (const [stage, w] of stages) {
    const child = tracer.startSpan(
      SPANS.stage(stage),
      {
        startTime: w.start,
        attributes: {
          [ATTR.stage]: stage,
          'stage.duration_ms': Math.round(w.ms),
          'stage.chunks': w.chunks,
          [ATTR.leadCount]: w.leads,
        },
      },
      trace.setSpan(context.active(), runSpan), // a child of the run span
    );
    child.end(w.end);
    stageDuration.record(w.ms, { [ATTR.stage]: stage });
  }
}

/** The run span's attributes and status, ended at the run's end. */
function endRunSpan(runSpan: Span, summary: RunSummary, startedAt: number): void {
  runSpan.setAttributes({
    [ATTR.runId]: summary.runId ?? -1,
    [ATTR.leadCount]: summary.leadsScored,
    [ATTR.rowsChanged]: summary.rowsChanged,
    [ATTR.dryRun]: summary.dryRun,
  });
  if (summary.status === 'failed') {
    runSpan.setStatus({ code: SpanStatusCode.ERROR, message: summary.error?.message ?? 'failed' });
    runSpan.setAttribute('error.code', summary.error?.code ?? 'UNEXPECTED');
  } else runSpan.setStatus({ code: SpanStatusCode.OK });
  runSpan.end(startedAt + summary.durationMs);
}

/**
 * Telemetry of scoring runs on the given tracer and meter (the global ones in production, in-memory ones in tests):
 * one `scoring.run` span per run with one child span per stage (read, score, render, write, snapshot) spanning that
 * stage's chunks, and the run metrics of `names.ts`. Returns a factory: one JobTelemetry per run.
 */
export function createRunTelemetry(tracer: Tracer, meter: Meter, clock: () => number = Date.now) {
  const {
    leadsScored,
    rowsChanged,
    runs,
    runDuration,
    stageDuration,
    leadsPerSecond,
    byChurn,
    byFollowUp,
    modelAuc,
  } = runInstruments(meter);

  return function forRun(trigger: RunTrigger, subset: boolean): JobTelemetry {
    const startedAt = clock();
    const runSpan: Span = tracer.startSpan(SPANS.run, {
      startTime: startedAt,
      attributes: { [ATTR.trigger]: trigger },
    });
    const stages = new Map<JobStage, StageWindow>();
    return {
      stage(stage, ms, leads) {
        const end = clock();
        const w = stages.get(stage);
        if (w) {
          w.end = end;
          w.ms += ms;
          w.chunks++;
          w.leads += leads;
        } else stages.set(stage, { start: end - ms, end, ms, chunks: 1, leads });
      },
      runFinished(summary: RunSummary) {
        const ctxTrigger = { [ATTR.trigger]: trigger };
        endStageSpans(tracer, runSpan, stages, stageDuration);
        endRunSpan(runSpan, summary, startedAt);
        const outcome = {
          ...ctxTrigger,
          [ATTR.status]: summary.status,
          [ATTR.dryRunFlag]: String(summary.dryRun),
          [ATTR.scope]: subset || summary.requestedLeads !== null ? 'subset' : 'full',
        };
        runs.add(
          1,
          summary.status === 'failed'
            ? { ...outcome, [ATTR.errorCode]: summary.error?.code ?? 'UNEXPECTED' }
            : outcome,
        );
        runDuration.record(summary.durationMs, outcome);
        if (summary.dryRun) return;
        leadsScored.add(summary.leadsScored, ctxTrigger);
        rowsChanged.add(summary.rowsChanged, ctxTrigger);
        if (summary.status === 'succeeded') leadsPerSecond.record(summary.leadsPerSecond, ctxTrigger);
        if (summary.modelHoldoutAuc !== undefined && Number.isFinite(summary.modelHoldoutAuc))
          modelAuc.record(summary.modelHoldoutAuc);
        if (summary.status === 'succeeded' && !subset) {
          for (const [tier, n] of Object.entries(summary.churnRisk))
            byChurn.record(n, { [ATTR.churnRisk]: tier });
          for (const [status, n] of Object.entries(summary.followUpStatus))
            byFollowUp.record(n, { [ATTR.followUpStatus]: status });
        }
      },
    };
  };
}
