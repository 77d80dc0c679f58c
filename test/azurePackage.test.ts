import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);

// Runs in a child node process: stands in for the Functions worker (which provides @azure/functions-core and
// records what the app registers), records every native addon loaded, requires the bundle, optionally invokes one
// registered function with an empty GET request, and prints what it saw as JSON.
const HARNESS = `
const Module = require('node:module');
const dlopen = [];
const realDlopen = process.dlopen;
process.dlopen = function (...args) { dlopen.push(String(args[1])); return realDlopen.apply(this, args); };
const handlers = {};
const hooks = [];
const core = {
  setProgrammingModel() {},
  registerFunction(metadata, handler) { handlers[metadata.name] = handler; return { dispose() {} }; },
  registerHook(name) { hooks.push(name); return { dispose() {} }; },
  log() {},
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === '@azure/functions-core' ? request : resolve.call(this, request, ...rest);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === '@azure/functions-core' ? core : load.call(this, request, ...rest);
};
const finish = (extra) => {
  const cached = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({ dlopen, hooks, functions: Object.keys(handlers).sort(), cached, ...extra }));
  process.exit(0);
};
try {
  require(process.argv[2]);
} catch (e) {
  finish({ loadError: String((e && e.stack) || e) });
}
const name = process.argv[3];
if (name === undefined) finish({});
const logger = { log() {}, warn() {}, error() {} };
Promise.resolve()
  .then(() =>
    handlers[name](
      { url: process.argv[6] || 'http://localhost/api/', params: JSON.parse(process.argv[4] || '{}'), query: new URLSearchParams(), headers: new Headers(JSON.parse(process.argv[5] || '{}')) },
      logger,
    ),
  )
  .then(
    (r) => finish({
      response: {
        status: r.status,
        body: r.jsonBody,
        headers: r.headers,
        text: Buffer.isBuffer(r.body) ? r.body.toString('utf8').slice(0, 300) : undefined,
      },
    }),
    (e) => finish({ invokeError: { code: e.code, message: e.message } }),
  );
`;

interface ChildReport {
  dlopen: string[];
  hooks: string[];
  functions: string[];
  cached: string[];
  loadError?: string;
  response?: { status: number; body: { code?: string }; headers?: Record<string, string>; text?: string };
  invokeError?: { code?: string; message: string };
}

const MSSQL = {
  LEAD_INTEL_STORE: 'mssql',
  MSSQL_SERVER: 'example.database.windows.net',
  MSSQL_DATABASE: 'crm',
};

