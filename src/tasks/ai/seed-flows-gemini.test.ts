import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { providerPlugins } from '../../ai/providers/index.ts';
import { type RecordedRequest, startWireServer, type WireReply } from '../../ai/providers/testing/wire-server.ts';
import { storePlugins } from '../../ai/stores/index.ts';
import type { AnyPluginDefinition, TaskDefinition } from '../../plugin/define-plugin.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { aiTaskPlugins } from './index.ts';
import { runTask, testRunContext } from './testing/task-context.ts';

// The seed flows, verbatim; the test only points the provider (baseUrl) and the document URL at a
// local server that speaks Gemini's wire format, and resolves the secret.
const SEED_INGEST = `id: rag_ingestion_pipeline
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    drop: true
    documentSplitter:
      splitter: PARAGRAPH
      maxSegmentSizeInChars: 4096
      maxOverlapSizeInChars: 200
    fromExternalURLs:
      - https://raw.githubusercontent.com/kestra-io/docs/refs/heads/main/src/contents/blogs/release-1-1/index.md
`;
const SEED_ASK = `id: rag_pipeline
namespace: company.ai
inputs:
  - id: question
    type: STRING
tasks:
  - id: chat_with_rag
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddingProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    systemMessage: |
      You are a helpful assistant. Use the provided documentation to give
      accurate, specific answers. If the context doesn't contain the answer, say so.
    prompt: "{{ inputs.question }}"
`;

const BLOG = [
  '# Kestra 1.1 release',
  'Kestra 1.1 brings new AI agents that can call flows as tools.',
  'The release also adds a no-code editor for apps and improved plugin defaults.',
  'Filters in the UI were redesigned so executions are easier to find.',
].join('\n\n');

const WORDS = ['agent', 'flow', 'tool', 'editor', 'app', 'plugin', 'filter', 'execution', 'release', 'ui'];
function vectorOf(text: string): number[] {
  const lower = text.toLowerCase();
  return WORDS.map((word) => (lower.includes(word) ? 1 : 0.01));
}

const requests: RecordedRequest[] = [];
const server = await startWireServer((request): WireReply => {
  requests.push(request);
  if (request.method === 'GET' && request.url.endsWith('/blog/release-1-1.md')) {
    return { headers: { 'content-type': 'text/markdown' }, text: BLOG };
  }
  if (request.url.includes(':batchEmbedContents')) {
    const body = request.body as { requests: { content: { parts: { text: string }[] } }[] };
    return { json: { embeddings: body.requests.map((item) => ({ values: vectorOf(item.content.parts[0]!.text) })) } };
  }
  if (request.url.includes(':embedContent')) {
    const body = request.body as { content: { parts: { text: string }[] } };
    return { json: { embedding: { values: vectorOf(body.content.parts[0]!.text) } } };
  }
  if (request.url.includes(':generateContent')) {
    return {
      json: {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'AI agents can call flows as tools [1].' }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 9, totalTokenCount: 129 },
      },
    };
  }
  return { status: 404, json: { error: { code: 404, message: `no route ${request.url}` } } };
});
after(() => server.close());

const registry = new PluginRegistry().register(
  ...aiTaskPlugins,
  ...(providerPlugins as AnyPluginDefinition[]),
  ...(storePlugins as AnyPluginDefinition[]),
);

/** The seed's first task with the secret resolved and every Gemini provider pointed at the test server. */
function seedTask(yaml: string, question = '') {
  const resolved = yaml
    .replaceAll("{{ secret('GEMINI_API_KEY') }}", 'test-gemini-key')
    .replace(/https:\/\/raw\.githubusercontent\.com\S+/, `${server.url}/blog/release-1-1.md`)
    .replace('"{{ inputs.question }}"', JSON.stringify(question))
    .replace(
      /(\n\s+)type: io\.kestra\.plugin\.ai\.provider\.GoogleGemini/g,
      `$1type: io.kestra.plugin.ai.provider.GoogleGemini$1baseUrl: ${server.url}`,
    );
  const flow = parse(resolved) as { tasks: Record<string, unknown>[] };
  const { id: _id, type, ...props } = flow.tasks[0]!;
  const definition = registry.get(String(type)) as TaskDefinition;
  return { definition, props };
}

describe('seed flows against a Gemini wire-format server', () => {
  const harness = testRunContext({ registry });
  after(() => harness.close());

  test('rag_ingestion_pipeline ingests the release post and rag_pipeline answers from it with sources', async () => {
    const ingest = seedTask(SEED_INGEST);
    const ingested = await runTask(ingest.definition, harness.ctx, ingest.props);
    assert.equal(ingested.ingestedDocuments, 1);
    assert.equal(ingested.documentsAdded, 1);
    assert.ok(Number(ingested.chunksWritten) >= 1);
    const embedRequest = requests.find((request) => request.url.includes('gemini-embedding-001'));
    assert.equal(embedRequest?.headers['x-goog-api-key'], 'test-gemini-key');

    const ask = seedTask(SEED_ASK, 'What can AI agents do in Kestra 1.1?');
    const answer = await runTask(ask.definition, harness.ctx, ask.props);
    assert.equal(answer.textOutput, 'AI agents can call flows as tools [1].');
    assert.deepEqual(answer.tokenUsage, { inputTokenCount: 120, outputTokenCount: 9, totalTokenCount: 129 });
    const sources = answer.sources as { content: string; metadata: Record<string, unknown> }[];
    assert.ok(sources.length >= 1);
    assert.match(sources[0]!.content, /AI agents/);
    assert.equal(sources[0]!.metadata.url, `${server.url}/blog/release-1-1.md`);

    const chat = requests.find((request) => request.url.includes(':generateContent'));
    const sent = JSON.stringify(chat?.body);
    assert.match(sent, /You are a helpful assistant/);
    assert.match(sent, /What can AI agents do in Kestra 1\.1\?\\n\\nAnswer using the following information:\\n\[1\]/);

    // drop: true in the seed wipes and re-ingests: still one copy of each chunk.
    const again = await runTask(ingest.definition, harness.ctx, ingest.props);
    assert.equal(
      again.embeddingStoreOutputs && (again.embeddingStoreOutputs as { chunks: number }).chunks,
      ingested.chunksWritten,
    );
  });
});
