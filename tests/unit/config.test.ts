import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('defaults to port 8080 and the embedded database under ./.data', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.data')).toBe(true);
  });

  it('reads DATABASE_URL, PORT and the basemap', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h:5433/db',
      PORT: '9000',
      BASEMAP_URL: 'https://t.example/{z}/{x}/{y}.png',
    });
    expect(c).toMatchObject({
      port: 9000,
      databaseUrl: 'postgres://u@h:5433/db',
      basemapUrl: 'https://t.example/{z}/{x}/{y}.png',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SEED_DEMO: 'sometimes' }, 'SEED_DEMO'],
  ])('rejects %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
