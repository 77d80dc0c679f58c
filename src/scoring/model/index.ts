export * from './metrics';
export * from './logisticRegression';
export * from './modelFeatures';
export * from './designMatrix';
export * from './binExpansion';
export * from './calibrate';
export * from './chooseExpansion';
export * from './selectRows';
export * from './conversionModel';
export * from './scoreWithModel';
export * from './publishGate';
export * from './naiveBayes';

export * from './explainConversion';
