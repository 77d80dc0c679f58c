// The shapes the board reads from the API (src/functions/leadsHttp.ts, runsHttp.ts, scoringOverviewHttp.ts), and
// the fields issue 12 adds (band, reasons, trend, GET /api/leads/{id}) as optional: the board shows them when they
// come and does without them otherwise.

export const CHURN_RISKS = ['low', 'medium', 'high', 'critical'] as const;
export const FOLLOW_UPS = ['overdue', 'today', 'this_week', 'scheduled', 'none'] as const;
export const BANDS = ['A', 'B', 'C', 'D'] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];
export type FollowUp = (typeof FOLLOW_UPS)[number];
export type Band = (typeof BANDS)[number];

/** A reason: AIPriority points (`points`), or, for the learned model before issue 12, a log-odds `contribution`. */
export interface Factor {
  readonly factor?: string;
  readonly label: string;
  readonly points?: number;
  readonly contribution?: number;
}

export interface Recommendation {
  readonly priority?: string;
  readonly action?: string;
  readonly message?: string;
  readonly reasoning?: string;
  readonly band?: Band;
  readonly factors?: Factor[];
  readonly conversionFactors?: Factor[];
}

export type TrendWord = 'Improving' | 'Steady' | 'Declining';
export interface ScoreTrend {
  readonly trend: TrendWord;
  readonly change: number;
  readonly since: string;
}
export interface Trends {
  readonly priority: ScoreTrend | null;
  readonly health: ScoreTrend | null;
}

export interface Lead {
  readonly leadId: number;
  readonly name: string | null;
  readonly company: string | null;
  readonly status: string | null;
  readonly source: string | null;
  readonly estimatedValue: number | null;
  readonly healthScore: number;
  readonly velocityScore: number;
  readonly aiPriority: number;
  readonly band?: Band;
  readonly trend?: Trends;
  readonly conversionProbability: number;
  readonly churnRisk: ChurnRisk;
  readonly followUpStatus: FollowUp;
  readonly overdueDays: number;
  readonly recommendation: Recommendation | null;
  readonly scoresLastUpdated: string;
}

export interface Aggregates {
  readonly count: number;
  readonly churnRisk: Record<ChurnRisk, number>;
  readonly followUpStatus: Record<FollowUp, number>;
  readonly band?: Record<Band, number>;
}

export interface LeadsPage {
  readonly leads: Lead[];
  readonly next: string | null;
  readonly aggregates: Aggregates;
}

export interface Snapshot {
  readonly date: string;
  readonly healthScore: number;
  readonly aiPriority: number | null;
}

/** GET /api/leads/{id} of issue 12. */
export interface LeadDetail {
  readonly lead: Lead;
  readonly reasons?: Factor[];
  readonly conversionReasons?: Factor[];
  readonly trend?: Trends;
  readonly snapshots?: Snapshot[];
}

export interface Run {
  readonly runId: number;
  readonly trigger: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly leadsScored: number;
  readonly durationMs: number | null;
  readonly errorCode: string | null;
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number | null;
  readonly observedRate: number | null;
}

export interface Overview {
  readonly lastRun: Run | null;
  readonly schedule: string;
  readonly nextRunAt: string | null;
  readonly model: {
    readonly source: 'heuristic' | 'model';
    readonly note: string | null;
    readonly minWon: number;
    readonly minLost: number;
    readonly published: {
      readonly trainedAt: string;
      readonly won: number;
      readonly lost: number;
      readonly holdout: { readonly n: number; readonly auc: number; readonly calibration: CalibrationBin[] };
    } | null;
  };
}

/** An answer of the API that is not 200. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; message?: string; issues?: { path: string; message: string }[] } | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** GETs one of the board's data routes (relative to the page, so it works under /api/board/ anywhere). */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`data/${path}`, {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
  });
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) throw new ApiError(response.status, body as ApiError['body']);
  return body as T;
}
