import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { translateDbError } from '../db/errors.js';
import { DomainError, statusOfDomainError } from '../services/errors.js';

/** A client error that says what was wrong and where (`field`: parameter, body field, row, coordinate). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const badRequest = (field: string, message: string) => new HttpError(400, `${field}: ${message}`, field);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Turns Ajv's validation errors into "querystring.limit: must be <= 10000" with the field named. */
function describeValidation(err: FastifyError): { message: string; field: string } {
  const first = err.validation?.[0];
  const context = err.validationContext ?? 'request';
  if (!first) return { message: err.message, field: context };
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const params = first.params as Record<string, unknown>;
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const field = missing ?? extra ?? (path || context);
  let detail = first.message ?? 'is invalid';
  if (extra) detail = 'is not a known parameter';
  if (Array.isArray(params.allowedValues)) detail = `must be one of: ${params.allowedValues.join(', ')}`;
  return { message: `${field}: ${detail} (in ${context})`, field };
}

export default fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    let body: ErrorBody;
    if (err instanceof DomainError) {
      const statusCode = statusOfDomainError(err);
      body = { statusCode, error: reasons[statusCode] ?? 'Error', message: err.message };
      if (err.field) body.field = err.field;
    } else if (err.validation) {
      const { message, field } = describeValidation(err);
      body = { statusCode: 400, error: reasons[400] as string, message, field };
    } else if (err instanceof HttpError) {
      body = { statusCode: err.statusCode, error: reasons[err.statusCode] ?? 'Error', message: err.message };
      if (err.field) body.field = err.field;
    } else if (translateDbError(err)) {
      const t = translateDbError(err) as { statusCode: number; message: string };
      body = { statusCode: t.statusCode, error: reasons[t.statusCode] ?? 'Error', message: t.message };
    } else if (err.code === 'FST_UNDER_PRESSURE' || err.statusCode === 503) {
      // Overload (@fastify/under-pressure, which has set Retry-After) or a plugin's own "unavailable".
      body = {
        statusCode: 503,
        error: reasons[503] as string,
        message: 'The server is overloaded right now; try again shortly.',
      };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: bad JSON, body too large, unsupported content type.
      body = { statusCode: err.statusCode, error: reasons[err.statusCode] ?? 'Bad Request', message: err.message };
    } else {
      // Nothing internal (stack, SQL, paths) leaves the server; the log has it, keyed by request id.
      request.log.error({ err }, 'unhandled error');
      body = {
        statusCode: 500,
        error: 'Internal Server Error',
        message: `Something went wrong on the server (request ${request.id}).`,
      };
    }
    if (body.statusCode === 503 && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', String(request.server.config?.pressure?.retryAfterS ?? 5));
    }
    reply.code(body.statusCode).type('application/json').send(body);
  });
});
