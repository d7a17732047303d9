/** The reasons of an upload's report live in the API contract (server/contract/reasons.ts), shared with the web. */
export * from '../../contract/reasons.js';
