import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { chatCompletionTask } from './chat-completion-task.ts';
import { aiTaskPlugins } from './index.ts';
import { ingestDocumentTask } from './ingest-document-task.ts';
import { ragChatCompletionTask } from './rag-chat-completion-task.ts';
import { searchTask } from './search-task.ts';
import { fakeCalls, fakeProvider, fakeStore, fakeStoreNamed, resetFakeCalls } from './testing/fake-ai-plugins.ts';
import { runTask, testRunContext } from './testing/task-context.ts';

const registry = new PluginRegistry().register(...aiTaskPlugins, fakeProvider, fakeStore);
const provider = { type: 'io.windhover.test.FakeProvider' };
const splitter = { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 40, maxOverlapSizeInChars: 0 };

function docsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-docs-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const pages = {
  'flows.md': '# Flows\n\nA flow is a YAML file with an id, a namespace and tasks.\n\nFlows run tasks in order.',
  'triggers.md': '# Triggers\n\nA Schedule trigger starts a flow on a cron expression such as 0 3 * * *.',
  'stores.md': '# Stores\n\nThe embedded store keeps vectors in SQLite next to a BM25 index.',
};

beforeEach(() => resetFakeCalls());

describe('rag.IngestDocument', () => {
  test('ingests a folder, skips it unchanged with zero embedding calls, re-embeds only a changed file', async () => {
    const dir = docsFolder(pages);
    const { ctx } = testRunContext({ registry, workingDirectory: dir });
    const embeddings = { type: 'io.windhover.test.MemoryStore', name: 'folder' };
    const props = { provider, embeddings, fromPath: '.', documentSplitter: splitter };
    const first = await runTask(ingestDocumentTask, ctx, props);
    assert.equal(first.documentsAdded, 3);
    assert.equal(first.ingestedDocuments, 3);
    assert.ok(Number(first.chunksWritten) >= 6);
    const store = fakeStoreNamed('folder')!;
    const snapshot = JSON.stringify([...store.chunks.keys()].sort());

    resetFakeCalls();
    const second = await runTask(ingestDocumentTask, ctx, props);
    assert.equal(fakeCalls.embedCalls, 0);
    assert.equal(second.embeddingCalls, 0);
    assert.equal(second.documentsUnchanged, 3);
    assert.equal(JSON.stringify([...store.chunks.keys()].sort()), snapshot);

    writeFileSync(join(dir, 'triggers.md'), '# Triggers\n\nA Schedule trigger runs nightly.');
    resetFakeCalls();
    const third = await runTask(ingestDocumentTask, ctx, props);
    assert.equal(third.documentsUpdated, 1);
    assert.equal(third.documentsUnchanged, 2);
    const triggerChunks = [...store.chunks.values()].filter((chunk) => chunk.metadata.path === 'triggers.md');
    assert.deepEqual(
      triggerChunks.map((chunk) => chunk.text),
      ['# Triggers', 'A Schedule trigger runs nightly.'],
    );
    // Only the new paragraph needed a vector: "# Triggers" came from the embedding cache.
    assert.equal(fakeCalls.embeddedTexts, 1);

    rmSync(join(dir, 'stores.md'));
    const fourth = await runTask(ingestDocumentTask, ctx, { ...props, removeMissingSources: true });
    assert.equal(fourth.documentsRemoved, 1);
    assert.equal([...store.chunks.values()].filter((chunk) => chunk.metadata.path === 'stores.md').length, 0);

    const dropped = await runTask(ingestDocumentTask, ctx, {
      ...props,
      drop: true,
      fromPath: undefined,
      fromDocuments: [{ content: 'only this' }],
    });
    assert.equal(dropped.documentsAdded, 1);
    assert.equal(store.chunks.size, 1);
  });

  test('task metadata lands on every chunk and an unreadable document is named', async () => {
    const { ctx, logs } = testRunContext({ registry });
    const embeddings = { type: 'io.windhover.test.MemoryStore', name: 'metadata' };
    await runTask(ingestDocumentTask, ctx, {
      provider,
      embeddings,
      metadata: { team: 'docs' },
      fromDocuments: [{ content: 'alpha', metadata: { id: 'a', lang: 'en' } }],
    });
    const chunk = [...fakeStoreNamed('metadata')!.chunks.values()][0];
    assert.equal(chunk?.metadata.team, 'docs');
    assert.equal(chunk?.metadata.lang, 'en');
    assert.equal(chunk?.source, 'inline:a');

    const missing = { provider, embeddings, fromInternalURIs: ['kestra:///nowhere/file.txt'] };
    await assert.rejects(runTask(ingestDocumentTask, ctx, missing), /kestra:\/\/\/nowhere\/file\.txt/);
    const warned = await runTask(ingestDocumentTask, ctx, { ...missing, onDocumentError: 'WARN' });
    assert.equal(warned.documentsFailed, 1);
    assert.ok(logs.some((line) => line.startsWith('WARN') && line.includes('nowhere')));
  });

  test('no source at all, or an overlap larger than the segment, is a clear error', async () => {
    const { ctx } = testRunContext({ registry });
    const embeddings = { type: 'io.windhover.test.MemoryStore', name: 'errors' };
    await assert.rejects(runTask(ingestDocumentTask, ctx, { provider, embeddings }), /fromPath, fromDocuments/);
    await assert.rejects(
      runTask(ingestDocumentTask, ctx, {
        provider,
        embeddings,
        fromDocuments: [{ content: 'x' }],
        documentSplitter: { maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 20 },
      }),
      /maxOverlapSizeInChars \(20\) must be smaller/,
    );
  });
});

