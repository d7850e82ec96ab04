import { z } from 'zod';
import { duration, dynamic, parseDuration } from '../../plugin/dynamic.ts';
import type { RunContext } from '../../plugin/run-context.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'] as const;

/** `options:` of the HTTP tasks (the reference's HttpConfiguration, plus its older flat names). */
export const httpOptions = z
  .looseObject({
    timeout: z
      .looseObject({
        connectTimeout: dynamic(duration).optional(),
        readIdleTimeout: dynamic(duration).optional(),
      })
      .optional()
      .meta({ description: 'readIdleTimeout bounds the whole request here' }),
    connectTimeout: dynamic(duration).optional(),
    readTimeout: dynamic(duration).optional(),
    followRedirects: dynamic(z.boolean()).optional(),
    allowFailed: dynamic(z.boolean()).optional(),
    allowedResponseCodes: z.array(z.coerce.number().int()).optional(),
    maxContentLength: dynamic(z.coerce.number().int().positive()).optional(),
    auth: z
      .looseObject({
        type: z.enum(['BASIC', 'BEARER']),
        username: z.string().optional(),
        password: z.string().optional(),
        token: z.string().optional(),
      })
      .optional(),
    basicAuthUser: z.string().optional(),
    basicAuthPassword: z.string().optional(),
  })
  .meta({ description: 'Timeouts, redirects, authentication and limits' });

export type HttpOptions = z.output<typeof httpOptions>;

export const headersSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string()), z.number(), z.boolean()]))
  .meta({ description: 'Request headers' });

export interface HttpRequestSpec {
  uri: string;
  method: string;
  headers?: Record<string, unknown>;
  body?: unknown;
  formData?: Record<string, unknown>;
  contentType?: string;
  options?: HttpOptions;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

function buildBody(spec: HttpRequestSpec, headers: Headers): BodyInit | undefined {
  if (spec.formData) {
    if (spec.contentType?.toLowerCase().startsWith('multipart/form-data')) {
      const form = new FormData();
      for (const [name, value] of Object.entries(spec.formData))
        form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
      return form;
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.formData))
      params.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    headers.set('content-type', 'application/x-www-form-urlencoded');
    return params;
  }
  if (spec.body === undefined || spec.body === null) return undefined;
  if (!headers.has('content-type')) headers.set('content-type', spec.contentType ?? 'application/json');
  return typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
}

/** The request timeout in ms: readIdleTimeout, else the legacy readTimeout; none by default. */
function timeoutMs(options: HttpOptions | undefined): number | undefined {
  const value = options?.timeout?.readIdleTimeout ?? options?.readTimeout;
  return value === undefined ? undefined : parseDuration(String(value));
}

/** Sends the request with the run's abort signal (kill, task timeout) and the configured timeout. */
export async function sendRequest(ctx: RunContext, spec: HttpRequestSpec): Promise<Response> {
  let url: URL;
  try {
    url = new URL(spec.uri);
  } catch {
    throw new Error(`property uri: '${spec.uri}' is not an absolute URL (expected e.g. https://example.com/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`property uri: protocol '${url.protocol}' is not supported; use http or https`);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, String(item));
    else headers.set(name, String(value));
  }
  const options = spec.options;
  const auth = options?.auth;
  if (auth?.type === 'BEARER' && auth.token) headers.set('authorization', `Bearer ${auth.token}`);
  const user = auth?.type === 'BASIC' ? auth.username : options?.basicAuthUser;
  const password = auth?.type === 'BASIC' ? auth.password : options?.basicAuthPassword;
  if (user !== undefined)
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`);
  const body = buildBody(spec, headers);
  const timeout = timeoutMs(options);
  const signal = timeout === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(timeout)]);
  const method = spec.method.toUpperCase();
  try {
    return await fetch(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      redirect: options?.followRedirects === false || options?.followRedirects === 'false' ? 'manual' : 'follow',
      signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    if (signal.aborted)
      throw new Error(`${method} ${url.href} timed out after ${timeout} ms (options.timeout.readIdleTimeout)`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${method} ${url.href} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

/** Whether a status fails the task, per `allowFailed` and `options.allowedResponseCodes`. */
export function isFailedStatus(status: number, allowFailed: unknown, options: HttpOptions | undefined): boolean {
  if (truthy(allowFailed) || truthy(options?.allowFailed)) return false;
  if (options?.allowedResponseCodes?.length) return !options.allowedResponseCodes.includes(status);
  return status >= 400;
}

/** Response headers as the reference outputs them: name → list of values. */
export function headerMap(headers: Headers): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    map[name] = [value];
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) map['set-cookie'] = cookies;
  return map;
}

/** Reads the body as chunks, failing as soon as it exceeds `limit` bytes. */
export async function* cappedBody(response: Response, limit: number, what: string): AsyncIterable<Uint8Array> {
  if (!response.body) return;
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) {
      await response.body.cancel().catch(() => {});
      throw new Error(`${what} exceeds ${limit} bytes; raise options.maxContentLength if this is expected`);
    }
    yield chunk;
  }
}

export async function readCappedText(response: Response, limit: number, what: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of cappedBody(response, limit, what)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** TLS settings are not applied (the system trust store is used); say so instead of silently ignoring them. */
export function warnIgnoredSslOptions(ctx: RunContext, sslOptions: Record<string, unknown> | undefined): void {
  if (sslOptions && Object.keys(sslOptions).length > 0) {
    ctx.logger.warn(
      `sslOptions (${Object.keys(sslOptions).join(', ')}) are not supported and were ignored; the system trust store is used`,
    );
  }
}
