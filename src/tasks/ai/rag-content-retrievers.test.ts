import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { memoryPlugins } from '../../ai/memory/index.ts';
import { startWireServer } from '../../ai/providers/testing/wire-server.ts';
import { retrieverPlugins } from '../../ai/retrievers/index.ts';
import { tavilyAnswer, tavilyApiKey, tavilyError } from '../../ai/retrievers/testing/web-search-replies.ts';
import { flowJsonSchema } from '../../flow/flow-json-schema.ts';
import { loadFlows } from '../../flow/load-flows.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { createDefaultRegistry } from '../../plugins.ts';
import { aiTaskPlugins } from './index.ts';
import { ingestDocumentTask } from './ingest-document-task.ts';
import { ragChatCompletionTask } from './rag-chat-completion-task.ts';
import { fakeCalls, fakeProvider, fakeStore, resetFakeCalls } from './testing/fake-ai-plugins.ts';
import { runTask, testRunContext } from './testing/task-context.ts';

const registry = new PluginRegistry().register(...aiTaskPlugins, fakeProvider, fakeStore, ...retrieverPlugins);
const provider = { type: 'io.windhover.test.FakeProvider' };
const TAVILY = 'io.kestra.plugin.ai.retriever.TavilyWebSearch';

// A Tavily wire-format server: the key `bad` is refused, any other gets one page.
const tavily = await startWireServer((request) =>
  tavilyApiKey(request) === 'bad'
    ? tavilyError(401, 'Unauthorized: missing or invalid API key.')
    : tavilyAnswer([
        { title: 'Kestra 1.3 released', url: 'https://kestra.io/blogs/1.3', content: 'Kestra 1.3 is out.', score: 0.9 },
      ]),
);
after(() => tavily.close());
beforeEach(() => resetFakeCalls());

async function ingest(name: string, documents: string[]) {
  const { ctx } = testRunContext({ registry });
  await runTask(ingestDocumentTask, ctx, {
    provider,
    embeddings: { type: 'io.windhover.test.MemoryStore', name },
    drop: true,
    fromDocuments: documents.map((content) => ({ content })),
  });
  return ctx;
}

describe('rag.ChatCompletion contentRetrievers', () => {
  test('neither embeddings nor contentRetrievers is an error naming both fixes, not retried', async () => {
    const { ctx } = testRunContext({ registry });
    await assert.rejects(
      runTask(ragChatCompletionTask, ctx, { chatProvider: provider, prompt: 'hi' }),
      (error: Error & { isRetryable?: boolean }) => {
        assert.match(error.message, /nothing to retrieve from; set `embeddings`.* or `contentRetrievers`/);
        assert.equal(error.isRetryable, false);
        return true;
      },
    );
    assert.equal(fakeCalls.chatRequests.length, 0);
  });

  test('wire-format: a web search alone answers without embeddings, its pages injected and listed as sources', async () => {
    const { ctx } = testRunContext({ registry });
    const result = await runTask(ragChatCompletionTask, ctx, {
      chatProvider: provider,
      contentRetrievers: [{ type: TAVILY, apiKey: 'tvly-key', baseUrl: tavily.url }],
      prompt: 'What is the latest release of Kestra?',
    });
    assert.equal(fakeCalls.embedCalls, 0);
    const sent = fakeCalls.chatRequests[0]!;
    assert.match(
      sent[0]!.content,
      /Answer using the following information:\n\[1\] Kestra 1\.3 released\nKestra 1\.3 is out\./,
    );
    const sources = result.sources as { metadata: Record<string, unknown>; id?: string }[];
    assert.deepEqual(sources[0]?.metadata, {
      retriever: 'TavilyWebSearch',
      url: 'https://kestra.io/blogs/1.3',
      title: 'Kestra 1.3 released',
    });
  });

  test('wire-format: embeddings come first, then each retriever in order; all are queried', async () => {
    const ctx = await ingest('main', ['Volumes keep container data between runs.']);
    await ingest('second', ['Volumes are mounted with the -v flag.']);
    const result = await runTask(ragChatCompletionTask, ctx, {
      chatProvider: provider,
      embeddings: { type: 'io.windhover.test.MemoryStore', name: 'main' },
      contentRetrievers: [
        {
          type: 'io.kestra.plugin.ai.retriever.EmbeddingStoreRetriever',
          embeddings: { type: 'io.windhover.test.MemoryStore', name: 'second' },
          embeddingProvider: provider,
          maxResults: 1,
        },
        { type: TAVILY, apiKey: 'tvly-key', baseUrl: tavily.url },
      ],
      prompt: 'how do volumes work',
    });
    const sources = result.sources as { content: string; metadata: Record<string, unknown> }[];
    assert.deepEqual(
      sources.map((source) => source.content),
      [
        'Volumes keep container data between runs.',
        'Volumes are mounted with the -v flag.',
        'Kestra 1.3 released\nKestra 1.3 is out.',
      ],
    );
    assert.equal(sources[0]?.metadata.retriever, undefined);
    assert.equal(sources[1]?.metadata.retriever, 'EmbeddingStoreRetriever');
    assert.equal(sources[2]?.metadata.retriever, 'TavilyWebSearch');
    assert.match(
      fakeCalls.chatRequests[0]![0]!.content,
      /\[1\] Volumes keep.*\n\n\[2\] Volumes are.*\n\n\[3\] Kestra 1\.3/s,
    );
  });

  test('wire-format: a failing retriever fails the task with its place in the flow and the reason', async () => {
    const { ctx } = testRunContext({ registry });
    await assert.rejects(
      runTask(ragChatCompletionTask, ctx, {
        chatProvider: provider,
        contentRetrievers: [
          { type: TAVILY, apiKey: 'tvly-key', baseUrl: tavily.url },
          { type: TAVILY, apiKey: 'bad', baseUrl: tavily.url },
        ],
        prompt: 'q',
      }),
      (error: Error & { isRetryable?: boolean }) => {
        assert.match(error.message, /^contentRetrievers\[1\]: TavilyWebSearch: web search failed with HTTP 401/);
        assert.equal(error.isRetryable, false);
        return true;
      },
    );
    assert.equal(fakeCalls.chatRequests.length, 0);
  });
});

