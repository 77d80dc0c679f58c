import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/config/loadConfig';
import type { RunSummary } from '../../src/job';
import { newRunSummary } from '../../src/job/runSummary';
import { CONNECTIONS_PER_INSTANCE, LOCK_CONNECTIONS, MSSQL_POOL_MAX } from '../../src/store/mssql/poolConfig';
import { ATTR, METRICS, SPANS } from '../../src/telemetry/names';
import { telemetrySdk } from '../helpers/telemetrySdk';
import { parseTsqlScript } from '../helpers/tsql';

const root = join(__dirname, '..', '..');
const infra = join(root, 'infra');
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
const bicepFiles = [
  join(infra, 'main.bicep'),
  ...readdirSync(join(infra, 'modules')).map((f) => join(infra, 'modules', f)),
];

/** Metric names a KQL query reads: `name == "x"` and `name in ("x", "y")`. */
function metricNames(kql: string): string[] {
  const out: string[] = [];
  for (const m of kql.matchAll(/\bname\s*==\s*"([a-z_.]+)"/g)) out.push(m[1]!);
  for (const m of kql.matchAll(/\bname\s+in\s*\(([^)]*)\)/g))
    for (const n of m[1]!.matchAll(/"([a-z_.]+)"/g)) out.push(n[1]!);
  return out;
}

const emitted = new Set<string>(Object.values(METRICS));
const HEADLINE = [
  METRICS.runs,
  METRICS.runDurationMs,
  METRICS.leadsScored,
  METRICS.rowsChanged,
  METRICS.leadsPerSecond,
];

describe('infra/workbook.json', () => {
  const workbook = JSON.parse(read(infra, 'workbook.json')) as {
    items: { type: number; content: { query?: string } }[];
  };
  const queries = workbook.items.filter((i) => i.type === 3).map((i) => i.content.query!);
  const used = queries.flatMap(metricNames);

  it('parses and holds the queries of the dashboard', () => {
    expect(queries.length).toBeGreaterThanOrEqual(7);
  });

  it('queries only metric and span names the code emits', () => {
    const spanNames = new Set<string>([SPANS.run]);
    for (const n of used) expect(emitted.has(n) || spanNames.has(n)).toBe(true);
  });

  it('shows every metric the code emits', () => {
    for (const m of emitted) expect(used).toContain(m);
  });
});

describe('alerts', () => {
  const bicep = read(infra, 'modules', 'alerts.bicep');
  const queries = [...bicep.matchAll(/query: '([^']+)'/g)].map((m) => m[1]!);

  it('alert on a failed run, on 70 minutes without a successful run, and on a slow run', () => {
    expect(queries).toHaveLength(3);
    expect(queries[0]).toContain('"failed"');
    expect(queries[1]).toContain('ago(70m)');
    expect(queries[1]).toContain('"succeeded"');
    expect(metricNames(queries[2]!)).toStrictEqual([METRICS.runDurationMs]);
  });

  it('query only metric names the code emits, and cover the headline ones with the workbook', () => {
    const used = queries.flatMap(metricNames);
    expect(used).toStrictEqual([METRICS.runs, METRICS.runs, METRICS.runDurationMs]);
    for (const n of used) expect(emitted.has(n)).toBe(true);
    const workbook = JSON.parse(read(infra, 'workbook.json')) as { items: { content: { query?: string } }[] };
    const shown = workbook.items.flatMap((i) => (i.content.query ? metricNames(i.content.query) : []));
    for (const m of HEADLINE) expect(shown.includes(m) || used.includes(m)).toBe(true);
  });
});

