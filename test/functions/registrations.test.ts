/**
 * What each trigger module registers with the Functions host when it is loaded (the `main` glob of package.json loads
 * every file of src/functions/): a wrong name, route, method or timer flag breaks the deployed API without any
 * handler test noticing. The routes are the documented ones (README.md, "The Functions app"); the host prefixes them
 * with `/api/`.
 */
// static imports of every module `load` requires by a computed path: jest's dependency map (and so Stryker's
// --findRelatedTests) sees only literal paths; `load` still gives each test a fresh copy of the module
import '../../src/functions/boardHttp';
import '../../src/functions/leadDetailHttp';
import '../../src/functions/leadsHttp';
import '../../src/functions/rescoreHttp';
import '../../src/functions/runsHttp';
import '../../src/functions/scoreLeadsTimer';
import '../../src/functions/scoringOverviewHttp';

type Registration = { kind: 'http' | 'timer'; name: string; options: Record<string, unknown> };

/** What the mocked app recorded; a hoisted function, as the static imports above call the mock before any const exists. */
function registrations(): Registration[] {
  const g = globalThis as { leadIntelRegistrations?: Registration[] };
  return (g.leadIntelRegistrations ??= []);
}
const registered = registrations();

jest.mock('@azure/functions', () => {
  const actual = jest.requireActual<typeof import('@azure/functions')>('@azure/functions');
  return {
    ...actual,
    app: {
      ...actual.app,
      http: (name: string, options: Record<string, unknown>) =>
        registrations().push({ kind: 'http', name, options }),
      timer: (name: string, options: Record<string, unknown>) =>
        registrations().push({ kind: 'timer', name, options }),
    },
  };
});

/** Loads `module` afresh (with `env` as the process environment) and returns it and what it registered. */
function load<M extends object>(
  module: string,
  env: Record<string, string> = {},
): { mod: M; regs: Registration[] } {
  const saved = process.env;
  process.env = { ...env };
  registered.length = 0;
  try {
    let mod!: M;
    jest.isolateModules(() => {
      mod = jest.requireActual<M>(module);
    });
    return { mod, regs: registered.splice(0) };
  } finally {
    process.env = saved;
  }
}

/** The one registration whose function name is `name`, without its handler. */
function only(regs: Registration[], name: string) {
  const mine = regs.filter((r) => r.name === name);
  expect(mine).toHaveLength(1);
  const { handler, ...rest } = mine[0]!.options;
  return { kind: mine[0]!.kind, options: rest, handler };
}

describe('the HTTP functions the host serves', () => {
  it.each([
    ['../../src/functions/leadsHttp', 'leadsHttp', ['GET'], 'leads'],
    ['../../src/functions/leadDetailHttp', 'leadDetailHttp', ['GET'], 'leads/{id}'],
    ['../../src/functions/runsHttp', 'runsHttp', ['GET'], 'scoring/runs/{id?}'],
    ['../../src/functions/rescoreHttp', 'rescoreHttp', ['POST'], 'scoring/runs'],
    ['../../src/functions/scoringOverviewHttp', 'scoringOverviewHttp', ['GET'], 'scoring/overview'],
  ])('%s registers %s: %j /api/%s behind a function key', (module, name, methods, route) => {
    const { mod, regs } = load<Record<string, unknown>>(module);
    const r = only(regs, name);
    expect(r.kind).toBe('http');
    expect(r.options).toStrictEqual({ methods, route, authLevel: 'function' });
    // the handler the host calls is the module's exported one (the one the handler tests exercise)
    expect(r.handler).toBe(mod[name]);
  });

  it('the board registers GET /api/board/{*path}, anonymous at the host (App Service Authentication guards it)', () => {
    const { mod, regs } = load<Record<string, unknown>>('../../src/functions/boardHttp');
    const r = only(regs, 'boardHttp');
    expect(r.kind).toBe('http');
    expect(r.options).toStrictEqual({ methods: ['GET'], route: 'board/{*path}', authLevel: 'anonymous' });
    expect(r.handler).toBe(mod.boardHttp);
    // it loads the API modules whose handlers its data routes call, so they register too, each once
    expect(regs.map((x) => x.name).sort()).toStrictEqual([
      'boardHttp',
      'leadDetailHttp',
      'leadsHttp',
      'runsHttp',
      'scoringOverviewHttp',
    ]);
  });
});

describe('the scoring timer', () => {
  it('fires on the default schedule, every 30 minutes, with the monitor on and never at start-up', () => {
    const { mod, regs } = load<Record<string, unknown>>('../../src/functions/scoreLeadsTimer');
    const r = only(regs, 'scoreLeadsTimer');
    expect(r.kind).toBe('timer');
    expect(r.options).toStrictEqual({
      schedule: '0 */30 * * * *',
      // a start-up run would score on every scale-out and deployment, not on the schedule
      runOnStartup: false,
      // the host records the last firing, so a missed one runs (isPastDue) after a restart
      useMonitor: true,
    });
    expect(r.handler).toBe(mod.scoreLeadsTimer);
    expect(regs).toHaveLength(1);
  });

  it('takes its schedule from the SCORING_SCHEDULE app setting', () => {
    const { regs } = load('../../src/functions/scoreLeadsTimer', { SCORING_SCHEDULE: '0 15 2 * * *' });
    expect(only(regs, 'scoreLeadsTimer').options).toMatchObject({ schedule: '0 15 2 * * *' });
  });
});
