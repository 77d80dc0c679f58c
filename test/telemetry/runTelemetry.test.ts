import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { flushTelemetry } from '../../src/telemetry/runTelemetry';
import { TestReader } from '../helpers/telemetrySdk';

describe('flushTelemetry', () => {
  afterEach(() => {
    metrics.disable();
    trace.disable();
  });

  it('force-flushes the global meter provider and the tracer provider behind the API’s proxy', async () => {
    const reader = new TestReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    let spanFlushes = 0;
    const processor: SpanProcessor = {
      forceFlush: () => {
        spanFlushes++;
        return Promise.resolve();
      },
      onStart: () => undefined,
      onEnd: () => undefined,
      shutdown: () => Promise.resolve(),
    };
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [processor] }));
    await flushTelemetry();
    expect(reader.flushes).toBe(1);
    expect(spanFlushes).toBe(1);
  });

  it('does nothing, and does not fail, when telemetry export is off (the API’s no-op providers)', async () => {
    await expect(flushTelemetry()).resolves.toBeUndefined();
  });

  it('gives up after its timeout when an exporter hangs', async () => {
    const hanging = new MeterProvider();
    hanging.forceFlush = () => new Promise<void>(() => undefined);
    metrics.setGlobalMeterProvider(hanging);
    const t0 = Date.now();
    await flushTelemetry(50);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