describe('the no-successful-run-70-min alert', () => {
  const query = [...read(infra, 'modules', 'alerts.bicep').matchAll(/query: '([^']+)'/g)].map(
    (m) => m[1]!,
  )[1]!;
  /** The sumif's conditions: `name == "runs"` and `tostring(customDimensions.<attribute>) == "<value>"`, and-ed. */
  const conditions = /sumif\(valueSum, (.*)\)$/
    .exec(query)![1]!
    .split(' and ')
    .map((c) => /^(?:name|tostring\(customDimensions\.(\w+)\)) == "([^"]*)"$/.exec(c)!)
    .map((m) => [m[1] ?? 'name', m[2]!] as const);

  it('counts only successful, full, written timer runs, by the attribute names src/telemetry/names.ts defines', () => {
    expect(query).toMatch(/^customMetrics \| where timestamp > ago\(70m\) \| summarize succeeded = sumif\(/);
    expect(Object.fromEntries(conditions)).toStrictEqual({
      name: METRICS.runs,
      [ATTR.status]: 'succeeded',
      [ATTR.trigger]: 'timer',
      [ATTR.dryRunFlag]: 'false',
      [ATTR.scope]: 'full',
    });
  });

  it('matches what the code emits for a successful timer run, and nothing a rerun, a dry run or a failure emits', async () => {
    const { telemetry, points } = telemetrySdk();
    const finished = (over: Partial<RunSummary>, subset = false): void => {
      const s = {
        ...newRunSummary({ trigger: 'timer', dryRun: false, startedAt: 0, requestedLeads: null }),
        ...over,
      };
      telemetry(s.trigger, subset).runFinished!(s);
    };
    finished({}); // the one that counts
    finished({ trigger: 'http' });
    finished({ trigger: 'http', requestedLeads: 3 }, true);
    finished({ trigger: 'cli', dryRun: true });
    finished({ status: 'failed', error: { code: 'STORE_UNAVAILABLE', message: 'Login failed' } });
    const emitted = (await points()).get(METRICS.runs)!;
    const counted = emitted.filter((p) =>
      conditions.every(([key, value]) => key === 'name' || String(p.attributes[key]) === value),
    );
    expect(emitted).toHaveLength(5);
    expect(counted.map((p) => [p.attributes, p.value])).toStrictEqual([
      [{ trigger: 'timer', status: 'succeeded', dry_run: 'false', scope: 'full' }, 1],
    ]);
  });
});

