import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { MS_PER_DAY, trendOf, type ScoreTrend } from '../scoring';
import type { LeadQueries, LeadSnapshotRecord } from '../store/leadStore';
import { appDeps } from './shared/appContext';
import { expectedErrorResponse, zodBadRequest } from './shared/httpErrors';

/** Days of snapshots the detail returns, today included. */
export const DETAIL_SNAPSHOT_DAYS = 30;
const leadId = z.coerce.number().int().positive().max(2_147_483_647);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Priority and health trends of a lead from its snapshots (docs/scoring.md §Trend). */
export function leadTrends(
  current: { readonly aiPriority: number; readonly healthScore: number },
  snapshots: readonly LeadSnapshotRecord[],
  today: string,
): { priority: ScoreTrend | null; health: ScoreTrend | null } {
  const days = snapshots.map((s) => s.date);
  const priority = Float64Array.from(snapshots, (s) => s.aiPriority ?? NaN);
  const health = Float64Array.from(snapshots, (s) => s.healthScore);
  return {
    priority: trendOf(current.aiPriority, days, priority, today),
    health: trendOf(current.healthScore, days, health, today),
  };
}

/** What the lead detail API needs of the app: only the lead queries. */
type LeadDetailDeps = { readonly store: LeadQueries };

/**
 * GET /api/leads/{id} — one active, scored lead: its nine scores, band, recommendation with its reasons (`reasons`:
 * the AIPriority factors; `conversionReasons`: the learned model's, when there is one), the priority and health
 * trends, and its snapshots of the last 30 days (oldest first). 404 for an unknown, closed or not yet scored lead;
 * 400 for an id that is not a positive 32-bit integer.
 */
export function createLeadDetailHttp(
  deps: () => LeadDetailDeps | Promise<LeadDetailDeps> = appDeps,
  now: () => number = Date.now,
) {
  return async function leadDetailHttp(request: HttpRequest): Promise<HttpResponseInit> {
    const parsed = leadId.safeParse(request.params.id);
    if (!parsed.success) return zodBadRequest('lead id', parsed.error);
    try {
      const t = now();
      const today = isoDay(t);
      const from = isoDay(t - (DETAIL_SNAPSHOT_DAYS - 1) * MS_PER_DAY);
      const detail = await (await deps()).store.getLead(parsed.data, from);
      if (!detail) {
        return {
          status: 404,
          jsonBody: { code: 'NOT_FOUND', message: `No active, scored lead ${parsed.data}` },
        };
      }
      const { lead, snapshots } = detail;
      const rec = lead.recommendation as { factors?: unknown; conversionFactors?: unknown } | null;
      return {
        status: 200,
        jsonBody: {
          lead,
          band: lead.band,
          reasons: rec?.factors ?? [],
          conversionReasons: rec?.conversionFactors ?? [],
          trend: leadTrends(lead, snapshots, today),
          snapshots,
        },
      };
    } catch (e) {
      return expectedErrorResponse(e);
    }
  };
}

export const leadDetailHttp = createLeadDetailHttp();

app.http('leadDetailHttp', {
  methods: ['GET'],
  route: 'leads/{id}',
  authLevel: 'function',
  handler: leadDetailHttp,
});
