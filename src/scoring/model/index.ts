export * from './metrics';
export * from './logisticRegression';
export * from './modelFeatures';
export * from './conversionModel';
export * from './naiveBayes';

export * from './explainConversion';
