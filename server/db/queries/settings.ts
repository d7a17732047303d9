import type { Sql } from '../types.js';
import { sql } from './filters.js';

/** Keeps `value` under `key` unless a value is already kept (the first writer wins, also under a race). */
export function keepSetting(key: string, value: string): Sql {
  return sql('INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
}

export function setting(key: string): Sql {
  return sql('SELECT value FROM app_settings WHERE key = $1', [key]);
}