describe('the SQL connection budget (docs/deploy.md)', () => {
  const deploy = read(root, 'docs', 'deploy.md');
  const budget = Number(/a budget of \*\*(\d+) connections\*\*/.exec(deploy)?.[1]);
  const maxInstances = Number(
    /^param maximumInstanceCount int = (\d+)$/m.exec(read(infra, 'main.bicep'))?.[1],
  );
  const triggers = readdirSync(join(root, 'src', 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...read(root, 'src', 'functions', f).matchAll(/^app\.(\w+)\(/gm)].map((m) => m[1]!));

  it('keeps function groups × maximumInstanceCount × connections per instance within the documented budget', () => {
    expect(budget).toBe(20);
    // Flex Consumption applies maximumInstanceCount per function group: all HTTP functions form one, every other
    // trigger (here: the timer) its own (https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out)
    const groups = (triggers.includes('http') ? 1 : 0) + triggers.filter((t) => t !== 'http').length;
    expect(triggers.filter((t) => t !== 'http')).toStrictEqual(['timer']);
    expect(groups).toBe(2);
    expect(CONNECTIONS_PER_INSTANCE).toBe(MSSQL_POOL_MAX + LOCK_CONNECTIONS);
    expect(groups * maxInstances * CONNECTIONS_PER_INSTANCE).toBeLessThanOrEqual(budget);
  });

  it('passes the parameter to the Flex Consumption property that caps instances, and the pool uses the budgeted size', () => {
    expect(read(infra, 'main.bicep')).toContain('maximumInstanceCount: maximumInstanceCount');
    expect(read(infra, 'modules', 'functionApp.bicep')).toContain(
      'scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }',
    );
    const poolConfig = read(root, 'src', 'store', 'mssql', 'poolConfig.ts');
    expect(poolConfig).toContain('= { max: MSSQL_POOL_MAX }');
    // the run lock's dedicated pool (src/store/mssql/mssqlRunLock.ts, the lock role of the Azure SQL adapter)
    expect(read(root, 'src', 'store', 'mssql', 'mssqlRunLock.ts')).toContain(
      'mssqlPoolConfig(ctx.cfg, { max: LOCK_CONNECTIONS,',
    );
    expect(deploy).toContain(`${MSSQL_POOL_MAX} + ${LOCK_CONNECTIONS} = ${CONNECTIONS_PER_INSTANCE}`);
  });
});

describe('Bicep', () => {
  it.each(bicepFiles.map((f) => [f.slice(infra.length + 1), f]))(
    '%s describes every parameter',
    (_name, file) => {
      const lines = read(file).split('\n');
      lines.forEach((line, i) => {
        if (/^param\s/.test(line)) {
          let j = i - 1;
          const decorators: string[] = [];
          while (j >= 0 && lines[j]!.startsWith('@')) decorators.push(lines[j--]!);
          expect({
            param: line,
            described: decorators.some((d) => d.startsWith('@description(')),
          }).toStrictEqual({ param: line, described: true });
        }
      });
    },
  );

  it('references the SQL server as existing, never creates one', () => {
    const main = read(infra, 'main.bicep');
    expect(main).toMatch(/resource sqlServer 'Microsoft\.Sql\/servers@[\d-]+' existing = \{/);
    expect(bicepFiles.map((f) => read(f)).join('\n')).not.toMatch(/'Microsoft\.Sql\/servers@[\d-]+' = \{/);
  });

  it('disables shared keys and local auth, and runs Node 22 on Flex Consumption with identity-based storage', () => {
    expect(read(infra, 'modules', 'storage.bicep')).toContain('allowSharedKeyAccess: false');
    expect(read(infra, 'modules', 'monitoring.bicep')).toContain('DisableLocalAuth: true');
    const app = read(infra, 'modules', 'functionApp.bicep');
    expect(app).toContain("sku: { name: 'FC1', tier: 'FlexConsumption' }");
    expect(app).toContain("runtime: { name: 'node', version: '22' }");
    expect(app).toContain("type: 'UserAssignedIdentity'");
    expect(app).toContain("{ name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }");
  });

  it('sets only app settings the app reads (or the host’s own)', () => {
    const names = [
      ...read(infra, 'modules', 'functionApp.bicep').matchAll(/\{ name: '([A-Za-z_]+)', value:/g),
    ].map((m) => m[1]!);
    for (const n of names) expect(n in SETTINGS || n.startsWith('AzureWebJobsStorage__')).toBe(true);
    // the platform injects it (https://learn.microsoft.com/azure/app-service/reference-app-settings: "Read-only"); a
    // template that wrote it would forge the very signal the board relies on
    expect(names).not.toContain('WEBSITE_AUTH_ENABLED');
    expect(names).toEqual(
      expect.arrayContaining([
        'LEAD_INTEL_STORE',
        'MSSQL_SERVER',
        'MSSQL_DATABASE',
        'MSSQL_CLIENT_ID',
        'SCORING_SCHEDULE',
      ]),
    );
  });

  it('has a parameters example that sets every required parameter and no unknown one', () => {
    const main = read(infra, 'main.bicep');
    const params = [...main.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({
      name: m[1]!,
      required: m[2] === undefined,
    }));
    const example = Object.keys(
      (JSON.parse(read(infra, 'main.parameters.json')) as { parameters: object }).parameters,
    );
    for (const p of params.filter((x) => x.required)) expect(example).toContain(p.name);
    for (const n of example) expect(params.map((p) => p.name)).toContain(n);
  });
});

describe('the lead board behind Entra ID sign-in (infra/modules/boardAuth.bicep)', () => {
  const main = read(infra, 'main.bicep');
  const auth = read(infra, 'modules', 'boardAuth.bicep');
  const board = read(root, 'src', 'functions', 'boardHttp.ts');

  it('turns App Service Authentication and the board on together, only when an app registration is given', () => {
    expect(main).toContain("param boardClientId string = ''");
    expect(main).toContain("module boardAuth 'modules/boardAuth.bicep' = if (!empty(boardClientId)) {");
    expect(main).toContain("boardAuth: empty(boardClientId) ? 'off' : 'app-service'");
    expect(read(infra, 'modules', 'functionApp.bicep')).toContain(
      "{ name: 'LEAD_INTEL_BOARD_AUTH', value: boardAuth }",
    );
    expect(SETTINGS.LEAD_INTEL_BOARD_AUTH.default).toBe('off');
  });

  it('takes the client secret as a @secure() parameter and writes its app setting on every deployment that passes it', () => {
    const app = read(infra, 'modules', 'functionApp.bicep');
    // a template deployment replaces the whole appSettings list, so a secret set out of band would be wiped
    expect(main).toMatch(/@secure\(\)\nparam boardClientSecret string = ''\n/);
    expect(app).toMatch(/@secure\(\)\nparam boardClientSecret string = ''\n/);
    expect(main).toContain("boardClientSecret: empty(boardClientId) ? '' : boardClientSecret");
    expect(main).toContain('boardClientSecretSettingName: boardClientSecretSettingName');
    expect(app).toContain('appSettings: concat([');
    expect(app).toContain(
      '], empty(boardClientSecret) ? [] : [{ name: boardClientSecretSettingName, value: boardClientSecret }])',
    );
    expect(main).toContain('useClientSecret: !empty(boardClientSecret)');
    expect(auth).toContain('clientSecretSettingName: useClientSecret ? clientSecretSettingName : null');
    // the secret never appears in an output or as a plain value in the parameters example
    expect(bicepFiles.map((f) => read(f)).join('\n')).not.toMatch(/^output .*[Ss]ecret/m);
    const example = JSON.parse(read(infra, 'main.parameters.json')) as {
      parameters: Record<string, { value?: unknown; reference?: unknown }>;
    };
    expect(example.parameters.boardClientSecret?.value).toBeUndefined();
    // and docs/deploy.md no longer tells anyone to set it with `az functionapp config appsettings set`
    const deploy = read(root, 'docs', 'deploy.md');
    expect(deploy).not.toMatch(/appsettings set[^\n]*\n?[^\n]*MICROSOFT_PROVIDER_AUTHENTICATION_SECRET/);
    expect(deploy).toContain('boardClientSecret');
    expect(deploy).toContain('getSecret');
  });

  it('keeps no token store and no extra allowed audience', () => {
    expect(auth).toContain('tokenStore: { enabled: false }');
    expect(auth).not.toContain('tokenStore: { enabled: true }');
    // the client id is implicitly an allowed audience (configure-authentication-provider-aad)
    expect(auth).not.toMatch(/^\s*allowedAudiences:/m);
  });

  it('configures authsettingsV2 with the Entra ID provider of the given tenant and lets function-key callers through', () => {
    expect(auth).toMatch(
      /resource authSettings 'Microsoft\.Web\/sites\/config@[\d-]+' = \{\n\s+parent: site\n\s+name: 'authsettingsV2'/,
    );
    expect(auth).toContain('platform: { enabled: true }');
    expect(auth).toContain('requireAuthentication: false');
    expect(auth).toContain("unauthenticatedClientAction: 'AllowAnonymous'");
    expect(auth).toContain('httpSettings: { requireHttps: true }');
    expect(auth).toMatch(
      /azureActiveDirectory: \{\n\s+enabled: true\n\s+registration: \{\n\s+clientId: clientId/,
    );
    expect(auth).toContain("openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'");
    expect(auth).not.toMatch(/clientSecret:/); // the secret itself never reaches the auth settings
  });

  it('has the board trust the principal header only with app-service access AND the platform reporting authentication on, and sign users in with that provider', () => {
    // azureActiveDirectory's sign-in endpoint is /.auth/login/aad
    // (https://learn.microsoft.com/azure/app-service/overview-authentication-authorization)
    expect(board).toContain("'/.auth/login/aad?post_login_redirect_uri=/api/board/'");
    expect(board).toContain('platformAuthEnabled: () => appConfig().platformAuthEnabled');
    expect(board).toContain('if (!(options.platformAuthEnabled?.() ?? false)) return AUTH_NOT_ENABLED;');
    expect(SETTINGS.WEBSITE_AUTH_ENABLED.default).toBe('');
    expect(board).toContain("authLevel: 'anonymous'");
    for (const f of readdirSync(join(root, 'src', 'functions')).filter(
      (x) => x.endsWith('.ts') && x !== 'boardHttp.ts',
    ))
      expect(read(root, 'src', 'functions', f)).not.toContain("authLevel: 'anonymous'");
  });
});

describe('docs/deploy.md, "The lead board"', () => {
  const deploy = read(root, 'docs', 'deploy.md');
  const section = deploy.split('## The lead board')[1]!;

  it('asks for ID tokens, the app role, its assignment and "Assignment required"', () => {
    expect(section).toContain('ID tokens');
    expect(section).toContain('Implicit grant and hybrid flows');
    expect(section).toContain('`LeadBoard.Read`');
    expect(section).toMatch(/"Assignment required\?"? to \*\*Yes\*\*/);
    expect(section).not.toMatch(/Optionally[^.]*Assignment required/);
  });

  it('verifies that a forged principal header is refused, and names the platform check', () => {
    // the forged principal claims the reader role, so only a stripped header (401) tells a safe platform apart
    const forged = Buffer.from(
      '{"auth_typ":"aad","claims":[{"typ":"roles","val":"LeadBoard.Read"}]}',
    ).toString('base64');
    expect(deploy).toContain('it must answer exactly **401**');
    expect(deploy).toContain(`curl -i -H "X-MS-CLIENT-PRINCIPAL: ${forged}"`);
    expect(deploy).toContain('/api/board/data/overview');
    expect(section).toContain('WEBSITE_AUTH_ENABLED');
  });

  it('cites both Flex Consumption statements on built-in authentication', () => {
    expect(section).toContain('flex-consumption-plan.md');
    expect(section).toContain('migrate-plan-consumption-to-flex.md');
  });
});

describe('no secrets in the repository’s deployment files', () => {
  const files = [
    ...bicepFiles,
    join(infra, 'main.parameters.json'),
    join(infra, 'workbook.json'),
    join(infra, 'sql', 'grant-function-identity.sql'),
    join(root, 'local.settings.json'),
  ];
  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s holds no key, password or SAS', (_n, file) => {
    expect(read(file)).not.toMatch(
      /(AccountKey|InstrumentationKey|SharedAccessSignature|[?&]sig=|Password\s*[=:]\s*['"]?\w)/i,
    );
  });
  it('keeps local.settings.json out of the deployment package', () => {
    expect(read(root, '.funcignore').split('\n')).toContain('local.settings.json');
  });
});

describe('infra/sql/grant-function-identity.sql', () => {
  const sql = read(infra, 'sql', 'grant-function-identity.sql');
  const rendered = sql
    .replace(/\$\(AppIdentity\)/g, 'leadintel-id-test')
    .replace(/\$\(AppIdentityObjectId\)/g, '00000000-0000-0000-0000-000000000001');
  it('parses under the TSql grammar once its sqlcmd variable is set', () => {
    expect(sql).toContain('$(AppIdentity)');
    expect(rendered).not.toContain('$(');
    expect(parseTsqlScript(rendered).errors).toStrictEqual([]);
  });
  it('creates the role and the Entra user once and makes the user a member of lead_intel_app, granting nothing itself', () => {
    expect(rendered).toMatch(
      /IF DATABASE_PRINCIPAL_ID\(N'lead_intel_app'\) IS NULL\s*CREATE ROLE lead_intel_app AUTHORIZATION dbo;/,
    );
    expect(rendered).toMatch(
      /IF DATABASE_PRINCIPAL_ID\(N'leadintel-id-test'\) IS NULL\s*EXEC sp_executesql N'CREATE USER \[leadintel-id-test\] FROM EXTERNAL PROVIDER WITH OBJECT_ID = ''00000000-0000-0000-0000-000000000001'';';/,
    );
    expect(rendered).toMatch(
      /sys\.database_role_members[\s\S]*DATABASE_PRINCIPAL_ID\(N'leadintel-id-test'\)\s*\)\s*ALTER ROLE lead_intel_app ADD MEMBER \[leadintel-id-test\];/,
    );
    const code = rendered.replace(/--.*$/gm, '');
    expect(code).not.toMatch(/\bGRANT\b|db_datareader|db_datawriter|db_owner/i);
    expect(code.match(/ALTER ROLE/g)).toHaveLength(1);
  });
});
