export * from './runScoringJob';
export * from './runSummary';
export * from './prepareModel';
export * from './backtest';
export * from './readCsvTraining';
