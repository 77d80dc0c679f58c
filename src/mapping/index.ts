export * from './crmMapping';
export * from './loadCrmMapping';
export * from './renderMapping';
