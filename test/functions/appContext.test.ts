import type * as AppContext from '../../src/functions/shared/appContext';
import { tempStore } from '../helpers/tempStore';

/**
 * The one store of a worker process: opened on first use and shared by every invocation (one pool for Azure SQL),
 * closed by the app's terminate hook, after which a later invocation opens it again.
 */
describe('appDeps and closeAppDeps', () => {
  const t = tempStore(); // a migrated embedded store file for the app to open
  const saved = process.env;
  let ctx: typeof AppContext;

  beforeAll(async () => {
    await t.store.close();
    process.env = { LEAD_INTEL_STORE: 'sqlite', LEAD_INTEL_SQLITE_PATH: t.path };
    jest.isolateModules(() => {
      ctx = jest.requireActual<typeof AppContext>('../../src/functions/shared/appContext');
    });
  });
  afterAll(async () => {
    await ctx.closeAppDeps();
    process.env = saved;
    await t.cleanup();
  });

  it('opens the configured store once and shares it, then closes it and opens a new one on next use', async () => {
    const first = ctx.appDeps();
    expect(ctx.appDeps()).toBe(first);
    const { store, config } = await first;
    expect(config.store).toStrictEqual({ kind: 'sqlite', sqlitePath: t.path });
    expect((await ctx.appDeps()).store).toBe(store);
    const closed = jest.spyOn(store, 'close');

    await ctx.closeAppDeps();
    expect(closed).toHaveBeenCalledTimes(1);
    const again = await ctx.appDeps();
    expect(again.store).not.toBe(store);
    expect(await again.store.listRuns(1)).toStrictEqual([]); // the new one works
  });
});
