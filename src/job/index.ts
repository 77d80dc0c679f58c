export * from './runScoringJob';
export * from './runSummary';