describe('contentRetrievers in flows', () => {
  const defaults = createDefaultRegistry();
  const flow = (retriever: string) => `id: rag
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
      modelName: gpt-5-mini
    contentRetrievers:
${retriever}
    prompt: What is new?
`;

  test('validate with legacy names; a wrong property is reported under its path', () => {
    const ok = loadFlows(
      flow(
        `      - type: io.kestra.plugin.langchain4j.retriever.TavilyWebSearch\n        apiKey: "{{ secret('TAVILY_API_KEY') }}"`,
      ),
      defaults,
    );
    assert.ok(ok.ok, ok.ok ? '' : JSON.stringify(ok.violations));
    const bad = loadFlows(
      flow(`      - type: io.kestra.plugin.ai.retriever.GoogleCustomWebSearch\n        apiKey: k\n        cx: c`),
      defaults,
    );
    assert.equal(bad.ok, false);
    const paths = bad.ok ? [] : bad.violations.map((violation) => `${violation.path}: ${violation.message}`);
    assert.ok(
      paths.some((line) => /tasks\[0\]\.contentRetrievers\[0\]\.(csi|cx)/.test(line)),
      paths.join('\n'),
    );
  });

  test('every example of the retriever and memory plugins validates', () => {
    for (const plugin of [...retrieverPlugins, ...memoryPlugins]) {
      assert.ok(plugin.examples?.length, `${plugin.type} has an example`);
      for (const example of plugin.examples ?? []) {
        const result = loadFlows(example.code, defaults);
        assert.ok(result.ok, `${plugin.type}: ${result.ok ? '' : JSON.stringify(result.violations)}`);
      }
    }
  });

  test('SqlDatabaseRetriever is an unsupported type', () => {
    const result = loadFlows(
      flow(`      - type: io.kestra.plugin.ai.retriever.SqlDatabaseRetriever\n        databaseType: POSTGRESQL`),
      defaults,
    );
    assert.equal(result.ok, false);
    const messages = result.ok ? [] : result.violations.map((violation) => violation.message);
    assert.deepEqual(messages, [
      "unsupported type 'io.kestra.plugin.ai.retriever.SqlDatabaseRetriever': Windhover does not implement it yet",
    ]);
  });

  test('the flow JSON Schema lists the retrievers and their properties for completion', () => {
    const defs = flowJsonSchema(defaults).$defs as Record<string, { anyOf?: { $ref: string }[]; properties?: object }>;
    const refs = (defs.retriever?.anyOf ?? []).map((entry) => entry.$ref);
    for (const name of ['EmbeddingStoreRetriever', 'TavilyWebSearch', 'GoogleCustomWebSearch']) {
      assert.ok(refs.includes(`#/$defs/io.kestra.plugin.ai.retriever.${name}`), name);
    }
    assert.deepEqual(
      Object.keys(defs['io.kestra.plugin.ai.retriever.GoogleCustomWebSearch']?.properties ?? {}).sort(),
      ['apiKey', 'baseUrl', 'csi', 'maxResults', 'type'],
    );
    const chat = defs['io.kestra.plugin.ai.rag.ChatCompletion']?.properties as Record<string, unknown>;
    const property = chat.contentRetrievers as { type: string; items: { $ref: string } };
    assert.equal(property.type, 'array');
    assert.equal(property.items.$ref, '#/$defs/retriever');
  });
});
