import sql from 'mssql';
import { bandRanges } from '../../scoring';
import type { LeadDetail, LeadPage, LeadQueries, LeadQuery } from '../leadStore';
import {
  toLeadAggregates,
  toLeadRecord,
  toSnapshotRecord,
  type LeadRow,
  type SnapshotRow,
} from '../rowMappings';
import type { MssqlContext } from './mssqlContext';
import * as Q from './statements';

/**
 * Each sort's column, direction and the column's own type (migration 001), which the keyset cursor is sent as: a
 * parameter of another type would make SQL Server convert the column side (data type precedence,
 * https://learn.microsoft.com/sql/t-sql/data-types/data-type-precedence-transact-sql).
 */
const SORTS = {
  priority: { sortColumn: 'AIPriority', desc: true, type: () => sql.TinyInt },
  health: { sortColumn: 'HealthScore', desc: false, type: () => sql.TinyInt },
  overdue: { sortColumn: 'OverdueDays', desc: true, type: () => sql.Int },
  conversion: { sortColumn: 'ConversionProbability', desc: true, type: () => sql.Decimal(5, 2) },
} as const;

/** The leads API's keyset-paged read on Azure SQL: one statement per filter shape (statements.ts). */
export class MssqlLeadQueries implements LeadQueries {
  constructor(private readonly ctx: MssqlContext) {}

  async queryLeads(q: LeadQuery): Promise<LeadPage> {
    const sort = SORTS[q.sort];
    const bands = q.band && q.band.length > 0 ? bandRanges(q.band) : [];
    const shape: Q.LeadsStatementShape = {
      churnRisk: q.churnRisk?.length ?? 0,
      followUpStatus: q.followUpStatus?.length ?? 0,
      status: q.status?.length ?? 0,
      minPriority: q.minPriority !== undefined,
      bandRanges: bands.length,
      maxHealth: q.maxHealth !== undefined,
      updatedSince: q.updatedSince !== undefined,
      owner: q.owner !== undefined,
      search: q.search !== undefined,
      after: q.after !== undefined,
      sortColumn: sort.sortColumn,
      desc: sort.desc,
    };
    return this.ctx.attempt('query leads', async () => {
      const r = this.ctx.pool.request().input('limit', sql.Int, q.limit + 1);
      q.churnRisk?.forEach((v, i) => r.input(`churn${i}`, sql.VarChar(10), v));
      q.followUpStatus?.forEach((v, i) => r.input(`fus${i}`, sql.VarChar(10), v));
      q.status?.forEach((v, i) => r.input(`status${i}`, sql.NVarChar(50), v));
      // typed as their columns (TINYINT), for the same reason as the cursor below
      if (q.minPriority !== undefined) r.input('minPriority', sql.TinyInt, q.minPriority);
      bands.forEach(([lo, hi], i) =>
        r.input(`bandLo${i}`, sql.TinyInt, lo).input(`bandHi${i}`, sql.TinyInt, hi),
      );
      if (q.maxHealth !== undefined) r.input('maxHealth', sql.TinyInt, q.maxHealth);
      if (q.updatedSince !== undefined) r.input('updatedSince', sql.DateTime2(3), new Date(q.updatedSince));
      if (q.owner !== undefined) r.input('owner', sql.Int, q.owner);
      if (q.search !== undefined)
        r.input('search', sql.NVarChar(202), `%${q.search.replace(/[\\%_[]/g, (c) => `\\${c}`)}%`);
      if (q.after)
        r.input('afterValue', sort.type(), q.after.value).input('afterId', sql.Int, q.after.leadId);
      const result = await r.query(Q.queryLeadsStatement(shape));
      const sets = result.recordsets as unknown as [Record<string, number | null>[], LeadRow[]];
      const rows = sets[1];
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      return {
        leads: page.map(toLeadRecord),
        next: more && last ? { sort: q.sort, value: last[sort.sortColumn], leadId: last.LeadId } : null,
        aggregates: toLeadAggregates(sets[0][0] ?? {}),
      };
    });
  }

  async getLead(leadId: number, snapshotsFrom: string): Promise<LeadDetail | null> {
    return this.ctx.attempt('read lead', async () => {
      const result = await this.ctx.pool
        .request()
        .input('leadId', sql.Int, leadId)
        .input('fromDay', sql.Date, snapshotsFrom)
        .query(Q.LEAD_DETAIL);
      const [leads, snapshots] = result.recordsets as unknown as [LeadRow[], SnapshotRow[]];
      const lead = leads[0];
      return lead ? { lead: toLeadRecord(lead), snapshots: (snapshots ?? []).map(toSnapshotRecord) } : null;
    });
  }
}
