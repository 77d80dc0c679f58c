import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createRunTelemetry } from '../../src/telemetry';

/** A metric reader collected on demand; counts its force-flushes. */
export class TestReader extends MetricReader {
  flushes = 0;
  protected onForceFlush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The real OpenTelemetry SDK with in-memory exporters, and the run telemetry on it. */
export function telemetrySdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createRunTelemetry(tracerProvider.getTracer('test'), meterProvider.getMeter('test'));
  const points = async () => {
    const { resourceMetrics } = await reader.collect();
    const out = new Map<string, DataPoint<unknown>[]>();
    for (const sm of resourceMetrics.scopeMetrics)
      for (const m of sm.metrics) out.set(m.descriptor.name, m.dataPoints);
    return out;
  };
  return { spans, telemetry, points, reader, tracerProvider, meterProvider };
}
