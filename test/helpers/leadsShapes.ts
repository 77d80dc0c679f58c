import type { LeadsStatementShape } from '../../src/store/mssql/statements';

/**
 * Every shape of the leads query worth checking: each sort column, with no filter and no cursor, and with every
 * filter (the given numbers of list values) and a cursor.
 */
export function leadsStatementShapes(lists: {
  churnRisk: number;
  followUpStatus: number;
  status: number;
}): LeadsStatementShape[] {
  return (['AIPriority', 'HealthScore', 'OverdueDays', 'ConversionProbability'] as const).flatMap(
    (sortColumn) =>
      [false, true].map((all) => ({
        churnRisk: all ? lists.churnRisk : 0,
        followUpStatus: all ? lists.followUpStatus : 0,
        status: all ? lists.status : 0,
        minPriority: all,
        bandRanges: all ? 2 : 0,
        maxHealth: all,
        updatedSince: all,
        owner: all,
        search: all,
        after: all,
        sortColumn,
        desc: sortColumn !== 'HealthScore',
      })),
  );
}
