import { app } from '@azure/functions';
import { appConfig, closeAppDeps } from './functions/shared/appContext';
import { handleTerminationSignals, workerLifecycle } from './functions/shared/workerLifecycle';
import { flushTelemetry } from './telemetry/runTelemetry';
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

// When the worker shuts down, a run in flight is stopped at its next chunk and recorded as failed (RUN_INTERRUPTED)
// with its lock released; then telemetry is flushed and the one store (one pool) of the process closed. The host's
// graceful-shutdown hook and a plain SIGTERM/SIGINT (the hook does not run when the process is signalled directly) do
// the same.
const stopWorker = async (): Promise<void> => {
  await flushTelemetry();
  await closeAppDeps();
};
app.hook.appTerminate(async () => {
  await workerLifecycle.shutDown('the Functions host is shutting the worker down', null);
  await stopWorker();
});
handleTerminationSignals(workerLifecycle, stopWorker);
