import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnsupportedFeatureError } from '../../errors.ts';
import { generateText } from '../../generate-text.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { startProviderWireHarness } from '../testing/provider-wire-harness.ts';
import type { WireReply } from '../testing/wire-server.ts';

const wire = await startProviderWireHarness();
const config = {
  type: 'io.kestra.plugin.ai.provider.Anthropic',
  apiKey: 'sk-ant-test',
  modelName: 'claude-3-5-haiku-latest',
  baseUrl: wire.url,
  maxTokens: 300,
};
const success = (): WireReply => ({
  json: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-3-5-haiku-latest',
    content: [
      { type: 'text', text: 'Hello ' },
      { type: 'text', text: 'there.' },
    ],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 4 },
  },
});

describe('Anthropic provider wire-format', () => {
  test('POST /v1/messages with the key, version header, system apart and maxTokens', async () => {
    const seen = wire.answer(success);
    const model = await wire.chatModel(config);
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'Be kind.' },
        { type: 'USER', content: 'Hi' },
        { type: 'AI', content: 'Yes?' },
        { type: 'USER', content: 'Greet me' },
      ],
      configuration: { temperature: 0.3, topK: 5 },
      signal: new AbortController().signal,
    });
    const request = seen[0]!;
    assert.equal(request.url, '/v1/messages');
    // The client sends the key as x-api-key (older API versions) or as a bearer token (newer).
    assert.ok(request.headers['x-api-key'] === 'sk-ant-test' || request.headers.authorization === 'Bearer sk-ant-test');
    assert.ok(request.headers['anthropic-version']);
    assert.deepEqual(request.body, {
      model: 'claude-3-5-haiku-latest',
      max_tokens: 300,
      system: 'Be kind.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Yes?' },
        { role: 'user', content: 'Greet me' },
      ],
      temperature: 0.3,
      top_k: 5,
    });
    assert.equal(result.text, 'Hello there.');
    assert.equal(result.finishReason, 'STOP');
    assert.deepEqual(result.usage, { inputTokens: 12, outputTokens: 4, totalTokens: 16 });
  });

  test('seed is rejected, as in the reference', async () => {
    const model = await wire.chatModel(config);
    await assert.rejects(
      generateText(model, {
        messages: [{ type: 'USER', content: 'x' }],
        configuration: { seed: 1 },
        signal: new AbortController().signal,
      }),
      /Anthropic does not support configuration\.seed/,
    );
  });

  test('asking Anthropic for embeddings says to set another embeddingProvider', async () => {
    await assert.rejects(
      wire.embeddingModel(config),
      (error: unknown) =>
        error instanceof UnsupportedFeatureError && /has no embedding model; set embeddingProvider/.test(error.message),
    );
  });

  errorWireCases({
    provider: 'Anthropic',
    wire,
    success,
    errorBody: (message) => ({ type: 'error', error: { type: 'api_error', message } }),
    call: async (signal, retry) =>
      generateText(await wire.chatModel(config), {
        messages: [{ type: 'USER', content: 'x' }],
        signal,
        retry,
      }),
  });
});
