import { AiProviderError, isTransientNetworkError, RetriesExhaustedError } from '../errors.ts';

/** How `embedMany` and `generateText` retry a failed provider call. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 5). */
  maxAttempts?: number;
  /** Delay before the second attempt; doubles each time (default 500 ms). */
  initialDelayMs?: number;
  /** Ceiling of one delay (default 30 s). */
  maxDelayMs?: number;
  /** Ceiling of the time spent retrying, delays included (default 120 s). */
  maxTotalMs?: number;
  /** Told before each wait, e.g. to log "429 from openai, retrying in 2 s (attempt 2 of 5)". */
  onRetry?: (event: RetryEvent) => void;
}

/** A retry about to happen. */
export interface RetryEvent {
  /** The attempt that failed (1 = the first). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: unknown;
  /** A one-line description for logs. */
  message: string;
}

const DEFAULTS: Required<Omit<RetryOptions, 'onRetry'>> = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 120_000,
};

/** Whether a failure is worth another attempt: the error says so, or it is a network blip. */
export function isRetryableError(error: unknown): boolean {
  if (AiProviderError.isInstance(error)) return error.isRetryable;
  return isTransientNetworkError(error);
}

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or the budget runs out.
 * Delays grow exponentially with full jitter, and a server's `Retry-After` wins when longer.
 * An aborted `signal` stops at once with the abort's reason.
 */
export async function callWithRetry<T>(
  call: (attempt: number) => Promise<T>,
  options: { signal: AbortSignal; retry?: RetryOptions; provider: string; what: string },
): Promise<T> {
  const policy = { ...DEFAULTS, ...options.retry };
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    options.signal.throwIfAborted();
    try {
      return await call(attempt);
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (!isRetryableError(error)) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const retryAfter = AiProviderError.isInstance(error) ? error.retryAfterMs : undefined;
      const delay = Math.max(jittered, retryAfter ?? 0);
      const elapsed = Date.now() - started;
      if (attempt >= policy.maxAttempts || elapsed + delay > policy.maxTotalMs) {
        const reason = error instanceof Error ? error.message : String(error);
        const budget =
          attempt >= policy.maxAttempts
            ? `${attempt} attempts`
            : `${Math.round(elapsed / 1000)} s (the next wait of ${Math.round(delay / 1000)} s would pass the ${Math.round(policy.maxTotalMs / 1000)} s budget)`;
        throw new RetriesExhaustedError(
          `${options.provider}: ${options.what} still failing after ${budget}; last error: ${reason}. ` +
            'Check the provider status and rate limits, or raise the retry budget.',
          {
            provider: options.provider,
            status: AiProviderError.isInstance(error) ? error.status : undefined,
            url: AiProviderError.isInstance(error) ? error.url : undefined,
            attempts: attempt,
            cause: error,
          },
        );
      }
      policy.onRetry?.({
        attempt,
        maxAttempts: policy.maxAttempts,
        delayMs: delay,
        error,
        message: `${options.provider}: ${options.what} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${policy.maxAttempts})`,
      });
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
