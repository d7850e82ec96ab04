import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { DocumentIngestError, type IngestItem, ingestIncrementally } from './incremental-ingest.ts';
import { countingEmbedder, fakeChunkId, paragraphSplit } from './testing/fake-embedder.ts';
import { MemoryEmbeddingStore } from './testing/memory-embedding-store.ts';

function doc(source: string, text: string, metadata: Record<string, unknown> = {}): IngestItem {
  const contentHash = createHash('sha256').update(text).digest('hex');
  return { document: { source, text, metadata, contentHash } };
}

async function* stream(items: IngestItem[]): AsyncIterable<IngestItem> {
  yield* items;
}

function run(store: MemoryEmbeddingStore, items: IngestItem[], overrides: Record<string, unknown> = {}) {
  const embedder = countingEmbedder();
  const warnings: string[] = [];
  const result = ingestIncrementally({
    store,
    items: stream(items),
    split: paragraphSplit,
    chunkId: fakeChunkId,
    embed: embedder.embed,
    settings: {
      splitter: { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 100, maxOverlapSizeInChars: 0 },
      embeddingModel: 'fake/bow',
    },
    taskMetadata: {},
    bulkSize: 2,
    drop: false,
    removeMissingSources: false,
    onDocumentError: 'FAIL',
    logger: { info() {}, warn: (message: string) => warnings.push(message) },
    signal: new AbortController().signal,
    ...overrides,
  });
  return { result, embedder, warnings };
}

const corpus = () => [
  doc('a.md', 'alpha one\n\nalpha two'),
  doc('b.md', 'bravo one\n\nbravo two\n\nbravo three'),
  doc('c.md', 'charlie'),
];

describe('incremental ingestion', () => {
  test('a re-run of unchanged documents makes no embedding call and leaves the store identical', async () => {
    const store = new MemoryEmbeddingStore();
    const first = run(store, corpus());
    const stats = await first.result;
    assert.equal(stats.documentsAdded, 3);
    assert.equal(stats.chunksWritten, 6);
    const before = JSON.stringify([...store.chunks.entries()]);

    const second = run(store, corpus());
    const again = await second.result;
    assert.equal(second.embedder.counts.calls, 0);
    assert.equal(again.embeddingCalls, 0);
    assert.equal(again.documentsUnchanged, 3);
    assert.equal(again.chunksWritten, 0);
    assert.equal(JSON.stringify([...store.chunks.entries()]), before);
  });

  test('a changed document has its chunks replaced and only its chunks embedded', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, corpus()).result;
    const changed = run(store, [doc('a.md', 'alpha one'), ...corpus().slice(1)]);
    const stats = await changed.result;
    assert.equal(stats.documentsUpdated, 1);
    assert.equal(stats.documentsUnchanged, 2);
    assert.equal(changed.embedder.counts.texts, 1);
    const aChunks = [...store.chunks.values()].filter((chunk) => chunk.source === 'a.md');
    assert.deepEqual(
      aChunks.map((chunk) => chunk.text),
      ['alpha one'],
    );
    assert.equal(store.chunks.size, 5);
  });

  test('changing the splitter settings or the model re-indexes every document', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, corpus()).result;
    const stats = await run(store, corpus(), {
      settings: {
        splitter: { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 50, maxOverlapSizeInChars: 0 },
        embeddingModel: 'fake/bow',
      },
    }).result;
    assert.equal(stats.documentsUpdated, 3);
    const model = await run(store, corpus(), {
      settings: {
        splitter: { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 50, maxOverlapSizeInChars: 0 },
        embeddingModel: 'fake/other',
      },
    }).result;
    assert.equal(model.documentsUpdated, 3);
  });

  test('removeMissingSources deletes the chunks of sources no longer given; without it they stay', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, corpus()).result;
    const kept = await run(store, corpus().slice(0, 2)).result;
    assert.equal(kept.documentsRemoved, 0);
    assert.equal(store.chunks.size, 6);
    const removed = await run(store, corpus().slice(0, 2), { removeMissingSources: true }).result;
    assert.equal(removed.documentsRemoved, 1);
    assert.equal([...store.chunks.values()].filter((chunk) => chunk.source === 'c.md').length, 0);
    assert.equal(store.hashes.has('c.md'), false);
  });

  test('drop wipes the store first and re-embeds everything', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, [doc('old.md', 'old text'), ...corpus()]).result;
    const stats = await run(store, corpus(), { drop: true }).result;
    assert.equal(stats.documentsAdded, 3);
    assert.equal(store.hashes.has('old.md'), false);
    assert.equal(store.chunks.size, 6);
  });

  test('task and document metadata land on every chunk with the position fields', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, [doc('a.md', 'alpha one\n\nalpha two', { title: 'Alpha', path: 'a.md' })], {
      taskMetadata: { course: 'llm', title: 'overridden by the document' },
    }).result;
    const chunk = [...store.chunks.values()].find((item) => item.metadata.index === 1);
    assert.ok(chunk);
    assert.equal(chunk.metadata.course, 'llm');
    assert.equal(chunk.metadata.title, 'Alpha');
    assert.equal(chunk.metadata.source, 'a.md');
    assert.equal(chunk.metadata.start, 11);
    assert.equal(chunk.metadata.end, 20);
    assert.equal(typeof chunk.metadata.contentHash, 'string');
  });

  test('writes go in bulkSize batches, so a run killed midway keeps the finished batches', async () => {
    const store = new MemoryEmbeddingStore();
    const controller = new AbortController();
    let calls = 0;
    const abortingEmbedder = countingEmbedder();
    const embed: typeof abortingEmbedder.embed = async (values, signal) => {
      calls++;
      if (calls === 2) controller.abort(new Error('killed'));
      return abortingEmbedder.embed(values, signal);
    };
    const items = [...corpus(), doc('d.md', 'delta'), doc('e.md', 'echo')];
    await assert.rejects(run(store, items, { embed, signal: controller.signal }).result, /killed/);
    assert.deepEqual([...store.hashes.keys()].sort(), ['a.md', 'b.md']);
    const resumed = run(store, items);
    const stats = await resumed.result;
    assert.equal(stats.documentsUnchanged, 2);
    assert.equal(stats.documentsAdded, 3);
    assert.equal(store.chunks.size, 8);
  });

  test('a document that fails to load fails the run naming it, or is skipped with WARN and kept', async () => {
    const store = new MemoryEmbeddingStore();
    await run(store, corpus()).result;
    const failing: IngestItem = { failedSource: 'c.md', error: new Error('permission denied') };
    await assert.rejects(run(store, [...corpus().slice(0, 2), failing]).result, (error: unknown) => {
      assert.ok(error instanceof DocumentIngestError);
      assert.match(error.message, /c\.md.*permission denied/);
      return true;
    });
    const warned = run(store, [...corpus().slice(0, 2), failing], {
      onDocumentError: 'WARN',
      removeMissingSources: true,
    });
    const stats = await warned.result;
    assert.equal(stats.documentsFailed, 1);
    assert.equal(stats.documentsRemoved, 0);
    assert.match(warned.warnings.join('\n'), /c\.md/);
    assert.ok(store.hashes.has('c.md'));
  });

  test('identical chunk text is embedded once thanks to the embedding cache', async () => {
    const store = new MemoryEmbeddingStore();
    const cache = new Map<string, Float32Array>();
    const embedder = countingEmbedder({ cache });
    await run(store, [doc('a.md', 'same text'), doc('b.md', 'same text')], { embed: embedder.embed, bulkSize: 1 })
      .result;
    assert.equal(embedder.counts.texts, 1);
  });
});
