import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem with a request, pointing at the property (and line, for YAML) that caused it. */
export interface ApiViolation {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The one error body every endpoint returns: what went wrong, and every violation when there are several. */
export interface ApiErrorBody {
  status: number;
  message: string;
  violations?: ApiViolation[];
}

/** An error that already knows its HTTP status; thrown by handlers, rendered by `errorResponse`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly violations?: ApiViolation[],
  ) {
    super(message);
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found`);
}

function hasViolations(error: Error): error is Error & { violations: unknown[] } {
  return Array.isArray((error as { violations?: unknown }).violations);
}

/** Maps the errors other layers throw (by their stable `name`) to a status, without leaking stacks. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (!(error instanceof Error)) return new HttpError(500, 'internal error');
  switch (error.name) {
    case 'FlowNotFoundError':
    case 'ExecutionNotFoundError':
      return new HttpError(404, error.message);
    case 'InputValidationError':
      return new HttpError(422, error.message, hasViolations(error) ? inputViolations(error.violations) : undefined);
    case 'FlowValidationError':
      return new HttpError(422, error.message, hasViolations(error) ? (error.violations as ApiViolation[]) : undefined);
    case 'KvKeyExistsError':
      return new HttpError(409, error.message);
    case 'IllegalStateError':
    case 'InvalidStateError':
      return new HttpError(409, error.message);
    case 'ZodError':
      return new HttpError(400, 'invalid request', zodViolations(error));
    default:
      return new HttpError(500, `internal error: ${error.message.split('\n')[0]}`);
  }
}

function inputViolations(list: unknown[]): ApiViolation[] {
  return list.map((item) => {
    const v = item as { input?: string; path?: string; message?: string };
    return { path: `inputs.${v.input ?? v.path ?? ''}`, message: v.message ?? 'invalid' };
  });
}

function zodViolations(error: Error): ApiViolation[] {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Renders any error as the JSON error body; 5xx errors are logged server-side only. */
export function errorResponse(error: unknown, c: Context): Response {
  const http = toHttpError(error);
  if (http.status >= 500) console.error(`${c.req.method} ${c.req.path}:`, error);
  const body: ApiErrorBody = { status: http.status, message: http.message };
  if (http.violations) body.violations = http.violations;
  return c.json(body, http.status);
}
