import { loadConfig, type AppConfig } from '../../config/loadConfig';
import type { LeadStore } from '../../store/leadStore';
import { openStore } from '../../store/openStore';

/** What every trigger needs: the parsed config and the one store of this process. */
export interface AppDeps {
  readonly config: AppConfig;
  readonly store: LeadStore;
}

let config: AppConfig | undefined;
let deps: Promise<AppDeps> | undefined;

/** The config of this process, parsed once from the environment (the timer's registration needs its schedule). */
export function appConfig(): AppConfig {
  return (config ??= loadConfig(process.env));
}

/**
 * The one lazy accessor for config and store: parsed and opened on first use (so a bad setting fails the first
 * invocation loudly, with every problem listed), then shared by every invocation of this worker process.
 */
export function appDeps(): Promise<AppDeps> {
  if (deps === undefined) {
    const c = appConfig();
    deps = openStore(c).then(
      (store) => ({ config: c, store }),
      (e: unknown) => {
        deps = undefined; // not cached: the next invocation tries to connect again
        throw e;
      },
    );
  }
  return deps;
}

/** Closes the store (the app's terminate hook). */
export async function closeAppDeps(): Promise<void> {
  const d = deps;
  deps = undefined;
  await (await d?.catch(() => undefined))?.store.close();
}
