import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { embedMany } from '../../embed-many.ts';
import { generateText } from '../../generate-text.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { startProviderWireHarness } from '../testing/provider-wire-harness.ts';
import type { RecordedRequest, WireReply } from '../testing/wire-server.ts';

const wire = await startProviderWireHarness();
const config = {
  type: 'io.kestra.plugin.ai.provider.MistralAI',
  apiKey: 'mistral-key',
  modelName: 'mistral-embed',
  baseUrl: wire.url,
};

const embedReply = (request: RecordedRequest): WireReply => ({
  json: {
    id: 'e1',
    object: 'list',
    model: 'mistral-embed',
    usage: { prompt_tokens: 5, total_tokens: 5, completion_tokens: 0 },
    data: (request.body as { input: string[] }).input
      .map((text, index) => ({ object: 'embedding', index, embedding: [text.length, 0.25] }))
      .reverse(),
  },
});

describe('Mistral provider wire-format', () => {
  test('embeddings: POST /v1/embeddings with bearer key, model and input; vectors in input order', async () => {
    const seen = wire.answer(embedReply);
    const model = await wire.embeddingModel(config);
    const result = await embedMany(model, ['ab', 'c'], { signal: new AbortController().signal });
    assert.equal(seen[0]!.url, '/v1/embeddings');
    assert.equal(seen[0]!.headers.authorization, 'Bearer mistral-key');
    assert.deepEqual(seen[0]!.body, { model: 'mistral-embed', input: ['ab', 'c'] });
    assert.deepEqual(
      result.embeddings.map((vector) => [...vector]),
      [
        [2, 0.25],
        [1, 0.25],
      ],
    );
  });

  test('chat: POST /v1/chat/completions with random_seed and max_tokens', async () => {
    const seen = wire.answer(() => ({
      json: {
        id: 'c1',
        object: 'chat.completion',
        model: 'mistral-small-latest',
        created: 1,
        usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
        choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' }],
      },
    }));
    const model = await wire.chatModel({ ...config, modelName: 'mistral-small-latest' });
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'French only.' },
        { type: 'USER', content: 'Hello' },
      ],
      configuration: { seed: 42, maxToken: 30, temperature: 0.1 },
      signal: new AbortController().signal,
    });
    const body = seen[0]!.body as Record<string, unknown>;
    assert.equal(seen[0]!.url, '/v1/chat/completions');
    assert.equal(body.model, 'mistral-small-latest');
    assert.equal(body.random_seed, 42);
    assert.equal(body.max_tokens, 30);
    assert.equal(body.temperature, 0.1);
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'French only.' },
      { role: 'user', content: 'Hello' },
    ]);
    assert.equal(result.text, 'Bonjour');
    assert.equal(result.finishReason, 'STOP');
    assert.deepEqual(result.usage, { inputTokens: 8, outputTokens: 2, totalTokens: 10 });
  });

  test('topK is rejected, as in the reference', async () => {
    const model = await wire.chatModel({ ...config, modelName: 'mistral-small-latest' });
    await assert.rejects(
      generateText(model, {
        messages: [{ type: 'USER', content: 'x' }],
        configuration: { topK: 2 },
        signal: new AbortController().signal,
      }),
      /MistralAI does not support configuration\.topK/,
    );
  });

  errorWireCases({
    provider: 'Mistral',
    wire,
    success: embedReply,
    errorBody: (message) => ({ object: 'error', message, type: 'invalid_request_error' }),
    call: async (signal, retry) => embedMany(await wire.embeddingModel(config), ['x'], { signal, retry }),
  });
});