describe('rag.Search and rag.ChatCompletion', () => {
  const embeddings = { type: 'io.windhover.test.MemoryStore', name: 'qa' };
  async function ingestQa() {
    const { ctx } = testRunContext({ registry });
    await runTask(ingestDocumentTask, ctx, {
      provider,
      embeddings,
      drop: true,
      fromDocuments: [
        { content: 'Docker volumes keep data between container runs.', metadata: { id: 'de-1', course: 'de' } },
        { content: 'Docker volumes are mounted with -v.', metadata: { id: 'ml-1', course: 'ml' } },
        { content: 'Error WH1234 means the flow YAML is invalid.', metadata: { id: 'wh-1', course: 'wh' } },
      ],
    });
    return ctx;
  }

  test('Search returns texts as the reference does, plus scores, ids and metadata; filters by metadata', async () => {
    const ctx = await ingestQa();
    const result = await runTask(searchTask, ctx, {
      provider,
      embeddings,
      query: 'docker volumes',
      maxResults: 5,
      minScore: 0,
      retrieval: { filter: { course: 'ml' } },
    });
    assert.deepEqual(result.results, ['Docker volumes are mounted with -v.']);
    const matches = result.matches as { score: number; id: string; metadata: Record<string, unknown> }[];
    assert.equal(matches[0]?.metadata.course, 'ml');
    assert.ok(matches[0]!.score > 0.5 && typeof matches[0]?.id === 'string');
    assert.equal(result.size, 1);

    const none = await runTask(searchTask, ctx, { provider, embeddings, query: 'docker', fetchType: 'NONE' });
    assert.deepEqual(Object.keys(none), ['size']);
    const stored = await runTask(searchTask, ctx, { provider, embeddings, query: 'docker', fetchType: 'STORE' });
    assert.match(String(stored.uri), /\.ion$/);
    const hybrid = await runTask(searchTask, ctx, {
      provider,
      embeddings,
      query: 'WH1234',
      maxResults: 1,
      retrieval: { mode: 'HYBRID' },
    });
    assert.deepEqual(hybrid.results, ['Error WH1234 means the flow YAML is invalid.']);
  });

  test('HYBRID on a store without full-text search fails with a clear message', async () => {
    const { ctx } = testRunContext({ registry });
    const noText = { type: 'io.windhover.test.MemoryStore', name: 'no-text', fullText: false };
    await assert.rejects(
      runTask(searchTask, ctx, { provider, embeddings: noText, query: 'x', retrieval: { mode: 'HYBRID' } }),
      /HYBRID needs full-text search/,
    );
  });

  test('ChatCompletion injects numbered sources after the prompt and returns them with the answer', async () => {
    const ctx = await ingestQa();
    const result = await runTask(ragChatCompletionTask, ctx, {
      chatProvider: provider,
      embeddings,
      systemMessage: 'Be brief.',
      prompt: 'How do docker volumes work?',
      contentRetrieverConfiguration: { maxResults: 2 },
    });
    const sent = fakeCalls.chatRequests[0]!;
    assert.deepEqual(sent[0], { type: 'SYSTEM', content: 'Be brief.' });
    assert.match(
      sent[1]!.content,
      /^How do docker volumes work\?\n\nAnswer using the following information:\n\[1\] Docker/,
    );
    assert.match(sent[1]!.content, /\n\n\[2\] /);
    const sources = result.sources as { content: string; score: number; id: string }[];
    assert.equal(sources.length, 2);
    assert.match(String(result.textOutput), /\[1\]/);
    assert.equal(result.finishReason, 'STOP');
    assert.deepEqual(result.tokenUsage, { inputTokenCount: 10, outputTokenCount: 5, totalTokenCount: 15 });
    assert.equal(result.sourcesTrimmed, 0);
  });

  test('sources beyond the context window are dropped with a warning and counted', async () => {
    const ctx = await ingestQa();
    const { logs } = { logs: [] as string[] };
    const small = { ...provider, contextWindowTokens: 60 };
    const result = await runTask(
      ragChatCompletionTask,
      { ...ctx, logger: { ...ctx.logger, warn: (m: string) => logs.push(m) } },
      {
        chatProvider: small,
        embeddingProvider: provider,
        embeddings,
        prompt: 'docker volumes',
        chatConfiguration: { maxToken: 20 },
        contentRetrieverConfiguration: { maxResults: 3 },
      },
    );
    assert.ok(Number(result.sourcesTrimmed) > 0);
    assert.equal((result.sources as unknown[]).length, 3 - Number(result.sourcesTrimmed));
    assert.ok(logs.some((line) => /do not fit/.test(line)));
  });

  test('a JSON response format fills jsonOutput', async () => {
    const ctx = await ingestQa();
    const result = await runTask(ragChatCompletionTask, ctx, {
      chatProvider: { ...provider, answer: '```json\n{"answer": "use -v"}\n```' },
      embeddings,
      prompt: 'docker volumes',
      chatConfiguration: { responseFormat: { type: 'JSON' } },
    });
    assert.deepEqual(result.jsonOutput, { answer: 'use -v' });
    assert.equal(result.textOutput, undefined);
  });
});

describe('completion.ChatCompletion', () => {
  test('sends the messages as given and answers in textOutput; legacy type names resolve', async () => {
    const { ctx } = testRunContext({ registry });
    const result = await runTask(chatCompletionTask, ctx, {
      provider: { ...provider, answer: 'Hello.' },
      messages: [
        { type: 'SYSTEM', content: 'Greet.' },
        { type: 'USER', content: 'Hi' },
      ],
    });
    assert.equal(result.textOutput, 'Hello.');
    assert.deepEqual(fakeCalls.chatRequests[0], [
      { type: 'SYSTEM', content: 'Greet.' },
      { type: 'USER', content: 'Hi' },
    ]);
    for (const legacy of [
      'io.kestra.plugin.langchain4j.completion.ChatCompletion',
      'io.kestra.plugin.langchain4j.rag.Chat',
      'io.kestra.plugin.langchain4j.rag.IngestDocument',
      'io.kestra.plugin.langchain4j.rag.Search',
    ]) {
      assert.ok(registry.get(legacy), legacy);
    }
  });
});
