import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { embedMany } from '../../embed-many.ts';
import { MissingApiKeyError, RetriesExhaustedError } from '../../errors.ts';
import { generateText } from '../../generate-text.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { startProviderWireHarness } from '../testing/provider-wire-harness.ts';
import { FAST_RETRY, type RecordedRequest, type WireReply } from '../testing/wire-server.ts';

const wire = await startProviderWireHarness();
const config = {
  type: 'io.kestra.plugin.ai.provider.OpenAI',
  apiKey: 'sk-test-123',
  modelName: 'text-embedding-3-small',
  baseUrl: `${wire.url}/v1`,
};
const signal = () => new AbortController().signal;

function embeddingsReply(request: RecordedRequest): WireReply {
  const input = (request.body as { input: string[] }).input;
  // Out of order on purpose: the API gives an index per item.
  const data = input
    .map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index, 0.5] }))
    .reverse();
  return {
    json: { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 7, total_tokens: 7 } },
  };
}

/** A chat completion in OpenAI's format: one choice with `content`. */
function completionReply(
  content: string,
  fields: { model?: string; finishReason?: string; usage?: Record<string, number> } = {},
): WireReply {
  const { model = 'gpt-4o-mini', finishReason = 'stop', usage } = fields;
  return {
    json: {
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
      ...(usage ? { usage } : {}),
    },
  };
}

describe('OpenAI provider wire-format', () => {
  test('embeddings: POST /v1/embeddings with bearer key, model and inputs; vectors in input order', async () => {
    const seen = wire.answer(embeddingsReply);
    const model = await wire.embeddingModel(config);
    const result = await embedMany(model, ['a', 'bb', 'ccc'], { signal: signal() });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/v1/embeddings');
    assert.equal(seen[0]!.headers.authorization, 'Bearer sk-test-123');
    assert.deepEqual(seen[0]!.body, {
      model: 'text-embedding-3-small',
      input: ['a', 'bb', 'ccc'],
      encoding_format: 'float',
    });
    assert.deepEqual(
      result.embeddings.map((vector) => [...vector]),
      [
        [1, 0, 0.5],
        [2, 1, 0.5],
        [3, 2, 0.5],
      ],
    );
    assert.equal(result.usage.inputTokens, 7);
  });

  test('chat: POST /v1/chat/completions with roles, max_completion_tokens and a JSON schema format', async () => {
    const seen = wire.answer(() =>
      completionReply('{"ok":true}', { usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } }),
    );
    const model = await wire.chatModel({ ...config, modelName: 'gpt-4o-mini' });
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'Be brief.' },
        { type: 'USER', content: 'Hi' },
        { type: 'AI', content: 'Hello' },
        { type: 'USER', content: 'JSON please' },
      ],
      configuration: {
        temperature: 0.2,
        maxToken: 50,
        seed: 7,
        responseFormat: { type: 'JSON', jsonSchema: { type: 'object' }, strictJson: true },
      },
      signal: signal(),
    });
    assert.equal(seen[0]!.url, '/v1/chat/completions');
    assert.equal(seen[0]!.headers.authorization, 'Bearer sk-test-123');
    const body = seen[0]!.body as Record<string, unknown>;
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'JSON please' },
    ]);
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.seed, 7);
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'response', schema: { type: 'object' }, strict: true },
    });
    assert.equal(result.text, '{"ok":true}');
    assert.equal(result.finishReason, 'STOP');
    assert.deepEqual(result.usage, { inputTokens: 11, outputTokens: 3, totalTokens: 14 });
  });

  test('logRequests and logResponses log the exchange at INFO', async () => {
    wire.answer(() => completionReply('logged answer'));
    const infos: string[] = [];
    const { context } = wire;
    const logging = { ...context, logger: { ...context.logger, info: (message: string) => infos.push(message) } };
    const model = await wire.chatModel({ ...config, modelName: 'gpt-4o-mini' }, logging);
    await generateText(model, {
      messages: [{ type: 'USER', content: 'log me' }],
      configuration: { logRequests: true, logResponses: true },
      signal: signal(),
    });
    assert.equal(infos.length, 2);
    assert.match(infos[0]!, /^request: .*log me/);
    assert.match(infos[1]!, /^response: .*logged answer/);
  });

  test('topK is rejected with an error naming the property', async () => {
    const model = await wire.chatModel({ ...config, modelName: 'gpt-4o-mini' });
    await assert.rejects(
      generateText(model, { messages: [{ type: 'USER', content: 'x' }], configuration: { topK: 3 }, signal: signal() }),
      /OpenAI does not support configuration\.topK/,
    );
  });

  test('a missing apiKey names the property and the secret to set', async () => {
    const { apiKey: _omit, baseUrl: _base, ...withoutKey } = config;
    await assert.rejects(
      wire.embeddingModel(withoutKey),
      (error: unknown) =>
        error instanceof MissingApiKeyError && /'apiKey'/.test(error.message) && /OPENAI_API_KEY/.test(error.message),
    );
  });

  test('429 with Retry-After is retried, then succeeds', async () => {
    const seen = wire.answer((request, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '0.05' }, json: { error: { message: 'Rate limit reached' } } }
        : embeddingsReply(request),
    );
    const model = await wire.embeddingModel(config);
    const result = await embedMany(model, ['a'], { signal: signal(), retry: FAST_RETRY });
    assert.equal(result.calls, 2);
    assert.equal(seen.length, 2);
    assert.equal(result.embeddings.length, 1);
  });

  test('a Retry-After longer than the retry budget ends the retries at once, saying so', async () => {
    const seen = wire.answer(() => ({
      status: 429,
      headers: { 'retry-after': '3600' },
      json: { error: { message: 'Rate limit reached' } },
    }));
    const model = await wire.embeddingModel(config);
    await assert.rejects(
      embedMany(model, ['a'], { signal: signal(), retry: { ...FAST_RETRY, maxTotalMs: 10_000 } }),
      /next wait of 3600 s would pass the 10 s budget/,
    );
    assert.equal(seen.length, 1);
  });

  test('429 forever ends after the bounded attempts with a clear error', async () => {
    wire.answer(() => ({ status: 429, json: { error: { message: 'Rate limit reached' } } }));
    const model = await wire.embeddingModel(config);
    await assert.rejects(
      embedMany(model, ['a'], { signal: signal(), retry: FAST_RETRY }),
      (error: unknown) =>
        error instanceof RetriesExhaustedError &&
        error.attempts === 3 &&
        error.status === 429 &&
        /openai/.test(error.message),
    );
  });
});

