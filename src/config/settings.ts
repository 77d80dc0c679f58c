/** Every setting the product reads, with its environment variable, default and meaning (the README table is checked against this). */
export const SETTINGS = {
  LEAD_INTEL_STORE: {
    default: 'sqlite',
    description: 'Which store to use: `sqlite` (embedded default) or `mssql` (Azure SQL / SQL Server).',
  },
  LEAD_INTEL_SQLITE_PATH: { default: '.data/leads.db', description: 'Embedded database file.' },
  LEAD_INTEL_MAPPING: {
    default: '',
    description:
      "JSON file mapping your CRM (lead table and key, columns, follow-ups, visits, active/won/lost statuses) for `lead-intel migrate`; empty: the guide's names (docs/azure-sql.md).",
  },
  MSSQL_SERVER: {
    default: '',
    description:
      'Azure SQL server host, e.g. `contoso.database.windows.net` (mssql; not with a connection string).',
  },
  MSSQL_DATABASE: { default: '', description: 'Database name (mssql; not with a connection string).' },
  MSSQL_AUTH: {
    default: 'managed-identity',
    description:
      '`managed-identity` (Entra ID, passwordless), `sql` (MSSQL_USER/MSSQL_PASSWORD) or `connection-string` (MSSQL_CONNECTION_STRING), for development.',
  },
  MSSQL_CLIENT_ID: {
    default: '',
    description: 'Client id of a user-assigned managed identity (empty: system-assigned or developer login).',
  },
  MSSQL_USER: { default: '', description: 'SQL login for `MSSQL_AUTH=sql`.' },
  MSSQL_PASSWORD: {
    default: '',
    description:
      'Password for `MSSQL_AUTH=sql` (keep it in Key Vault or local.settings.json, never in the repo).',
  },
  MSSQL_CONNECTION_STRING: {
    default: '',
    description: 'ADO-style connection string for `MSSQL_AUTH=connection-string`.',
  },
  MSSQL_TRUST_SERVER_CERTIFICATE: {
    default: 'false',
    description: 'Accept a self-signed certificate (local SQL Server in Docker only).',
  },
  MSSQL_CONNECT_TIMEOUT_MS: { default: '30000', description: 'Connection timeout (ms).' },
  MSSQL_REQUEST_TIMEOUT_MS: { default: '120000', description: 'Timeout of one statement (ms).' },
  MSSQL_WRITE_BATCH: {
    default: '1000',
    description:
      'Rows per TVP MERGE transaction (100–2000): a changed row locks its old and new key in each index whose key changes, so 2,000 rows stay below the 5,000-locks-per-index escalation threshold.',
  },
  SNAPSHOT_RETENTION_DAYS: {
    default: '180',
    description:
      'Days of velocity snapshots to keep; older rows are purged (in small batches on Azure SQL) after each full run.',
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    default: '',
    description: 'Application Insights connection string; when empty nothing is exported.',
  },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: {
    default: '',
    description:
      'Entra ID ingestion, `Authorization=AAD;ClientId=<managed identity client id>` (the resource has local auth disabled).',
  },
  MODEL_ENABLED: {
    default: 'true',
    description: 'Learn ConversionProbability from closed leads (otherwise the documented heuristic).',
  },
  MODEL_MIN_WON: { default: '40', description: 'Won closed leads needed before a model is trained.' },
  MODEL_MIN_LOST: { default: '40', description: 'Lost closed leads needed before a model is trained.' },
  MODEL_RETRAIN_HOURS: {
    default: '24',
    description: 'Hours between training attempts; runs in between score with the published model.',
  },
  MODEL_MAX_AGE_DAYS: {
    default: '30',
    description: 'A newer model replaces a published one older than this even with a lower AUC.',
  },
  SCORES_LAST_UPDATED: {
    default: 'every-run',
    description:
      "`every-run`: every scored row gets the run's time in ScoresLastUpdated (the guide's meaning); `on-change`: only rows whose scores changed are written, and freshness is read from the run history (docs/scoring.md).",
  },
  SCORING_SCHEDULE: {
    default: '0 */30 * * * *',
    description: 'NCRONTAB schedule (6 fields, UTC) of the timer and of `lead-intel watch`.',
  },
  RUN_LOCK_LEASE_SECONDS: {
    default: '120',
    description:
      'Lease of the run lock (10–900 s), renewed by a heartbeat every quarter lease while a run lives: a run killed without a chance to clean up (`kill -9`, a lost instance) blocks the next one on the embedded store for at most this long, and its row is then closed as `abandoned`.',
  },
  SCORING_CHUNK_SIZE: {
    default: '5000',
    description: 'Leads per read/score/write chunk (100–100000); bounds memory.',
  },
  LEAD_INTEL_BOARD_AUTH: {
    default: 'off',
    description:
      'Who may open the lead board in the function app (`/api/board`): `off` (default; the board routes answer 404) or `app-service` (signed-in users of App Service Authentication / Entra ID, read from the `X-MS-CLIENT-PRINCIPAL` header the platform injects; docs/deploy.md). `lead-intel serve` ignores it (127.0.0.1 only).',
  },
  WEBSITE_AUTH_ENABLED: {
    default: '',
    description:
      'Read-only, injected by App Service to indicate whether App Service Authentication is enabled (never set it yourself). With `LEAD_INTEL_BOARD_AUTH=app-service` the board serves nothing unless it is `True` (any case): without the platform feature the `X-MS-CLIENT-PRINCIPAL` header is whatever the caller sends, so the board answers 503.',
  },
  SCORING_CONFIG: {
    default: '{}',
    description:
      'JSON overrides of scoring weights and thresholds (docs/scoring.md), e.g. `{"churn":{"highOverdueDays":10}}`.',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;
