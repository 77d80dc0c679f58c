import { LEAD_STATUSES } from './codes';
import { bandOf, PRIORITY_BANDS, type PriorityBand } from './priorityBands';
import type { PriorityParams } from './computePriority';
import {
  explainPriority,
  pickTopFactors,
  PRIORITY_FACTORS,
  priorityContributions,
  priorityFactorLabel,
  type PriorityFactor,
  type PriorityInputs,
} from './explainPriority';
import { REC_ON_TRACK, RECOMMENDATION_RULES } from './recommendationRules';
import type { ScoringConfig } from './scoringConfig';

/** The RecommendationJson object, as stored on the lead and served by the API. */
export interface Recommendation {
  priority: 'urgent' | 'high' | 'medium' | 'low';
  action: string;
  message: string;
  reasoning: string;
  /** The AIPriority band (`PRIORITY_BANDS`). */
  band: PriorityBand;
  factors: PriorityFactor[];
}

export interface RecommendationInputs extends PriorityInputs {
  recommendation: number;
  churnRisk: number;
  /** AIPriority, 0–100. */
  aiPriority: number;
  /** `LEAD_STATUSES` code. */
  status: number;
}

const CHURN_WORD = ['Low', 'Medium', 'High', 'Critical'] as const;
// Scratch space of the JSON renderer (single-threaded, not re-entrant; nothing escapes a call).
const POINTS = new Float64Array(PRIORITY_FACTORS.length);
const ORDER = new Int8Array(PRIORITY_FACTORS.length);

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** The message and reasoning of a rule for a lead's values. Texts only contain JSON-safe characters. */
function textsOf(x: RecommendationInputs, config: ScoringConfig): [message: string, reasoning: string] {
  const churn = CHURN_WORD[x.churnRisk] ?? 'Unknown';
  switch (x.recommendation) {
    case 0:
      return [
        `🔴 URGENT: Call immediately! Lead health critical (${x.health}) and ${days(x.overdueDays)} overdue.`,
        `${churn} churn risk - immediate action required`,
      ];
    case 1:
      return [
        `🔴 URGENT: Follow-up ${days(x.overdueDays)} overdue. Call today before the lead goes cold.`,
        `${churn} churn risk - follow-up overdue for ${days(x.overdueDays)}`,
      ];
    case 2:
      return [
        `🔴 URGENT: Call immediately! Lead health critical (${x.health}).`,
        `${churn} churn risk - immediate action required`,
      ];
    case 3:
      return [
        `🟠 HIGH: Follow-up overdue by ${days(x.overdueDays)}. Call today.`,
        `Overdue follow-ups lower the chance to convert (health ${x.health})`,
      ];
    case 4:
      return ['🟠 HIGH: Follow-up due today. Make the call.', 'A scheduled follow-up is due today'];
    case 5:
      return [
        `🟠 HIGH: Activity is stalling (velocity ${x.velocity}). Re-engage this week.`,
        `Activity dropped below the lead's own pace (health ${x.health})`,
      ];
    case 6:
      return [
        `🟢 HOT: ${x.conversion}% likely to convert. Push to close.`,
        'High conversion probability and healthy engagement',
      ];
    case 7:
      return [
        '🟡 MEDIUM: No follow-up scheduled. Schedule the next step.',
        `No pending follow-up (health ${x.health})`,
      ];
    case 8:
      return [
        `🟡 MEDIUM: Engagement is fading (health ${x.health}). Send a check-in.`,
        `Health below ${config.churn.mediumHealthBelow} without an urgent signal`,
      ];
    case 9:
      return [
        '🟡 MEDIUM: Follow-up due this week. Prepare for it.',
        'The next follow-up is due within 7 days',
      ];
    case 11:
    case 12:
    case 13:
    case 14:
      return triageTextsOf(x, config, churn);
    default:
      return ['🟢 ON TRACK: Keep the scheduled follow-up.', 'Healthy engagement and follow-up on schedule'];
  }
}

