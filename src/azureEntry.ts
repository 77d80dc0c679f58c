import * as azureFunctions from '@azure/functions';
import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { telemetryExporting } from './index';
import './functions/boardHttp';
import './functions/leadDetailHttp';
import './functions/leadsHttp';
import './functions/rescoreHttp';
import './functions/runsHttp';
import './functions/scoreLeadsTimer';
import './functions/scoringOverviewHttp';

// The entry of the Azure package's one bundle (scripts/packageAzure.js): the host-level set-up, then every trigger
// of src/functions/, in one module graph, so that they share appContext's one config and one store. The v4 model
// registers functions by executing the package's `main`. Unbundled (`func start`), package.json's `main` glob loads
// the same files.

/** Whether `id` was loaded through Node's require() (unbundled) rather than from inside this bundle. */
function loadedByRequire(id: string): boolean {
  try {
    return require.cache[require.resolve(id)] !== undefined;
  } catch {
    return false;
  }
}

// setupTelemetry's Functions instrumentation patches @azure/functions from a require() hook, which never fires for
// the copy inside a bundle. Unpatched, invocation logs would be lost with telemetry on (the host leaves them to the
// worker) and handlers would not join the host's trace: apply the same patch once, here.
if (telemetryExporting && !loadedByRequire('@azure/functions')) {
  for (const definition of new AzureFunctionsInstrumentation({ enabled: false }).getModuleDefinitions()) {
    definition.patch?.(azureFunctions);
  }
}
