import { resolve } from 'node:path';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { KEY_FORMAT_MESSAGE, parseKey } from './domain/personal-data.js';

/** Environment, validated once at start: a wrong value stops the process with a message naming the variable. */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ default: './.data' }),
  // Streaming replicas (hot standbys) of DATABASE_URL, comma-separated: the dashboard's reads go there (server/db/
  // replicas.ts). A replica more than DATABASE_READ_MAX_LAG_S behind, or down, is skipped until a later check
  // (every DATABASE_READ_CHECK_MS; 0: before every read request). Ignored by the embedded database.
  DATABASE_READ_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://[^,]+(,\\s*postgres(ql)?://[^,]+)*$' })),
  DATABASE_READ_MAX_LAG_S: Type.Number({ minimum: 0, maximum: 86_400, default: 10 }),
  DATABASE_READ_CHECK_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 2000 }),
  // 'test' (as vitest sets it) adds a debug header naming the server that answered a request's reads.
  NODE_ENV: Type.Optional(Type.String()),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000 }),
  // Overload (@fastify/under-pressure): above either limit requests get 503 + Retry-After instead of queueing
  // until they time out. 0 switches a check off.
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 1000 }),
  MAX_HEAP_USED_BYTES: Type.Integer({ minimum: 0, default: 0 }),
  RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
  BASEMAP_URL: Type.Optional(Type.String()),
  BASEMAP_ATTRIBUTION: Type.Optional(Type.String()),
  // Key of the HMAC that matches parties across cases without storing their ID or phone in clear in an index.
  PARTY_HASH_KEY: Type.Optional(Type.String({ minLength: 16 })),
  // Key of the parties' personal data at rest (AES-256-GCM): 32 bytes as hex or base64. Unset on the embedded demo:
  // a random key is made once and kept in the database's settings (production must set it). Older keys that
  // still decrypt values written under them (rotation), comma-separated.
  PERSONAL_DATA_KEY: Type.Optional(Type.String()),
  PERSONAL_DATA_PREVIOUS_KEYS: Type.Optional(Type.String()),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SEED_DEMO: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], { default: 'auto' }),
  // Sign-in: a session ends after this much inactivity, and at the latest this long after sign-in.
  SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 30 }),
  SESSION_MAX_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 12 }),
  // This many consecutive failed logins lock the account for LOGIN_LOCK_MINUTES.
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 15 }),
  // Behind a reverse proxy (HTTPS terminated there): trust X-Forwarded-* so cookies are Secure and IPs are real.
  TRUST_PROXY: Type.Boolean({ default: false }),
  // The scheduler (warnings, reminders, scheduled briefings, housekeeping) looks for due jobs this often; 0: off
  // (an instance that only serves reads). Every instance may tick: a job still runs once per period.
  SCHEDULER_INTERVAL_S: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
  // Server-Sent Events (notifications): a comment line this often keeps proxies from closing an idle stream.
  NOTIFY_HEARTBEAT_MS: Type.Integer({ minimum: 50, maximum: 300_000, default: 15_000 }),
});

export type Env = Static<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Read replicas: their URLs (empty: none), the lag limit, how often they are checked, the test-only header. */
  reads: { urls: string[]; maxLagS: number; checkMs: number; debugHeader: boolean };
  dataDir: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** Overload limits (0: off) and the Retry-After of the 503 answers. */
  pressure: { maxEventLoopDelayMs: number; maxHeapUsedBytes: number; retryAfterS: number };
  basemapUrl: string | null;
  basemapAttribution: string | null;
  /** null: a random key is made once and kept in the database's settings (see routes/cases). */
  partyHashKey: string | null;
  /** null: a random key is made once and kept in the database's settings (see domain/personal-data-store). */
  personalDataKey: Buffer | null;
  personalDataPreviousKeys: Buffer[];
  logLevel: string;
  seedDemo: 'auto' | 'always' | 'never';
  auth: {
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    maxFailedLogins: number;
    lockMinutes: number;
  };
  trustProxy: boolean;
  /** Seconds between scheduler ticks; 0: this instance runs no scheduled jobs. */
  schedulerIntervalS: number;
  /** Heartbeat of the notification stream (SSE comment lines). */
  notifyHeartbeatMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Default(EnvSchema, Value.Convert(EnvSchema, raw));
  const errors = [...Value.Errors(EnvSchema, converted)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.instancePath.replace(/^\//, '') || '(env)'}: ${e.message}`);
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = converted as Env;
  const key = (name: string, text: string) => {
    const k = parseKey(text);
    if (!k) throw new ConfigError(`Invalid environment:\n  ${name}: ${KEY_FORMAT_MESSAGE}`);
    return k;
  };
  const personalDataKey = e.PERSONAL_DATA_KEY ? key('PERSONAL_DATA_KEY', e.PERSONAL_DATA_KEY) : null;
  const personalDataPreviousKeys = (e.PERSONAL_DATA_PREVIOUS_KEYS ?? '')
    .split(',')
    .filter((t) => t.trim() !== '')
    .map((t, i) => key(`PERSONAL_DATA_PREVIOUS_KEYS[${i}]`, t));
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    reads: {
      urls: (e.DATABASE_READ_URL ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
      maxLagS: e.DATABASE_READ_MAX_LAG_S,
      checkMs: e.DATABASE_READ_CHECK_MS,
      debugHeader: e.NODE_ENV === 'test',
    },
    dataDir: resolve(e.DATA_DIR),
    poolSize: e.DB_POOL_SIZE,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    pressure: {
      maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: e.MAX_HEAP_USED_BYTES,
      retryAfterS: e.RETRY_AFTER_S,
    },
    basemapUrl: e.BASEMAP_URL ?? null,
    basemapAttribution: e.BASEMAP_ATTRIBUTION ?? null,
    partyHashKey: e.PARTY_HASH_KEY ?? null,
    personalDataKey,
    personalDataPreviousKeys,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    auth: {
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      sessionMaxHours: e.SESSION_MAX_HOURS,
      maxFailedLogins: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
    },
    trustProxy: e.TRUST_PROXY,
    schedulerIntervalS: e.SCHEDULER_INTERVAL_S,
    notifyHeartbeatMs: e.NOTIFY_HEARTBEAT_MS,
  };
}
