import type { Sql } from '../types.js';

export function versions(): Sql {
  return {
    text: `SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`,
    values: [],
  };
}

/** The county's as-of moment (app_now(), pinned for the demo) in China Standard Time. */
export function asOfLocal(): Sql {
  return {
    text: `SELECT to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS as_of`,
    values: [],
  };
}
