/** What a rep should do about a lead; one rule per code, chosen by `recommendationOf` (docs/scoring.md §Recommendation). */
export interface RecommendationRule {
  readonly priority: 'urgent' | 'high' | 'medium' | 'low';
  readonly action: string;
  readonly reason: string;
}

export const RECOMMENDATION_RULES: readonly RecommendationRule[] = Object.freeze([
  { priority: 'urgent', action: 'call_now', reason: 'critical_health_overdue' },
  { priority: 'urgent', action: 'call_now', reason: 'long_overdue' },
  { priority: 'urgent', action: 'call_now', reason: 'critical_churn' },
  { priority: 'high', action: 'call_today', reason: 'overdue' },
  { priority: 'high', action: 'follow_up_today', reason: 'due_today' },
  { priority: 'high', action: 're_engage', reason: 'stalling' },
  { priority: 'high', action: 'push_to_close', reason: 'hot' },
  { priority: 'medium', action: 'schedule_follow_up', reason: 'no_next_step' },
  { priority: 'medium', action: 'check_in', reason: 'fading' },
  { priority: 'medium', action: 'prepare_follow_up', reason: 'due_this_week' },
  { priority: 'low', action: 'maintain', reason: 'on_track' },
  { priority: 'medium', action: 're_qualify', reason: 'low_priority_overdue' },
  { priority: 'medium', action: 'disqualify', reason: 'hopeless_overdue' },
  { priority: 'high', action: 're_engage', reason: 'critical_churn' },
  { priority: 'high', action: 'advance_stage', reason: 'hot_early_stage' },
] as const);

export const REC_CRITICAL_HEALTH_OVERDUE = 0;
export const REC_LONG_OVERDUE = 1;
export const REC_CRITICAL_CHURN = 2;
export const REC_OVERDUE = 3;
export const REC_DUE_TODAY = 4;
export const REC_STALLING = 5;
export const REC_HOT = 6;
export const REC_NO_NEXT_STEP = 7;
export const REC_FADING = 8;
export const REC_DUE_THIS_WEEK = 9;
export const REC_ON_TRACK = 10;
export const REC_REQUALIFY = 11;
export const REC_DISQUALIFY = 12;
export const REC_AT_RISK = 13;
export const REC_ADVANCE = 14;
