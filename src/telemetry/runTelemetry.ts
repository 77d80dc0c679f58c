import { metrics, trace } from '@opentelemetry/api';
import { createRunTelemetry } from './jobTelemetry';
import { METER_NAME, TRACER_NAME } from './names';

/** Run telemetry on the global tracer and meter: no-ops unless `setupTelemetry` turned export on. */
export const runTelemetry = createRunTelemetry(trace.getTracer(TRACER_NAME), metrics.getMeter(METER_NAME));
