import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { providerPlugins } from '../../ai/providers/index.ts';
import { storePlugins } from '../../ai/stores/index.ts';
import type { AnyPluginDefinition } from '../../plugin/define-plugin.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { aiTaskPlugins } from './index.ts';
import { ingestDocumentTask } from './ingest-document-task.ts';
import { ragChatCompletionTask } from './rag-chat-completion-task.ts';
import { searchTask } from './search-task.ts';
import { runTask, testRunContext } from './testing/task-context.ts';

// End to end with the real offline parts: the Local provider (USE embeddings, extractive chat)
// and the embedded store, on a copy of the example docs shipped in examples/docs.
const registry = new PluginRegistry().register(
  ...aiTaskPlugins,
  ...(providerPlugins as AnyPluginDefinition[]),
  ...(storePlugins as AnyPluginDefinition[]),
);
const local = { type: 'io.windhover.plugin.ai.provider.Local' };
const embeddings = { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore', kvName: 'docs' };
const workDir = mkdtempSync(join(tmpdir(), 'wh-local-rag-'));
cpSync(join(import.meta.dirname, '../../../examples/docs'), join(workDir, 'docs'), { recursive: true });
const harness = testRunContext({ registry, workingDirectory: workDir });
const ingest = {
  provider: local,
  embeddings,
  fromPath: 'docs',
  include: ['**/*.md'],
  documentSplitter: { splitter: 'RECURSIVE', maxSegmentSizeInChars: 600, maxOverlapSizeInChars: 0 },
  metadata: { product: 'windhover' },
};

let firstStoreOutputs: unknown;

type Match = { content: string; metadata: Record<string, unknown>; id: string; score: number };

async function search(query: string, extra: Record<string, unknown> = {}): Promise<Match[]> {
  const result = await runTask(searchTask, harness.ctx, {
    provider: local,
    embeddings,
    query,
    maxResults: 5,
    ...extra,
  });
  return result.matches as Match[];
}

describe('RAG with the Local provider and the embedded store (offline)', () => {
  before(async () => {
    const first = await runTask(ingestDocumentTask, harness.ctx, ingest);
    firstStoreOutputs = first.embeddingStoreOutputs;
    assert.equal(first.documentsAdded, 5);
    assert.ok(Number(first.embeddingCalls) > 0);
  });
  after(async () => {
    await harness.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('an unchanged re-run makes zero embedding calls and leaves the store identical', async () => {
    const before = await search('incremental re-indexing');
    const again = await runTask(ingestDocumentTask, harness.ctx, ingest);
    assert.equal(again.embeddingCalls, 0);
    assert.equal(again.documentsUnchanged, 5);
    assert.equal(again.chunksWritten, 0);
    assert.deepEqual(again.embeddingStoreOutputs, firstStoreOutputs);
    assert.deepEqual(await search('incremental re-indexing'), before);
  });

  test('a metadata filter restricts results, and chunks carry path, title and offsets', async () => {
    const matches = await search('how are secrets masked', { retrieval: { filter: { path: 'operations.md' } } });
    assert.ok(matches.length > 0);
    for (const match of matches) {
      assert.equal(match.metadata.path, 'operations.md');
      assert.equal(match.metadata.product, 'windhover');
      assert.equal(typeof match.metadata.start, 'number');
      assert.equal(typeof match.metadata.title, 'string');
    }
  });

  test('hybrid ranks a keyword-only match at least as high as vector search', async () => {
    const rankOf = (matches: Match[]) => {
      const index = matches.findIndex((match) => match.content.includes('removeMissingSources'));
      return index < 0 ? Number.POSITIVE_INFINITY : index;
    };
    const vector = rankOf(await search('removeMissingSources'));
    const hybrid = rankOf(await search('removeMissingSources', { retrieval: { mode: 'HYBRID' } }));
    assert.ok(hybrid <= vector, `hybrid rank ${hybrid} vs vector rank ${vector}`);
    assert.equal(hybrid, 0);
  });

  test('ChatCompletion answers with cited sources from the store', async () => {
    const result = await runTask(ragChatCompletionTask, harness.ctx, {
      chatProvider: local,
      embeddings,
      prompt: 'How do I run a flow every night?',
      contentRetrieverConfiguration: { maxResults: 3 },
    });
    const sources = result.sources as Match[];
    assert.equal(sources.length, 3);
    assert.ok(sources.some((source) => /cron|Schedule/.test(source.content)));
    assert.match(String(result.textOutput), /\[\d\]/);
  });

  test('changing one file re-embeds only it; removing one with removeMissingSources drops its chunks', async () => {
    writeFileSync(
      join(workDir, 'docs', 'stores.md'),
      '# Embedding stores\n\nStores keep vectors. Zebra-striped indexes are new.',
    );
    const changed = await runTask(ingestDocumentTask, harness.ctx, ingest);
    assert.equal(changed.documentsUpdated, 1);
    assert.equal(changed.documentsUnchanged, 4);
    assert.equal(changed.embeddingCalls, 1);
    const zebra = await search('zebra-striped indexes', { retrieval: { mode: 'HYBRID' }, maxResults: 1 });
    assert.match(zebra[0]?.content ?? '', /Zebra/);

    rmSync(join(workDir, 'docs', 'stores.md'));
    const removed = await runTask(ingestDocumentTask, harness.ctx, { ...ingest, removeMissingSources: true });
    assert.equal(removed.documentsRemoved, 1);
    const left = await search('embedding stores', { retrieval: { filter: { path: 'stores.md' } } });
    assert.equal(left.length, 0);
  });
});
