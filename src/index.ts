import { app } from '@azure/functions';
import { closeAppDeps } from './functions/shared/appContext';

// Entry point of the Functions app: host-level setup only. The triggers live one per file in src/functions/ and
// are loaded by the `main` glob of package.json. (Telemetry set-up joins here with the telemetry issue.)
app.setup({ enableHttpStream: false });

// One store (one pool) per process, closed when the worker shuts down.
app.hook.appTerminate(async () => {
  await closeAppDeps();
});
