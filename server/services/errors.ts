/**
 * Domain errors: what the services throw when a command cannot be carried out. They know nothing of HTTP;
 * `plugins/errors.ts` maps each to its status (400, 403, 404, 409) and a body that names the field.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    /** The parameter, body field, row or coordinate the error is about. */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is wrong: a value out of range, an unknown code, a date in the past (400). */
export class InvalidInput extends DomainError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}

/** The object does not exist, or is outside the caller's scope, which must not be told apart (404). */
export class NotFound extends DomainError {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The caller may see the object but not do this to it (403). */
export class Forbidden extends DomainError {}

/** The client's version of the object is not the stored one: someone else changed it first (409). */
export class VersionConflict extends DomainError {
  constructor(
    what: string,
    readonly currentVersion: number,
  ) {
    super(`${what} was changed by someone else (now version ${currentVersion}); reload and try again`, 'version');
  }
}

/** A state change the workflow does not allow from the current state (409), naming the allowed ones. */
export class IllegalTransition extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
    field = 'status',
  ) {
    super(
      `cannot go from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'}`,
      field,
    );
  }
}

/** The command conflicts with stored data in another way: a duplicate, a closed period (409). */
export class Conflict extends DomainError {}

export function statusOfDomainError(err: DomainError): number {
  if (err instanceof InvalidInput) return 400;
  if (err instanceof NotFound) return 404;
  if (err instanceof Forbidden) return 403;
  return 409;
}