// 401, 500, malformed JSON and a hanging server, for both endpoints (the shared failure cases).
describe('OpenAI embeddings wire-format failures', () => {
  errorWireCases({
    provider: 'OpenAI embeddings',
    wire,
    success: embeddingsReply,
    errorBody: (message) => ({ error: { message, type: 'invalid_request_error' } }),
    call: async (signal, retry) => embedMany(await wire.embeddingModel(config), ['a'], { signal, retry }),
  });
});

describe('OpenAI chat wire-format failures', () => {
  errorWireCases({
    provider: 'OpenAI chat',
    wire,
    success: () => completionReply('ok'),
    errorBody: (message) => ({ error: { message, type: 'server_error' } }),
    call: async (signal, retry) =>
      generateText(await wire.chatModel({ ...config, modelName: 'gpt-4o-mini' }), {
        messages: [{ type: 'USER', content: 'x' }],
        signal,
        retry,
      }),
  });
});

describe('OpenAI-compatible providers wire-format', () => {
  test('LocalAI: chat against its baseUrl with no key', async () => {
    const seen = wire.answer(() => completionReply('local hi', { model: 'phi', finishReason: 'length' }));
    const model = await wire.chatModel({
      type: 'io.kestra.plugin.ai.provider.LocalAI',
      baseUrl: `${wire.url}/v1`,
      modelName: 'phi',
    });
    const result = await generateText(model, { messages: [{ type: 'USER', content: 'hi' }], signal: signal() });
    assert.equal(seen[0]!.url, '/v1/chat/completions');
    assert.equal(result.text, 'local hi');
    assert.equal(result.finishReason, 'LENGTH');
    assert.equal(model.provider, 'localai');
  });

  test('LocalAI without baseUrl is an invalid-property error naming provider.baseUrl', async () => {
    await assert.rejects(
      wire.chatModel({ type: 'io.kestra.plugin.ai.provider.LocalAI', modelName: 'phi' }),
      /provider\.baseUrl/,
    );
  });

  test('DeepSeek has no embeddings: the error says to set another embeddingProvider', async () => {
    await assert.rejects(
      wire.embeddingModel({ type: 'io.kestra.plugin.ai.provider.DeepSeek', apiKey: 'k', modelName: 'deepseek-chat' }),
      /has no embedding model; set embeddingProvider/,
    );
  });

  test('OpenRouter embeddings go to the given baseUrl with the bearer key', async () => {
    const seen = wire.answer(embeddingsReply);
    const model = await wire.embeddingModel({
      type: 'io.kestra.plugin.ai.provider.OpenRouter',
      apiKey: 'or-key',
      baseUrl: `${wire.url}/api/v1`,
      modelName: 'e',
    });
    await embedMany(model, ['q'], { signal: signal() });
    assert.equal(seen[0]!.url, '/api/v1/embeddings');
    assert.equal(seen[0]!.headers.authorization, 'Bearer or-key');
  });
});
