/**
 * Errors raised by model providers. Retry decisions read `isRetryable` and `retryAfterMs`
 * here and nowhere else, so every provider maps its failures onto these classes.
 */

/** Structured facts about a failed provider call; `url` never carries secrets. */
export interface AiProviderErrorFields {
  provider: string;
  status?: number;
  url?: string;
  isRetryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base class of every model-provider failure; `name` is stable for `instanceof`-free checks. */
export class AiProviderError extends Error {
  override name = 'AiProviderError';
  readonly provider: string;
  readonly status: number | undefined;
  readonly url: string | undefined;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: AiProviderErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.provider = fields.provider;
    this.status = fields.status;
    this.url = fields.url === undefined ? undefined : redactUrl(fields.url);
    this.isRetryable = fields.isRetryable ?? false;
    this.retryAfterMs = fields.retryAfterMs;
  }

  static isInstance(error: unknown): error is AiProviderError {
    return (
      error instanceof Error && typeof (error as { provider?: unknown }).provider === 'string' && 'isRetryable' in error
    );
  }
}

/** A required credential is absent: says which property and how to provide it. */
export class MissingApiKeyError extends AiProviderError {
  override name = 'MissingApiKeyError';
  constructor(provider: string, property: string, secretName: string) {
    super(
      `${provider}: property '${property}' is required; set it in the flow, e.g. ` +
        `${property}: "{{ secret('${secretName}') }}" with the secret provided as environment variable SECRET_${secretName} (base64-encoded)`,
      { provider, isRetryable: false },
    );
  }
}

/** The provider answered, but not in the shape its API documents. */
export class MalformedResponseError extends AiProviderError {
  override name = 'MalformedResponseError';
}

/** A provider, model or configuration cannot do what the flow asks (e.g. `topK` on OpenAI). */
export class UnsupportedFeatureError extends AiProviderError {
  override name = 'UnsupportedFeatureError';
}

/** The retry budget (attempts or total time) ran out; `cause` is the last failure. */
export class RetriesExhaustedError extends AiProviderError {
  override name = 'RetriesExhaustedError';
  readonly attempts: number;
  constructor(message: string, fields: AiProviderErrorFields & { attempts: number }) {
    // Retryable so a flow's own `retry:` may try again later, after this call's budget.
    super(message, { ...fields, isRetryable: true });
    this.attempts = fields.attempts;
  }
}

/** HTTP statuses worth another attempt: timeouts, conflicts of load, rate limits, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** Parses a `Retry-After` header (seconds or HTTP date) or `retry-after-ms` into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes credentials from a URL (query keys such as Gemini's `key=`, and user info). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/key|token|secret|signature/i.test(key)) parsed.searchParams.set(key, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return url.replace(/([?&][^=]*(?:key|token|secret)[^=]*=)[^&]*/gi, '$1REDACTED');
  }
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Whether a low-level error (fetch failure, socket reset) is a transient network failure. */
export function isTransientNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true;
    if (current instanceof Error && current.name === 'TimeoutError') return true;
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
