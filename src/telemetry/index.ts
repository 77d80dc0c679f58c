export * from './names';
export * from './jobTelemetry';
