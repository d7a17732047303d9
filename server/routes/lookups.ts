/** Lookups the routes share live with the services (server/services/lookups.ts). */
export { assertAdminUnit } from '../services/lookups.js';
