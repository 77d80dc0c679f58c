/**
 * Every telemetry name the product emits, in one place: the workbook (infra/workbook.json) and the alerts
 * (infra/modules/alerts.bicep) query exactly these, and a test checks both directions.
 */
export const METER_NAME = 'lead-intelligence';
export const TRACER_NAME = 'lead-intelligence';

export const METRICS = {
  /** Counter: leads scored, by trigger. */
  leadsScored: 'leads_scored',
  /** Counter: lead rows whose scores changed and were rewritten, by trigger. */
  rowsChanged: 'rows_changed',
  /** Histogram: duration of a whole run (ms), by trigger and status. */
  runDurationMs: 'run_duration_ms',
  /** Histogram: time spent in one stage of a run (ms), by stage. */
  stageDurationMs: 'stage_duration_ms',
  /** Gauge: throughput of the last run. */
  leadsPerSecond: 'leads_per_second',
  /**
   * Counter: runs, by trigger, status (succeeded / failed), dry_run and scope (full / subset), and error_code when
   * failed. Failures before the job could start (connect, login, firewall, missing user) count too.
   */
  runs: 'runs',
  /** Gauge: leads per churn tier after the last full run, by churn_risk. */
  leadsByChurnRisk: 'leads_by_churn_risk',
  /** Gauge: leads per follow-up status after the last full run, by follow_up_status. */
  leadsByFollowUpStatus: 'leads_by_follow_up_status',
  /** Gauge: holdout AUC of the model that scored the run (only when one did). */
  modelAuc: 'model_auc',
} as const;

export const SPANS = {
  run: 'scoring.run',
  stage: (stage: string) => `scoring.${stage}`,
} as const;

/**
 * Attribute keys (low cardinality only on metrics: trigger, status, dry_run, scope, error_code, stage, churn_risk,
 * follow_up_status). Metric attribute values are strings: the Azure Monitor exporter copies them into customDimensions
 * as they are (@azure/monitor-opentelemetry-exporter, utils/metricUtils createPropertiesFromMetricAttributes), so a
 * KQL filter compares text.
 */
export const ATTR = {
  trigger: 'trigger',
  status: 'status',
  /** 'true' / 'false': a dry run writes nothing, so it never counts as the timer's success. */
  dryRunFlag: 'dry_run',
  /** 'full' (all active leads) or 'subset' (lead ids given). */
  scope: 'scope',
  /** The stable code of a failed run (STORE_UNAVAILABLE, RUN_INTERRUPTED, INPUT_INVALID …). */
  errorCode: 'error_code',
  stage: 'stage',
  churnRisk: 'churn_risk',
  followUpStatus: 'follow_up_status',
  runId: 'run.id',
  leadCount: 'leads.count',
  rowsChanged: 'rows.changed',
  dryRun: 'run.dry_run',
} as const;
