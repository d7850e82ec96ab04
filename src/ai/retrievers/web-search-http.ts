import { AiProviderError, isRetryableStatus, MalformedResponseError, parseRetryAfter } from '../errors.ts';
import { withProviderErrors } from '../providers/provider-errors.ts';
import { callWithRetry, type RetryOptions } from '../providers/retry-policy.ts';

/** A web search call fails after this long without an answer (retried like any timeout). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends one search request and returns its parsed JSON body, through the shared retry policy
 * (429 and 5xx are retried with backoff and `Retry-After`; 401/403 and malformed answers are not).
 * Errors name the retriever, the HTTP status and the service's own message, never the API key.
 */
export async function fetchSearchJson(options: {
  retriever: string;
  url: string;
  init: RequestInit;
  signal: AbortSignal;
  retry?: RetryOptions;
  /** What a 401/403 means for this service, e.g. "check apiKey". */
  authHint: string;
  /** Service-specific statuses worth explaining, e.g. Tavily's 432 (plan limit). */
  statusHints?: Record<number, string>;
}): Promise<unknown> {
  const { retriever, signal } = options;
  return callWithRetry(
    async () => {
      const response = await withProviderErrors(retriever, 'web search', signal, () =>
        fetch(options.url, {
          ...options.init,
          signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        }),
      );
      const text = await response.text();
      if (!response.ok) throw httpError(retriever, response, text, options);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new MalformedResponseError(
          `${retriever}: web search answered HTTP ${response.status} with a body that is not JSON ` +
            `(first 100 characters: ${JSON.stringify(text.slice(0, 100))}); check the retriever's baseUrl`,
          { provider: retriever, url: options.url },
        );
      }
    },
    { signal, retry: options.retry, provider: retriever, what: 'web search' },
  );
}

function httpError(
  retriever: string,
  response: Response,
  body: string,
  options: { url: string; authHint: string; statusHints?: Record<number, string> },
) {
  const { url } = options;
  const status = response.status;
  const explained =
    options.statusHints?.[status] ??
    (status === 401 || status === 403 ? options.authHint : status === 429 ? 'rate limit or quota reached' : undefined);
  const hint = explained ? ` (${explained})` : '';
  const detail = serviceMessage(body);
  return new AiProviderError(
    `${retriever}: web search failed with HTTP ${status}${hint}${detail ? `: ${detail}` : ''}`,
    {
      provider: retriever,
      status,
      url,
      isRetryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    },
  );
}

/** The error text services put in their JSON bodies (`{error: {message}}`, `{detail: {error}}`, ...). */
function serviceMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.replace(/\s+/g, ' ').trim().slice(0, 200);
  }
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      return pick(record.message) ?? pick(record.error) ?? pick(record.detail);
    }
    return undefined;
  };
  return (pick(parsed) ?? '').slice(0, 300);
}
