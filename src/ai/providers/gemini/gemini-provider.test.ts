import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { PluginRegistry } from '../../../plugin/plugin-registry.ts';
import { embedMany } from '../../embed-many.ts';
import { AiProviderError } from '../../errors.ts';
import { generateText } from '../../generate-text.ts';
import { providerPlugins } from '../index.ts';
import { createChatModel, createEmbeddingModel } from '../provider-plugin.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { type RecordedRequest, startWireServer, testProviderContext, type WireReply } from '../testing/wire-server.ts';

const registry = new PluginRegistry().register(...providerPlugins);
const context = testProviderContext();
let respond: (request: RecordedRequest) => WireReply = () => ({ status: 500 });
const server = await startWireServer((request) => respond(request));
after(() => server.close());
const config = {
  type: 'io.kestra.plugin.ai.provider.GoogleGemini',
  apiKey: 'gemini-key',
  modelName: 'gemini-embedding-001',
  baseUrl: server.url,
  embeddingModelConfiguration: { taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 3 },
};

/** Answers both `:embedContent` (one text) and `:batchEmbedContents` (several). */
function embedReply(request: RecordedRequest): WireReply {
  const body = request.body as {
    requests?: { content: { parts: { text: string }[] } }[];
    content?: { parts: { text: string }[] };
  };
  const texts = body.requests
    ? body.requests.map((item) => item.content.parts[0]!.text)
    : [body.content?.parts[0]?.text ?? ''];
  const vectors = texts.map((text) => ({ values: [text.length, 0, 1] }));
  return { json: body.requests ? { embeddings: vectors } : { embedding: vectors[0] } };
}

const chatReply = (): WireReply => ({
  json: {
    candidates: [
      {
        content: { role: 'model', parts: [{ text: 'Paris' }, { text: ' is the capital.' }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  },
});

describe('Google Gemini provider wire-format', () => {
  test('embeddings: batchEmbedContents with the key header, task type and output dimensionality', async () => {
    const seen: RecordedRequest[] = [];
    respond = (request) => {
      seen.push(request);
      return embedReply(request);
    };
    const model = await createEmbeddingModel(registry, config, context);
    const result = await embedMany(model, ['one', 'three'], { signal: new AbortController().signal });
    const request = seen[0]!;
    assert.match(request.url, /\/models\/gemini-embedding-001:batchEmbedContents$/);
    assert.equal(request.headers['x-goog-api-key'], 'gemini-key');
    const body = request.body as { requests: Record<string, unknown>[] };
    assert.equal(body.requests.length, 2);
    assert.deepEqual(body.requests[0]!.content, { parts: [{ text: 'one' }], role: 'user' });
    assert.equal(body.requests[0]!.taskType, 'RETRIEVAL_DOCUMENT');
    assert.equal(body.requests[0]!.outputDimensionality, 3);
    assert.deepEqual(
      result.embeddings.map((vector) => [...vector]),
      [
        [3, 0, 1],
        [5, 0, 1],
      ],
    );
  });

  test('chat: generateContent with system instruction apart, model role for AI turns, and knobs', async () => {
    const seen: RecordedRequest[] = [];
    respond = (request) => {
      seen.push(request);
      return chatReply();
    };
    const model = await createChatModel(registry, { ...config, modelName: 'gemini-2.5-flash' }, context);
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'Be factual.' },
        { type: 'USER', content: 'Capital of France?' },
        { type: 'AI', content: 'Which France?' },
        { type: 'USER', content: 'The country.' },
      ],
      configuration: { temperature: 0, topK: 4, maxToken: 64, seed: 3 },
      signal: new AbortController().signal,
    });
    const request = seen[0]!;
    assert.match(request.url, /\/models\/gemini-2\.5-flash:generateContent$/);
    assert.equal(request.headers['x-goog-api-key'], 'gemini-key');
    const body = request.body as Record<string, unknown>;
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'Capital of France?' }] },
      { role: 'model', parts: [{ text: 'Which France?' }] },
      { role: 'user', parts: [{ text: 'The country.' }] },
    ]);
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be factual.' }], role: 'user' });
    assert.deepEqual(body.generationConfig, { temperature: 0, topK: 4, maxOutputTokens: 64, seed: 3 });
    assert.equal(result.text, 'Paris is the capital.');
    assert.equal(result.finishReason, 'STOP');
    assert.deepEqual(result.usage, { inputTokens: 10, outputTokens: 5, totalTokens: 15 });
  });

  test('a per-request timeout from embeddingModelConfiguration is a retryable timeout', async () => {
    respond = () => ({ hang: true });
    const model = await createEmbeddingModel(
      registry,
      { ...config, embeddingModelConfiguration: { timeout: 'PT0.05S' } },
      context,
    );
    await assert.rejects(
      embedMany(model, ['x'], { signal: new AbortController().signal, retry: { maxAttempts: 2, initialDelayMs: 1 } }),
      (error: unknown) =>
        error instanceof AiProviderError && /2 attempts.*timed out after PT0\.05S/.test(error.message),
    );
  });

  errorWireCases({
    provider: 'Gemini',
    setReply: (reply) => {
      respond = reply;
    },
    success: embedReply,
    errorBody: (message) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }),
    call: async (signal, retry) =>
      embedMany(await createEmbeddingModel(registry, config, context), ['x', 'y'], { signal, retry }),
  });
});
