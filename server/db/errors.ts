/**
 * Known database errors, translated at the edge so that user input never turns into a 500.
 * PostgreSQL SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function translateDbError(err: unknown): { statusCode: number; message: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  switch (code) {
    case '23505':
      return { statusCode: 409, message: 'A record with the same key already exists.' };
    case '23503':
      return { statusCode: 400, message: 'A referenced record does not exist.' };
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return { statusCode: 400, message: 'A value is out of range or malformed.' };
    case 'XX000':
      // PostGIS reports malformed geometry as an internal error class; it only reaches here from user input.
      return null;
    case '57014':
      return { statusCode: 503, message: 'The database took too long to answer; try again or narrow the request.' };
    case '57P01':
    case '57P03':
    case '08000':
    case '08003':
    case '08006':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return { statusCode: 503, message: 'The database is not reachable right now; try again shortly.' };
    default:
      return null;
  }
}
