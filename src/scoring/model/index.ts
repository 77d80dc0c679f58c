export * from './metrics';
export * from './logisticRegression';
export * from './modelFeatures';
export * from './conversionModel';
