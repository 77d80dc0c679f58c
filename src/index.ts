import { app } from '@azure/functions';
import { appConfig, closeAppDeps } from './functions/shared/appContext';
import { setupTelemetry } from './telemetry/setupTelemetry';

// Entry point of the Functions app: telemetry and host-level set-up only. The triggers live one per file in
// src/functions/ and are loaded by the `main` glob of package.json (in the Azure package, by the one bundle of
// src/azureEntry.ts). The config is parsed here, once: a bad setting
// fails the worker's start-up with every problem listed.
export const telemetryExporting = setupTelemetry(appConfig().telemetry);

app.setup({
  enableHttpStream: false,
  // lets the host correlate its invocation telemetry with our OpenTelemetry spans
  capabilities: telemetryExporting ? { WorkerOpenTelemetryEnabled: true } : {},
});

// One store (one pool) per process, closed when the worker shuts down.
app.hook.appTerminate(async () => {
  await closeAppDeps();
});
