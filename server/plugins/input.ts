import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type TextFault, textFault, textFaultMessage } from '../domain/text.js';
import { HttpError } from './errors.js';

/**
 * One check over every string and number a request carries (path, query, JSON body; keys and values, at any
 * depth), before any route's schema or code sees it: a NUL or a lone surrogate, which PostgreSQL cannot store, or
 * a non-finite number, is a 400 naming the field instead of a database error. Uploaded files are checked per row
 * (server/domain/ingest/rows.ts), where a bad cell refuses its row only.
 */
const isStream = (v: object) => typeof (v as { pipe?: unknown }).pipe === 'function';

function check(value: unknown, context: string): void {
  const stack: [unknown, string][] = [[value, '']];
  const fail = (path: string, what: string) => {
    const field = path || context;
    throw new HttpError(400, `${field}: ${what} (in ${context})`, field);
  };
  const checkString = (s: string, path: string) => {
    const fault: TextFault | null = textFault(s);
    if (fault) fail(path, textFaultMessage[fault]);
  };
  // Iterative: a deeply nested body must not overflow the stack.
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') checkString(v, path);
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(path, 'is not a finite number');
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !isStream(v)) {
      for (const k of Object.keys(v)) {
        const p = path ? `${path}.${k}` : k;
        checkString(k, p);
        stack.push([(v as Record<string, unknown>)[k], p]);
      }
    }
  }
}

export default fp(async function inputPlugin(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    check(request.params, 'params');
    check(request.query, 'querystring');
    // Parsed JSON (plain objects and arrays); a multipart body is the upload's, checked per row.
    check(request.body, 'body');
  });
});
