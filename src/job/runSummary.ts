import type { ChurnRisk, FollowUpStatus, Recommendation } from '../scoring';
import type { DataIssues, RunTrigger } from '../store/leadStore';

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
