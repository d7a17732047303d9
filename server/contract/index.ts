/** The API contract, for the server and the web app alike (see common.ts). */
export * from './analytics.js';
export * from './cases.js';
export * from './common.js';
export * from './mediators.js';
export * from './meetings.js';
export * from './notifications.js';
export * from './people.js';
export * from './reasons.js';
export * from './summary.js';
export * from './tasks.js';
export * from './vocabulary.js';
export * from './warnings.js';
