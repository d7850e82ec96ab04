import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AiProviderError, MalformedResponseError, RetriesExhaustedError } from '../../errors.ts';
import type { RetryOptions } from '../retry-policy.ts';
import { type ProviderWireHarness, requestsArrived } from './provider-wire-harness.ts';
import { FAST_RETRY, type RecordedRequest, type WireReply } from './wire-server.ts';

/**
 * The failure cases every remote provider must handle the same way, registered as tests:
 * 401 (not retried), 429 with Retry-After then success, 429 forever, 500, malformed JSON,
 * and a hanging server cut off by the AbortSignal.
 */
export function errorWireCases(options: {
  provider: string;
  /** The provider's fake server. */
  wire: Pick<ProviderWireHarness, 'answer'>;
  /** A well-formed success answer for the call under test. */
  success(request: RecordedRequest): WireReply;
  /** An error body in the provider's format. */
  errorBody(message: string): unknown;
  /** Makes the call through embedMany / generateText. */
  call(signal: AbortSignal, retry: RetryOptions): Promise<unknown>;
}): void {
  const { provider, wire } = options;
  const signal = () => new AbortController().signal;

  test(`${provider} wire-format: 401 fails at once with the status and an apiKey hint`, async () => {
    const seen = wire.answer(() => ({ status: 401, json: options.errorBody('invalid api key') }));
    await assert.rejects(
      options.call(signal(), FAST_RETRY),
      (error: unknown) =>
        error instanceof AiProviderError &&
        error.status === 401 &&
        !error.isRetryable &&
        /check the apiKey/.test(error.message),
    );
    assert.equal(seen.length, 1);
  });

  test(`${provider} wire-format: 429 with Retry-After is retried, then succeeds`, async () => {
    const seen = wire.answer((request, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '0.05' }, json: options.errorBody('slow down') }
        : options.success(request),
    );
    await options.call(signal(), FAST_RETRY);
    assert.equal(seen.length, 2);
  });

  test(`${provider} wire-format: a connection reset is retried, then succeeds`, async () => {
    const seen = wire.answer((request, index) => (index === 0 ? { reset: true } : options.success(request)));
    await options.call(signal(), FAST_RETRY);
    assert.equal(seen.length, 2);
  });

  test(`${provider} wire-format: 429 forever ends after the bounded attempts`, async () => {
    const seen = wire.answer(() => ({ status: 429, json: options.errorBody('slow down') }));
    await assert.rejects(
      options.call(signal(), FAST_RETRY),
      (error: unknown) => error instanceof RetriesExhaustedError && error.status === 429 && error.attempts === 3,
    );
    assert.equal(seen.length, 3);
  });

  test(`${provider} wire-format: 500 is retried, then reported with its status`, async () => {
    const seen = wire.answer(() => ({ status: 500, json: options.errorBody('internal error') }));
    await assert.rejects(
      options.call(signal(), FAST_RETRY),
      (error: unknown) => error instanceof RetriesExhaustedError && error.status === 500,
    );
    assert.equal(seen.length, 3);
  });

  test(`${provider} wire-format: malformed JSON is a MalformedResponseError, not retried`, async () => {
    const seen = wire.answer(() => ({ text: '{"truncated": [' }));
    await assert.rejects(options.call(signal(), FAST_RETRY), MalformedResponseError);
    assert.equal(seen.length, 1);
  });

  test(`${provider} wire-format: a well-formed JSON body of the wrong shape is a MalformedResponseError`, async () => {
    wire.answer(() => ({ json: { unexpected: true } }));
    await assert.rejects(options.call(signal(), FAST_RETRY), MalformedResponseError);
  });

  test(`${provider} wire-format: a hanging server is cut off by the AbortSignal`, async () => {
    const seen = wire.answer(() => ({ hang: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('task timeout reached')), 50);
    await assert.rejects(options.call(controller.signal, FAST_RETRY), /task timeout reached/);
    await requestsArrived(seen, 1);
  });
}
