import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { embedMany } from '../../embed-many.ts';
import { generateText } from '../../generate-text.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { startProviderWireHarness } from '../testing/provider-wire-harness.ts';
import type { RecordedRequest, WireReply } from '../testing/wire-server.ts';

const wire = await startProviderWireHarness();
const config = { type: 'io.kestra.plugin.ai.provider.Ollama', endpoint: wire.url, modelName: 'nomic-embed-text' };

const embedReply = (request: RecordedRequest): WireReply => ({
  json: {
    model: 'nomic-embed-text',
    embeddings: (request.body as { input: string[] }).input.map((text) => [text.length, 1]),
    prompt_eval_count: 6,
  },
});
const chatReply = (): WireReply => ({
  json: {
    model: 'llama3.2',
    created_at: '2026-01-01T00:00:00Z',
    message: { role: 'assistant', content: 'Hi from Ollama' },
    done: true,
    done_reason: 'length',
    prompt_eval_count: 9,
    eval_count: 4,
  },
});

describe('Ollama provider wire-format', () => {
  test('embeddings: POST /api/embed with model and input list', async () => {
    const seen = wire.answer(embedReply);
    const model = await wire.embeddingModel(config);
    const result = await embedMany(model, ['x', 'yy'], { signal: new AbortController().signal });
    assert.equal(seen[0]!.url, '/api/embed');
    assert.deepEqual(seen[0]!.body, { model: 'nomic-embed-text', input: ['x', 'yy'] });
    assert.deepEqual(
      result.embeddings.map((vector) => [...vector]),
      [
        [1, 1],
        [2, 1],
      ],
    );
    assert.equal(result.usage.inputTokens, 6);
  });

  test('chat: POST /api/chat, not streamed, knobs in options, JSON format', async () => {
    const seen = wire.answer(chatReply);
    const model = await wire.chatModel({ ...config, modelName: 'llama3.2' });
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'Short answers.' },
        { type: 'USER', content: 'Hello' },
      ],
      configuration: { temperature: 0, topK: 10, maxToken: 20, responseFormat: { type: 'JSON' } },
      signal: new AbortController().signal,
    });
    assert.equal(seen[0]!.url, '/api/chat');
    assert.deepEqual(seen[0]!.body, {
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Short answers.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: false,
      options: { temperature: 0, top_k: 10, num_predict: 20 },
      format: 'json',
    });
    assert.equal(result.text, 'Hi from Ollama');
    assert.equal(result.finishReason, 'LENGTH');
    assert.deepEqual(result.usage, { inputTokens: 9, outputTokens: 4, totalTokens: 13 });
  });

  test('an unreachable server is a retryable connection error naming the endpoint', async () => {
    const model = await wire.embeddingModel({ ...config, endpoint: 'http://127.0.0.1:1' });
    await assert.rejects(
      embedMany(model, ['x'], { signal: new AbortController().signal, retry: { maxAttempts: 2, initialDelayMs: 1 } }),
      /still failing after 2 attempts.*127\.0\.0\.1:1/,
    );
  });

  errorWireCases({
    provider: 'Ollama',
    wire,
    success: embedReply,
    errorBody: (message) => ({ error: message }),
    call: async (signal, retry) => embedMany(await wire.embeddingModel(config), ['x'], { signal, retry }),
  });
});
