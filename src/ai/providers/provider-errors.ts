import {
  AiProviderError,
  isRetryableStatus,
  isTransientNetworkError,
  MalformedResponseError,
  parseRetryAfter,
} from '../errors.ts';

type HeaderSource = Headers | Record<string, unknown> | undefined;

/**
 * Maps whatever a client or `fetch` threw into an `AiProviderError` with the HTTP status,
 * retryability and `Retry-After` delay. The official clients expose the status under
 * different names (`status`, `statusCode`, `status_code`); all are read here, in one place.
 * An abort of the caller's signal is rethrown unchanged so it is never retried.
 */
export function toProviderError(provider: string, what: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (AiProviderError.isInstance(error)) return error;
  const fields = error as {
    status?: unknown;
    statusCode?: unknown;
    status_code?: unknown;
    headers?: HeaderSource;
    rawResponse?: { headers?: Headers; url?: string };
    message?: unknown;
    name?: unknown;
  };
  const rawStatus = fields?.status ?? fields?.statusCode ?? fields?.status_code;
  const status = typeof rawStatus === 'number' && rawStatus >= 100 ? rawStatus : undefined;
  const message = typeof fields?.message === 'string' ? fields.message : String(error);
  const name = typeof fields?.name === 'string' ? fields.name : '';
  // A 2xx that the client could not parse or validate (e.g. Mistral's response validation).
  if ((status !== undefined && status < 300) || /ValidationError/.test(name)) {
    return new MalformedResponseError(
      `${provider}: ${what}: the response does not have the documented shape: ${shorten(message)}`,
      {
        provider,
        cause: error,
      },
    );
  }
  if (status !== undefined) {
    const headers = fields.headers ?? fields.rawResponse?.headers;
    const retryAfterMs = parseRetryAfterHeaders(headers);
    const hint = status === 401 || status === 403 ? ' (check the apiKey and its permissions)' : '';
    return new AiProviderError(`${provider}: ${what} failed with HTTP ${status}${hint}: ${shorten(message)}`, {
      provider,
      status,
      url: fields.rawResponse?.url,
      isRetryable: isRetryableStatus(status),
      retryAfterMs,
      cause: error,
    });
  }
  if (error instanceof SyntaxError || /JSON|Unexpected token|invalid json/i.test(message)) {
    return new MalformedResponseError(`${provider}: ${what}: the response was not valid JSON: ${shorten(message)}`, {
      provider,
      cause: error,
    });
  }
  const transient =
    isTransientNetworkError(error) ||
    /Connection|Timeout/i.test(name) ||
    /ECONNRESET|socket hang up|fetch failed|timed? ?out/i.test(message);
  return new AiProviderError(`${provider}: ${what} failed: ${shorten(message)}`, {
    provider,
    isRetryable: transient,
    cause: error,
  });
}

/**
 * Runs one request to a provider and maps whatever it throws with `toProviderError`, so every
 * provider reports failures the same way and the retry policy can read them.
 */
export async function withProviderErrors<T>(
  provider: string,
  what: string,
  signal: AbortSignal,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toProviderError(provider, what, error, signal);
  }
}

function parseRetryAfterHeaders(headers: HeaderSource): number | undefined {
  if (!headers) return undefined;
  const read = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const ms = Number(read('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && read('retry-after-ms') !== undefined) return ms;
  return parseRetryAfter(read('retry-after'));
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 497)}...` : flat;
}

/** Throws a `MalformedResponseError` unless `condition` holds. */
export function expectShape(condition: unknown, provider: string, what: string): asserts condition {
  if (!condition) {
    throw new MalformedResponseError(`${provider}: ${what}: the response does not have the documented shape`, {
      provider,
    });
  }
}
