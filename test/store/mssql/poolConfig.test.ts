import { loadConfig, type MssqlConfig } from '../../../src/config/loadConfig';
import { ConfigError, StoreError } from '../../../src/errors';
import { toStoreError } from '../../../src/store/mssql/mssqlLeadStore';
import { mssqlPoolConfig } from '../../../src/store/mssql/poolConfig';

const mssql = (env: Record<string, string>): MssqlConfig => {
  const c = loadConfig({ LEAD_INTEL_STORE: 'mssql', ...env });
  if (c.store.kind !== 'mssql') throw new Error('expected mssql');
  return c.store;
};

describe('mssql configuration', () => {
  it('defaults to passwordless managed identity, encrypted, with explicit timeouts', () => {
    const cfg = mssqlPoolConfig(
      mssql({
        MSSQL_SERVER: 'contoso.database.windows.net',
        MSSQL_DATABASE: 'crm',
        MSSQL_CLIENT_ID: '6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f',
      }),
    );
    expect(cfg).toMatchObject({
      server: 'contoso.database.windows.net',
      database: 'crm',
      connectionTimeout: 30_000,
      requestTimeout: 120_000,
      authentication: {
        type: 'azure-active-directory-default',
        options: { clientId: '6f1a3b7e-4a5b-4c3d-9e8f-0a1b2c3d4e5f' },
      },
      options: { encrypt: true, trustServerCertificate: false },
    });
    expect(cfg.user).toBeUndefined();
  });

  it('supports SQL logins and connection strings for development', () => {
    expect(
      mssqlPoolConfig(
        mssql({
          MSSQL_AUTH: 'sql',
          MSSQL_SERVER: 'localhost',
          MSSQL_DATABASE: 'crm',
          MSSQL_USER: 'sa',
          MSSQL_PASSWORD: 'x',
        }),
      ),
    ).toMatchObject({
      user: 'sa',
      password: 'x',
      options: { encrypt: true },
    });
    const fromString = mssqlPoolConfig(
      mssql({
        MSSQL_AUTH: 'connection-string',
        MSSQL_CONNECTION_STRING:
          'Server=localhost,1433;Database=crm;User Id=sa;Password=p;TrustServerCertificate=true',
        MSSQL_REQUEST_TIMEOUT_MS: '5000',
      }),
    );
    expect(fromString).toMatchObject({
      server: 'localhost',
      port: 1433,
      database: 'crm',
      user: 'sa',
      requestTimeout: 5000,
    });
  });

  it('lists every missing setting for the chosen auth', () => {
    let e: unknown;
    try {
      loadConfig({
        LEAD_INTEL_STORE: 'mssql',
        MSSQL_AUTH: 'sql',
        MSSQL_CLIENT_ID: 'not-a-guid',
        MSSQL_WRITE_BATCH: '2500',
      });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).issues).toStrictEqual([
      'MSSQL_CLIENT_ID: must be a GUID (the identity\'s client id) (got "not-a-guid")',
      'MSSQL_WRITE_BATCH: Too big: expected number to be <=2000 (got "2500")',
    ]);
    expect(() => loadConfig({ LEAD_INTEL_STORE: 'mssql', MSSQL_AUTH: 'sql' })).toThrow(
      /MSSQL_SERVER: required when LEAD_INTEL_STORE=mssql\n.*MSSQL_DATABASE: required.*\n.*MSSQL_USER: required when MSSQL_AUTH=sql\n.*MSSQL_PASSWORD: required when MSSQL_AUTH=sql/,
    );
  });
});

describe('toStoreError', () => {
  it('keeps the SQL error number, and tells an unreachable database from a failed statement', () => {
    const throttled = toStoreError(
      'write scores',
      Object.assign(new Error('busy'), { number: 40501, code: 'EREQUEST' }),
    );
    expect(throttled).toBeInstanceOf(StoreError);
    expect(throttled).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      sqlNumber: 40501,
      message: 'Azure SQL could not write scores: busy',
    });
    const login = toStoreError('connect', Object.assign(new Error('Login failed'), { code: 'ELOGIN' }));
    expect(login).toMatchObject({ code: 'STORE_UNAVAILABLE', driverCode: 'ELOGIN' });
    const constraint = toStoreError(
      'write scores',
      Object.assign(new Error('CHECK constraint'), { number: 547, code: 'EREQUEST' }),
    );
    expect(constraint).toMatchObject({ code: 'STORE_QUERY_FAILED', sqlNumber: 547 });
  });
});
