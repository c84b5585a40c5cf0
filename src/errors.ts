// Errors that carry an HTTP status and a message key from the i18n dictionary. The one error handler
// (src/http/errors.ts) renders them in the user's language, or re-renders a form with field errors.
import type { Params } from './i18n';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params?: Params,
    readonly titleKey?: string,
  ) {
    super(messageKey);
    this.name = 'AppError';
  }
}

export const notFound = () => new AppError(404, 'errors.notFound.text', undefined, 'errors.notFound.title');
export const forbidden = () => new AppError(403, 'errors.forbidden.text', undefined, 'errors.forbidden.title');
export const badRequest = (messageKey = 'errors.badRequest.text', params?: Params) =>
  new AppError(400, messageKey, params, 'errors.badRequest.title');
export const conflict = (messageKey: string, params?: Params) => new AppError(409, messageKey, params, 'errors.badRequest.title');

export type FieldErrors = Record<string, { key: string; params?: Params }>;

/** A form that failed validation: the handler re-renders `view` with the values typed and the errors. */
export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    readonly view?: string,
    readonly locals: Record<string, unknown> = {},
  ) {
    super(422, 'common.errorSummaryTitle');
    this.name = 'ValidationError';
  }
}

/**
 * Runs the service call behind a form: field errors it throws without a view (the service knows no
 * views) come back in the form's own view with its locals, through the error handler like any other.
 */
export async function inForm<T>(view: string, locals: (errors: FieldErrors) => Promise<Record<string, unknown>>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ValidationError && !err.view) throw new ValidationError(err.fieldErrors, view, await locals(err.fieldErrors));
    throw err;
  }
}
