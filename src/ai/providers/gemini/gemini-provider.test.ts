import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { embedMany } from '../../embed-many.ts';
import { AiProviderError } from '../../errors.ts';
import { generateText } from '../../generate-text.ts';
import { errorWireCases } from '../testing/error-wire-cases.ts';
import { requestsArrived, startProviderWireHarness } from '../testing/provider-wire-harness.ts';
import type { RecordedRequest, WireReply } from '../testing/wire-server.ts';

const wire = await startProviderWireHarness();
const config = {
  type: 'io.kestra.plugin.ai.provider.GoogleGemini',
  apiKey: 'gemini-key',
  modelName: 'gemini-embedding-001',
  baseUrl: wire.url,
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
    const seen = wire.answer(embedReply);
    const model = await wire.embeddingModel(config);
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
    const seen = wire.answer(chatReply);
    const model = await wire.chatModel({ ...config, modelName: 'gemini-2.5-flash' });
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
    const seen = wire.answer(() => ({ hang: true }));
    const model = await wire.embeddingModel({ ...config, embeddingModelConfiguration: { timeout: 'PT0.05S' } });
    await assert.rejects(
      embedMany(model, ['x'], { signal: new AbortController().signal, retry: { maxAttempts: 2, initialDelayMs: 1 } }),
      (error: unknown) =>
        error instanceof AiProviderError && /2 attempts.*timed out after PT0\.05S/.test(error.message),
    );
    await requestsArrived(seen, 2);
  });

  errorWireCases({
    provider: 'Gemini',
    wire,
    success: embedReply,
    errorBody: (message) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }),
    call: async (signal, retry) => embedMany(await wire.embeddingModel(config), ['x', 'y'], { signal, retry }),
  });
});
