import sql from 'mssql';
import * as Q from './statements';

/** The GRANT lines of the app role's grant script (one statement per line; comments dropped). */
export function grantStatements(script: string): string[] {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^GRANT\b/i.test(l));
}

/**
 * The app role's rights, granted on the objects that exist. Run after every migrate, also a failed one: a rerun of
 * 002 drops and recreates the mapping views, and DROP VIEW drops their permissions
 * (https://learn.microsoft.com/sql/t-sql/statements/drop-view-transact-sql).
 */
export async function applyGrants(pool: sql.ConnectionPool, grants: readonly string[]): Promise<number> {
  let applied = 0;
  for (const g of grants) {
    const object = /\bON (?:TYPE::)?(dbo\.\w+)/.exec(g)?.[1];
    if (!object) continue;
    const exists = await pool
      .request()
      .input('name', sql.NVarChar(300), object)
      .query<{ present: number }>(Q.OBJECT_OR_TYPE_EXISTS);
    if (exists.recordset[0]?.present !== 1) continue;
    await pool.request().batch(g);
    applied++;
  }
  return applied;
}