const triggers = readdirSync(join(ROOT, 'src', 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'))
  .sort();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

describe('the Azure package (npm run package:azure)', () => {
  // outside the repository, so that no node_modules folder is reachable from the bundle: it must stand alone
  const work = mkdtempSync(join(tmpdir(), 'lead-intel-azure-'));
  const dir = join(work, 'package');
  const zip = join(work, 'lead-intel-functions.zip');
  const harness = join(work, 'harness.js');

  /** Loads the package's bundle in a fresh node process with only `env` set (and optionally invokes `invoke`). */
  async function load(
    env: Record<string, string>,
    invoke?: string,
    request: { params?: Record<string, string>; headers?: Record<string, string>; url?: string } = {},
  ): Promise<ChildReport> {
    const args = [
      harness,
      join(dir, 'main.js'),
      ...(invoke === undefined
        ? []
        : [
            invoke,
            JSON.stringify(request.params ?? {}),
            JSON.stringify(request.headers ?? {}),
            request.url ?? 'http://localhost/api/',
          ]),
    ];
    const { stdout } = await run(process.execPath, args, {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true', ...env },
      timeout: 30_000,
    });
    return JSON.parse(stdout) as ChildReport;
  }

  beforeAll(async () => {
    writeFileSync(harness, HARNESS);
    await run(process.execPath, [join(ROOT, 'scripts', 'packageAzure.js'), '--dir', dir, '--zip', zip], {
      cwd: ROOT,
    });
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const PACKAGE_FILES = [
    'host.json',
    'main.js',
    'main.js.map',
    'package.json',
    'web/board.css',
    'web/board.js',
    'web/index.html',
  ];

  it('holds only host.json, a dependency-free package.json, the bundle with its map and the built board', () => {
    expect(filesUnder(dir).sort()).toStrictEqual(PACKAGE_FILES);
    const zipped = new AdmZip(zip)
      .getEntries()
      .filter((e) => !e.isDirectory)
      .map((e) => e.entryName);
    expect(zipped.sort()).toStrictEqual(PACKAGE_FILES);
    for (const f of [...filesUnder(dir), ...zipped]) {
      expect(f).not.toMatch(/\.node$|node_modules|local\.settings\.json|\.sql$|\.test\./);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ main: 'main.js', engines: { node: '22.x' } });
    expect(pkg).not.toHaveProperty('dependencies');
    expect(readFileSync(join(dir, 'host.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'host.json'), 'utf8'));
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });

  it('has an entry that imports every trigger of src/functions/', () => {
    const entry = readFileSync(join(ROOT, 'src', 'azureEntry.ts'), 'utf8');
    expect(entry).toMatch(/^import .*'\.\/index';$/m);
    for (const t of triggers) expect(entry).toContain(`import './functions/${t}';`);
  });

  describe('loaded by a worker with LEAD_INTEL_STORE=mssql', () => {
    let report: ChildReport;
    beforeAll(async () => {
      report = await load(MSSQL);
    }, 30_000);

    it('loads without throwing and registers every trigger, one function per file', () => {
      expect(report.loadError).toBeUndefined();
      expect(report.functions).toStrictEqual(triggers);
      expect(report.hooks).toStrictEqual(['appTerminate']);
    });

    it('loads no native addon and never requires better-sqlite3', () => {
      expect(report.dlopen).toStrictEqual([]);
      expect(report.cached.filter((f) => f.includes('better-sqlite3'))).toStrictEqual([]);
      expect(report.cached.filter((f) => f.includes('node_modules'))).toStrictEqual([]);
    });
  });

  it('keeps the Functions OpenTelemetry instrumentation working inside the bundle', async () => {
    const report = await load({
      ...MSSQL,
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
    });
    expect(report.loadError).toBeUndefined();
    // the Azure Monitor distro's own invocation hook, then the instrumentation's log forwarding and trace context
    expect([...report.hooks].sort()).toStrictEqual(['appTerminate', 'log', 'preInvocation', 'preInvocation']);
  });

  it('opens the Azure SQL store from the bundle on first use (an unreachable server answers 503)', async () => {
    const report = await load(
      {
        LEAD_INTEL_STORE: 'mssql',
        MSSQL_AUTH: 'connection-string',
        MSSQL_CONNECTION_STRING: 'Server=127.0.0.1,1;Database=crm;User Id=u;Password=p;Encrypt=false',
      },
      'runsHttp',
    );
    expect(report.loadError).toBeUndefined();
    expect(report.response).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
    expect(report.dlopen).toStrictEqual([]);
  });

  it('fails a LEAD_INTEL_STORE=sqlite invocation with a config error naming the fix, not a crash at start', async () => {
    const report = await load({ LEAD_INTEL_STORE: 'sqlite' }, 'runsHttp');
    expect(report.loadError).toBeUndefined();
    expect(report.invokeError?.code).toBe('CONFIG_INVALID');
    expect(report.invokeError?.message).toContain('LEAD_INTEL_STORE=mssql');
  });

  describe('the lead board in the package', () => {
    const encode = (claims: { typ: string; val: string }[]) =>
      Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims })).toString(
        'base64',
      );
    const principal = encode([
      { typ: 'name', val: 'Ada Manager' },
      { typ: 'roles', val: 'LeadBoard.Read' },
    ]);
    const withoutRole = encode([{ typ: 'name', val: 'Gus Guest' }]);
    // App Service Authentication on, as the platform reports it (https://learn.microsoft.com/azure/app-service/reference-app-settings)
    const BOARD_ON = { ...MSSQL, LEAD_INTEL_BOARD_AUTH: 'app-service', WEBSITE_AUTH_ENABLED: 'True' };
    const boardPage = { params: { path: '' }, url: 'https://leadintel.example/api/board/' };

    it('answers 404 on every board route while LEAD_INTEL_BOARD_AUTH is off (the default)', async () => {
      const report = await load(MSSQL, 'boardHttp', { params: { path: '' } });
      expect(report.response).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    });

    it('answers 503 with app-service access while the platform does not report App Service Authentication enabled, whatever header the caller sends', async () => {
      const report = await load({ ...MSSQL, LEAD_INTEL_BOARD_AUTH: 'app-service' }, 'boardHttp', {
        ...boardPage,
        headers: { 'x-ms-client-principal': principal },
      });
      expect(report.response).toMatchObject({ status: 503, body: { code: 'BOARD_AUTH_UNAVAILABLE' } });
    });

    it('sends a caller without a signed-in principal to the Entra ID sign-in', async () => {
      const report = await load(BOARD_ON, 'boardHttp', boardPage);
      expect(report.response?.status).toBe(302);
      expect(report.response?.headers?.Location).toBe('/.auth/login/aad?post_login_redirect_uri=/api/board/');
    });

    it('answers 403 to a signed-in user without the LeadBoard.Read app role', async () => {
      const report = await load(BOARD_ON, 'boardHttp', {
        ...boardPage,
        headers: { 'x-ms-client-principal': withoutRole },
      });
      expect(report.response).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });

    it("serves the page from the package's web/ folder to a signed-in user with the app role", async () => {
      const report = await load(BOARD_ON, 'boardHttp', {
        ...boardPage,
        headers: { 'x-ms-client-principal': principal },
      });
      expect(report.response?.status).toBe(200);
      expect(report.response?.text).toMatch(/^<!doctype html>/);
      expect(report.response?.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    });
  });
});
