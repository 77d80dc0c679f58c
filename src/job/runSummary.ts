import { isLeadIntelError } from '../errors';
import type { ChurnRisk, FollowUpStatus, Recommendation } from '../scoring';
import { NO_DATA_ISSUES, type DataIssues, type RunTrigger } from '../store/leadStore';

export type JobStage = 'read' | 'score' | 'render' | 'write' | 'snapshot';

/** What one scoring pass did; stored as the run's SummaryJson and returned by the HTTP rerun. */
export interface RunSummary {
  runId: number | null;
  trigger: RunTrigger;
  dryRun: boolean;
  status: 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string;
  /** Lead ids asked for (subset rerun), null for all active leads. */
  requestedLeads: number | null;
  leadsRead: number;
  leadsScored: number;
  leadsSkipped: number;
  rowsChanged: number;
  rowsUnchanged: number;
  rowsMissing: number;
  snapshotsWritten: number;
  churnRisk: Record<ChurnRisk, number>;
  followUpStatus: Record<FollowUpStatus, number>;
  stagesMs: Record<JobStage, number>;
  durationMs: number;
  leadsPerSecond: number;
  dataIssues: DataIssues;
  conversionSource: 'heuristic' | 'model';
  /** Which model scored conversion, or why the heuristic did. */
  conversionNote: string;
  /** The published model's holdout AUC, when one scored. */
  modelHoldoutAuc?: number;
  /** Dry runs with lead ids: the computed scores, not written. */
  results?: DryRunLead[];
  /** Subset reruns: the requested lead ids that were not scored (no such lead, or closed). */
  requestedNotScored?: number[];
  error?: { code: string; message: string };
}

export interface DryRunLead {
  leadId: number;
  healthScore: number;
  velocityScore: number;
  aiPriority: number;
  conversionProbability: number;
  churnRisk: ChurnRisk;
  followUpStatus: FollowUpStatus;
  overdueDays: number;
  recommendation: Recommendation & { conversion?: unknown; conversionFactors?: unknown };
}

/** The summary of a run that has done nothing yet (status succeeded until something fails). */
export function newRunSummary(run: {
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly requestedLeads: number | null;
}): RunSummary {
  return {
    runId: null,
    trigger: run.trigger,
    dryRun: run.dryRun,
    status: 'succeeded',
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: '',
    requestedLeads: run.requestedLeads,
    leadsRead: 0,
    leadsScored: 0,
    leadsSkipped: 0,
    rowsChanged: 0,
    rowsUnchanged: 0,
    rowsMissing: 0,
    snapshotsWritten: 0,
    churnRisk: { low: 0, medium: 0, high: 0, critical: 0 },
    followUpStatus: { none: 0, overdue: 0, today: 0, this_week: 0, scheduled: 0 },
    stagesMs: { read: 0, score: 0, render: 0, write: 0, snapshot: 0 },
    durationMs: 0,
    leadsPerSecond: 0,
    dataIssues: { ...NO_DATA_ISSUES },
    conversionSource: 'heuristic',
    conversionNote: 'heuristic: the learned model is not configured',
  };
}

/** A failed run's error as the summary, the run row and telemetry record it: our stable code, else UNEXPECTED. */
export function runErrorOf(e: unknown): { code: string; message: string } {
  return {
    code: isLeadIntelError(e) ? e.code : 'UNEXPECTED',
    message: (e as Error)?.message ?? String(e),
  };
}

/**
 * The summary of a run that failed before the job could start (the store could not be opened: connect, login,
 * firewall, a missing database user), so that telemetry counts it as a failed run of its trigger.
 */
export function failedBeforeStart(
  run: Parameters<typeof newRunSummary>[0],
  error: unknown,
  finishedAt: number,
): RunSummary {
  return {
    ...newRunSummary(run),
    status: 'failed',
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: Math.max(0, finishedAt - run.startedAt),
    conversionNote: 'not started',
    error: runErrorOf(error),
  };
}
