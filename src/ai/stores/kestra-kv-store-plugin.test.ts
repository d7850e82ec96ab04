import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { storePlugins } from './index.ts';
import { openEmbeddingStore } from './store-plugin.ts';
import { TestResources, testContext } from './test-support.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'windhover-kv-store-plugin-'));
const registry = new PluginRegistry().register(...storePlugins);
after(() => rmSync(dataDir, { recursive: true, force: true }));

const vector = Float32Array.of(1, 0, 0, 0);
const source = (name: string) => ({
  source: name,
  sourceHash: 'h',
  chunks: [{ id: `${name}#0`, vector, text: name, metadata: {}, source: name, sourceHash: 'h' }],
});

describe('KestraKVStore plugin', () => {
  test('opens the embedded store under the data dir, named after the flow by default', async () => {
    const resources = new TestResources();
    const store = await openEmbeddingStore(
      registry,
      { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore' },
      testContext(dataDir, resources),
      { drop: false },
    );
    await store.replaceSources([source('a')]);
    assert.ok(existsSync(join(dataDir, 'vector-stores', 'company.team', 'rag-embedding-store', 'store.db')));
    assert.equal(store.capabilities.fullText, true);
    await store.close();
    await resources.closeAll();
  });

  test('the legacy langchain4j type opens the same store, and handles share one open store per process', async () => {
    const resources = new TestResources();
    const context = testContext(dataDir, resources);
    const first = await openEmbeddingStore(
      registry,
      { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore', kvName: 'shared' },
      context,
      { drop: false },
    );
    await first.replaceSources([source('one')]);
    await first.close();
    await assert.rejects(first.count(), /closed/);
    const second = await openEmbeddingStore(
      registry,
      { type: 'io.kestra.plugin.langchain4j.embeddings.KestraKVStore', kvName: 'shared' },
      context,
      { drop: false },
    );
    assert.equal(await second.count(), 1, 'closing a handle keeps the shared store open');
    const dropped = await openEmbeddingStore(
      registry,
      { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore', kvName: 'shared' },
      context,
      { drop: true },
    );
    assert.equal(await dropped.count(), 0);
    assert.equal(await second.count(), 0);
    await resources.closeAll();
  });

  test('rejects a kvName that is not a safe file name, and unknown store types', async () => {
    await assert.rejects(
      openEmbeddingStore(
        registry,
        { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore', kvName: '../escape' },
        testContext(dataDir),
        { drop: false },
      ),
      /embeddings\.kvName: '\.\.\/escape'/,
    );
    await assert.rejects(
      openEmbeddingStore(
        registry,
        { type: 'io.kestra.plugin.ai.embeddings.KestraKVStore', kvName: 42 },
        testContext(dataDir),
        { drop: false },
      ),
      /embeddings\.kvName/,
    );
    await assert.rejects(
      openEmbeddingStore(registry, { type: 'io.kestra.plugin.ai.embeddings.Nope' }, testContext(dataDir), {
        drop: false,
      }),
      /unknown embedding store 'io\.kestra\.plugin\.ai\.embeddings\.Nope'; known: .*KestraKVStore/,
    );
  });
});
