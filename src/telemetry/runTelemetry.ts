import { metrics, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import type { RunTrigger } from '../store/leadStore';
import { createRunTelemetry } from './jobTelemetry';
import { METER_NAME, TRACER_NAME } from './names';

let factory: ReturnType<typeof createRunTelemetry> | undefined;

/**
 * Run telemetry on the global tracer and meter: no-ops unless `setupTelemetry` turned export on. Created on first use,
 * not at import: the metrics API has no proxy meter, so a meter taken before `setupTelemetry` registered the provider
 * would stay a no-op for good.
 */
export function runTelemetry(trigger: RunTrigger, subset: boolean) {
  factory ??= createRunTelemetry(trace.getTracer(TRACER_NAME), metrics.getMeter(METER_NAME));
  return factory(trigger, subset);
}

interface Flushable {
  forceFlush?(): Promise<void>;
}

/**
 * Exports what the run recorded now instead of at the next periodic export (the metric reader's interval is 60 s, and
 * an instance recycled after a run would lose its metrics): force-flushes the global meter provider and the tracer
 * provider behind the API's proxy. Never throws; bounded by `timeoutMs`.
 */
export async function flushTelemetry(timeoutMs = 10_000): Promise<void> {
  const meterProvider = metrics.getMeterProvider() as Flushable;
  const tracerProvider = (trace.getTracerProvider() as Partial<ProxyTracerProvider>).getDelegate?.() as
    Flushable | undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([meterProvider.forceFlush?.(), tracerProvider?.forceFlush?.()]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
