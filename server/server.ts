import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { prepareDatabase } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { openPostgres } from './db/postgres.js';
import { type Scheduler, startScheduler } from './services/scheduler/index.js';
import { jobs } from './services/scheduler/jobs.js';

async function main() {
  const config = loadConfig();
  const logger = {
    level: config.logLevel,
    ...(process.stdout.isTTY ? { transport: undefined } : {}),
  };
  const firstStart = !config.databaseUrl && !existsSync(join(config.dataDir, 'pglite'));
  const where = config.databaseUrl
    ? `PostGIS server (${new URL(config.databaseUrl).host})`
    : `embedded PostGIS in ${config.dataDir}${firstStart ? ' (first start: creating it, about half a minute)' : ''}`;
  console.log(`Starting the joint mediation risk map on ${where}…`);

  const db = await openDatabase(config, (err) => console.error(`database pool error: ${err.message}`));
  await prepareDatabase(db, config.seedDemo, (m) => console.log(m), {
    demoAccountsFile: join(config.dataDir, 'demo-accounts.json'),
    setupCode: true,
  });
  // The PostGIS server: notification delivery on connections of its own (app.ts BuildOptions.deliveryDb).
  const deliveryDb = config.databaseUrl
    ? openPostgres({
        connectionString: config.databaseUrl,
        poolSize: 2,
        statementTimeoutMs: config.statementTimeoutMs,
        onPoolError: (err) => console.error(`database pool error (notifications): ${err.message}`),
      })
    : undefined;
  const app = await buildApp({ db, config, logger, ...(deliveryDb ? { deliveryDb } : {}) });

  let scheduler: Scheduler | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: finishing in-flight requests, then closing the database`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      // Keep-alive connections that were busy when closing began become idle later and would hold close() open
      // until their keep-alive timeout (72 s): close each as soon as its last response is sent.
      await scheduler?.stop();
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await deliveryDb?.close();
      await db.close();
      process.exit(0);
    } catch (err) {
      console.error(err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  if (config.schedulerIntervalS > 0) {
    scheduler = startScheduler(db, config, jobs, config.schedulerIntervalS, app.log);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  console.log(`Dashboard: http://${shownHost}:${port}   API docs: http://${shownHost}:${port}/docs`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
