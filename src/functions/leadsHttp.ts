import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { CHURN_RISKS, FOLLOW_UP_STATUSES, PRIORITY_BANDS } from '../scoring';
import { LEAD_SORTS, type LeadCursor, type LeadQueries } from '../store/leadStore';
import { hasInvalidRecommendation } from '../store/rowMappings';
import { appDeps } from './shared/appContext';
import { expectedErrorResponse, zodBadRequest } from './shared/httpErrors';

export const MAX_PAGE = 500;

/** Accepts repeated (`?churnRisk=high&churnRisk=critical`) and comma-separated (`?churnRisk=high,critical`) values. */
const multi = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .array(z.string())
    .transform((xs) =>
      xs
        .flatMap((x) => x.split(','))
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(z.enum(values)))
    .optional();

/** The values a cursor may carry for each sort: those its column can hold (migration 001's types and CHECKs). */
const CURSOR_VALUE = {
  priority: z.number().int().min(0).max(100),
  health: z.number().int().min(0).max(100),
  overdue: z.number().int().min(0).max(2_147_483_647),
  conversion: z.number().min(0).max(100),
} as const;

const cursorSchema = z
  .object({
    sort: z.enum(LEAD_SORTS),
    value: z.number(),
    leadId: z.number().int().positive().max(2_147_483_647),
  })
  .strict()
  .refine((c) => CURSOR_VALUE[c.sort].safeParse(c.value).success, 'cursor value out of range for its sort');

export function encodeCursor(c: LeadCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const MULTI_KEYS = new Set(['churnRisk', 'followUpStatus', 'status', 'band']);
const single = z.string().trim().min(1);

const leadsQuery = z
  .object({
    churnRisk: multi(CHURN_RISKS),
    followUpStatus: multi(FOLLOW_UP_STATUSES),
    band: multi(PRIORITY_BANDS),
    status: z
      .array(z.string())
      .transform((xs) =>
        xs
          .flatMap((x) => x.split(','))
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      )
      .optional(),
    minPriority: z.coerce.number().int().min(0).max(100).optional(),
    maxHealth: z.coerce.number().int().min(0).max(100).optional(),
    owner: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
    search: single.pipe(z.string().min(2).max(100)).optional(),
    updatedSince: single
      .pipe(z.iso.datetime({ offset: true }))
      .transform((v) => Date.parse(v))
      .optional(),
    sort: z.enum(LEAD_SORTS).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
    next: single
      .transform((v, ctx) => {
        try {
          return cursorSchema.parse(JSON.parse(Buffer.from(v, 'base64url').toString('utf8')));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not a cursor returned by this API' });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .strict();

/**
 * GET /api/leads — the guide's Phase 2 `leads_full_detail`: active scored leads with their nine metrics and parsed
 * recommendation and AIPriority band. Filters: churnRisk, followUpStatus, band (`band=A,B`; multi), minPriority, maxHealth, status (multi), updatedSince, owner, search (name or company)
 * (ISO 8601); sort: priority (default, highest first), health (lowest first), overdue, conversion; keyset paging with
 * `limit` ≤ 500 and the `next` cursor of the previous page; `aggregates` over the whole filtered set. A lead whose
 * stored RecommendationJson is not JSON is listed with `recommendation: null` and `recommendationInvalid: true`, and
 * counted in `dataIssues.invalidRecommendations` of the page (and a warning): one bad row never fails the request.
 */
/** What the leads API needs of the app: only the lead queries. */
type LeadsDeps = { readonly store: LeadQueries };

export function createLeadsHttp(deps: () => LeadsDeps | Promise<LeadsDeps> = appDeps) {
  return async function leadsHttp(
    request: HttpRequest,
    context?: InvocationContext,
  ): Promise<HttpResponseInit> {
    const raw: Record<string, string | string[]> = {};
    for (const key of new Set(request.query.keys())) {
      const values = request.query.getAll(key);
      raw[key] = MULTI_KEYS.has(key) ? values : values[values.length - 1]!;
    }
    const parsed = leadsQuery.safeParse(raw);
    if (!parsed.success) return zodBadRequest('query', parsed.error);
    const q = parsed.data;
    const sort = q.sort ?? q.next?.sort ?? 'priority';
    if (q.next && q.next.sort !== sort) {
      return zodBadRequest(
        'query',
        new z.ZodError([
          {
            code: 'custom',
            path: ['next'],
            message: `cursor was made for sort "${q.next.sort}"`,
            input: q.next,
          },
        ]),
      );
    }
    try {
      const page = await (
        await deps()
      ).store.queryLeads({
        churnRisk: q.churnRisk,
        followUpStatus: q.followUpStatus,
        status: q.status,
        minPriority: q.minPriority,
        band: q.band,
        maxHealth: q.maxHealth,
        updatedSince: q.updatedSince,
        owner: q.owner,
        search: q.search,
        sort,
        limit: q.limit ?? 50,
        after: q.next,
      });
      const invalid = page.leads.filter(hasInvalidRecommendation).map((l) => l.leadId);
      if (invalid.length > 0)
        context?.warn(
          `Leads with a RecommendationJson that is not JSON, listed with recommendation null: ${invalid.join(', ')}`,
        );
      return {
        status: 200,
        jsonBody: {
          leads: page.leads,
          next: page.next ? encodeCursor(page.next) : null,
          aggregates: page.aggregates,
          dataIssues: { invalidRecommendations: invalid.length },
        },
      };
    } catch (e) {
      return expectedErrorResponse(e);
    }
  };
}

export const leadsHttp = createLeadsHttp();

app.http('leadsHttp', {
  methods: ['GET'],
  route: 'leads',
  authLevel: 'function',
  handler: leadsHttp,
});
