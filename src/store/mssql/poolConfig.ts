import sql from 'mssql';
import type { MssqlConfig } from '../../config/loadConfig';

/**
 * Connections of the process's pool at most. The CRM database is shared with other applications, so the app keeps to
 * a connection budget (docs/deploy.md, "Connection budget"): every Functions instance opens at most this many plus
 * the run lock's one; a run uses two at a time (it writes a chunk while the next one streams in) and an HTTP request
 * holds one connection for one query, so 4 serve a run and concurrent API requests on one instance.
 */
export const MSSQL_POOL_MAX = 4;

/** The run lock's own connection (sp_getapplock is owned by its session), held while a run lives. */
export const LOCK_CONNECTIONS = 1;

/** The most connections one instance of the app opens to the database. */
export const CONNECTIONS_PER_INSTANCE = MSSQL_POOL_MAX + LOCK_CONNECTIONS;

/**
 * The mssql pool configuration of a validated MssqlConfig: encrypted, explicit timeouts, Entra ID managed identity
 * by default (`azure-active-directory-default`, with the client id of a user-assigned identity when given).
 */
export function mssqlPoolConfig(
  cfg: MssqlConfig,
  pool: { max: number; idleTimeoutMillis?: number; requestTimeoutMs?: number } = { max: MSSQL_POOL_MAX },
): sql.config {
  const base = {
    connectionTimeout: cfg.connectTimeoutMs,
    requestTimeout: pool.requestTimeoutMs ?? cfg.requestTimeoutMs,
    pool: { max: pool.max, min: 0, idleTimeoutMillis: pool.idleTimeoutMillis ?? 30_000 },
    options: {
      encrypt: true,
      trustServerCertificate: cfg.trustServerCertificate,
      useUTC: true,
      appName: 'lead-intelligence',
    },
  };
  const auth = cfg.auth;
  if (auth.kind === 'connection-string') {
    // mssql parses the string; the explicit pool size and timeouts apply on top, the string's own settings stay.
    const parsed = sql.ConnectionPool.parseConnectionString(auth.connectionString);
    return {
      ...base,
      ...parsed,
      pool: base.pool,
      connectionTimeout: base.connectionTimeout,
      requestTimeout: base.requestTimeout,
      options: { ...base.options, ...parsed.options },
    };
  }
  const target = { server: cfg.server ?? '', database: cfg.database ?? undefined };
  if (auth.kind === 'sql') return { ...base, ...target, user: auth.user, password: auth.password };
  return {
    ...base,
    ...target,
    authentication: {
      type: 'azure-active-directory-default',
      options: auth.clientId ? { clientId: auth.clientId } : {},
    },
  };
}
