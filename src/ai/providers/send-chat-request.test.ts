import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TaskLogger } from '../../plugin/run-context.ts';
import { AiProviderError } from '../errors.ts';
import type { ChatConfiguration } from '../spec/chat-model.ts';
import { sendChatRequest } from './send-chat-request.ts';

function recordingLogger(): { logger: TaskLogger; infos: string[] } {
  const infos: string[] = [];
  const ignore = () => {};
  const logger: TaskLogger = {
    log: ignore,
    trace: ignore,
    debug: ignore,
    info: (m) => infos.push(m),
    warn: ignore,
    error: ignore,
  };
  return { logger, infos };
}

function context(configuration: ChatConfiguration, logger: TaskLogger) {
  return {
    provider: 'acme',
    what: "chat with model 'm1'",
    logger,
    configuration,
    abortSignal: new AbortController().signal,
  };
}

describe('sendChatRequest', () => {
  test('logs the request and the response at INFO only when the flow asks for each', async () => {
    const both = recordingLogger();
    const answer = await sendChatRequest(
      context({ logRequests: true, logResponses: true }, both.logger),
      { prompt: 'hi' },
      async (request) => ({ echoed: request.prompt }),
    );
    assert.deepEqual(answer, { echoed: 'hi' });
    assert.deepEqual(both.infos, ['request: {"prompt":"hi"}', 'response: {"echoed":"hi"}']);

    const onlyResponses = recordingLogger();
    await sendChatRequest(context({ logResponses: true }, onlyResponses.logger), { prompt: 'x' }, async () => 'ok');
    assert.deepEqual(onlyResponses.infos, ['response: "ok"']);

    const none = recordingLogger();
    await sendChatRequest(context({}, none.logger), { prompt: 'x' }, async () => 'ok');
    assert.deepEqual(none.infos, []);
  });

  test('a failure is mapped to an AiProviderError naming the provider, the request and the status', async () => {
    const { logger, infos } = recordingLogger();
    const rateLimited = Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '2' } });
    await assert.rejects(
      sendChatRequest(context({ logRequests: true, logResponses: true }, logger), { prompt: 'x' }, async () => {
        throw rateLimited;
      }),
      (error: unknown) =>
        error instanceof AiProviderError &&
        error.status === 429 &&
        error.isRetryable &&
        error.retryAfterMs === 2000 &&
        /^acme: chat with model 'm1' failed with HTTP 429/.test(error.message),
    );
    // The request was logged; there is no response to log.
    assert.deepEqual(infos, ['request: {"prompt":"x"}']);
  });
});
