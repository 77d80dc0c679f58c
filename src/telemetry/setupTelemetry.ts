import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { ManagedIdentityCredential } from '@azure/identity';
import { useAzureMonitor } from '@azure/monitor-opentelemetry';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { TelemetryConfig } from '../config/loadConfig';

/** The client id of an Entra authentication string `Authorization=AAD;ClientId=<id>` (null: system-assigned). */
export function clientIdOf(authenticationString: string): string | null {
  const m = /(?:^|;)\s*ClientId\s*=\s*([^;]+)/i.exec(authenticationString);
  return m?.[1]?.trim() ?? null;
}

/**
 * Exports to Application Insights when a connection string is configured (with Entra ID ingestion when an
 * authentication string is, since the resource has local auth disabled), and correlates invocations with our spans
 * through the Functions instrumentation. Unconfigured, nothing is set up: the OpenTelemetry API stays a no-op and
 * nothing is exported anywhere (no console exporter). Returns whether export is on.
 */
export function setupTelemetry(config: TelemetryConfig): boolean {
  if (!config.connectionString) return false;
  const credential =
    config.authenticationString !== null
      ? (() => {
          const clientId = clientIdOf(config.authenticationString);
          return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
        })()
      : undefined;
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString: config.connectionString, credential } });
  registerInstrumentations({ instrumentations: [new AzureFunctionsInstrumentation()] });
  return true;
}
