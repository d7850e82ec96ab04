import type { RetrySpec } from '../flow/flow-types.ts';
import { parseDuration } from '../plugin/dynamic.ts';

/**
 * When to try a failed attempt again. `exponential` is a real exponential backoff
 * (interval × delayFactor^(attempt−1), capped by maxInterval), not the reference's linear
 * formula; see docs/decisions/0003-retry-semantics.md.
 */
export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  /** Why not, when it will not retry. */
  reason?: string;
}

/**
 * @param attemptsSoFar attempts already made, including the one that just failed
 * @param elapsedMs time since the first attempt started
 */
export function nextRetry(
  spec: RetrySpec | undefined,
  attemptsSoFar: number,
  elapsedMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!spec) return { retry: false, delayMs: 0, reason: 'no retry policy' };
  const maxAttempts = spec.maxAttempts;
  if (maxAttempts !== undefined && attemptsSoFar >= maxAttempts) {
    return { retry: false, delayMs: 0, reason: `reached maxAttempts (${maxAttempts})` };
  }
  let delayMs: number;
  switch (spec.type) {
    case 'constant':
      delayMs = parseDuration(spec.interval ?? 'PT1S');
      break;
    case 'exponential': {
      const interval = parseDuration(spec.interval ?? 'PT1S');
      const factor = spec.delayFactor ?? 2;
      const cap = spec.maxInterval ? parseDuration(spec.maxInterval) : Number.POSITIVE_INFINITY;
      delayMs = Math.min(cap, interval * factor ** (attemptsSoFar - 1));
      break;
    }
    case 'random': {
      const min = parseDuration(spec.minInterval ?? 'PT0S');
      const max = parseDuration(spec.maxInterval ?? spec.minInterval ?? 'PT1S');
      delayMs = min + Math.floor(random() * Math.max(0, max - min));
      break;
    }
  }
  if (spec.maxDuration !== undefined) {
    const budget = parseDuration(spec.maxDuration);
    if (elapsedMs + delayMs > budget) {
      return { retry: false, delayMs: 0, reason: `the next attempt would exceed maxDuration (${spec.maxDuration})` };
    }
  }
  if (maxAttempts === undefined && spec.maxDuration === undefined) {
    // The reference requires one of the two; without either, stop rather than loop forever.
    return { retry: false, delayMs: 0, reason: 'retry has neither maxAttempts nor maxDuration' };
  }
  return { retry: true, delayMs };
}