/** Texts of the rules a band adds (11–14): triage of low-priority overdue leads, re-engage, advance. */
function triageTextsOf(
  x: RecommendationInputs,
  config: ScoringConfig,
  churn: string,
): [message: string, reasoning: string] {
  switch (x.recommendation) {
    case 11:
      return [
        `⚪ TRIAGE: ${days(x.overdueDays)} overdue at AIPriority ${x.aiPriority}. Re-qualify: confirm need, budget and timing.`,
        `Only ${x.conversion}% likely to convert - worth a short re-qualifying call, not an urgent one`,
      ];
    case 12:
      return [
        `⚪ TRIAGE: ${days(x.overdueDays)} overdue and ${x.conversion}% likely to convert. Disqualify unless something changed.`,
        `Long overdue with a conversion chance below ${config.recommendation.disqualifyConversionBelow}% - chasing it crowds out better leads`,
      ];
    case 13:
      return [
        `🟠 HIGH: Lead health critical (${x.health}). Re-engage this week.`,
        `${churn} churn risk - AIPriority ${x.aiPriority} puts better leads first`,
      ];
    default:
      return [
        `🟢 HOT: ${x.conversion}% likely to convert. Qualify it and move it to the next stage.`,
        `High conversion probability at an early stage (${LEAD_STATUSES[x.status] ?? 'unknown'})`,
      ];
  }
}

/**
 * Renders a lead's recommendation code as the guide's object: priority, action, message, reasoning, plus `band`
 * (of its AIPriority) and `factors` (what pushes its AIPriority up and down, see `explainPriority`).
 *
 * @example
 * renderRecommendation({ recommendation: 0, churnRisk: 2, health: 32, overdueDays: 5, … }, pp, config).message
 * // => '🔴 URGENT: Call immediately! Lead health critical (32) and 5 days overdue.'
 */
export function renderRecommendation(
  x: RecommendationInputs,
  pp: PriorityParams,
  config: ScoringConfig,
): Recommendation {
  const rule = RECOMMENDATION_RULES[x.recommendation] ?? RECOMMENDATION_RULES[REC_ON_TRACK]!;
  const [message, reasoning] = textsOf(x, config);
  return {
    priority: rule.priority,
    action: rule.action,
    message,
    reasoning,
    band: PRIORITY_BANDS[bandOf(x.aiPriority)]!,
    factors: explainPriority(x, pp),
  };
}

/**
 * The RecommendationJson text of a lead: `renderRecommendation` serialised by hand, in a fixed key order, because
 * this runs once per lead per run and every text in it is known to need no escaping.
 *
 * Complexity: O(1) per lead.
 */
export function renderRecommendationJson(
  x: RecommendationInputs,
  pp: PriorityParams,
  config: ScoringConfig,
  /** Extra members (already JSON, without braces) appended to the object, e.g. the conversion model's factors. */
  extra?: string,
): string {
  const prefix = RULE_PREFIX[x.recommendation] ?? RULE_PREFIX[REC_ON_TRACK]!;
  const [message, reasoning] = textsOf(x, config);
  priorityContributions(x, pp, POINTS);
  const n = pickTopFactors(POINTS, ORDER);
  let f = '';
  for (let k = 0; k < n; k++) {
    const i = ORDER[k]!;
    f += (k ? ',' : '') + FACTOR_PREFIX[i]! + priorityFactorLabel(i, x) + '","points":' + POINTS[i]! + '}';
  }
  return (
    prefix +
    message +
    '","reasoning":"' +
    reasoning +
    BAND_FRAGMENTS[bandOf(x.aiPriority)]! +
    f +
    (extra ? '],' + extra + '}' : ']}')
  );
}

// Constant leading fragments of the JSON text, built once (the renderer runs for every lead of every run).
const RULE_PREFIX = RECOMMENDATION_RULES.map(
  (r) => `{"priority":"${r.priority}","action":"${r.action}","message":"`,
);
const BAND_FRAGMENTS = PRIORITY_BANDS.map((b) => `","band":"${b}","factors":[`);
const FACTOR_PREFIX = PRIORITY_FACTORS.map((name) => `{"factor":"${name}","label":"`);
