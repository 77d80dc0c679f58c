export * from './runScoringJob';
export * from './runSummary';
export * from './prepareModel';
