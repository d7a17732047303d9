/** The vocabulary lives in the API contract (server/contract/vocabulary.ts), shared with the web app. */
export * from '../contract/vocabulary.js';
