import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { storePlugins } from './index.ts';
import { startPgVectorServer } from './pgvector/pgvector-test-server.ts';
import { startQdrantTestServer } from './qdrant/qdrant-test-server.ts';
import { openEmbeddingStore } from './store-plugin.ts';
import { testContext } from './test-support.ts';

const registry = new PluginRegistry().register(...storePlugins);
const vector = Float32Array.of(0, 1, 0);
const one = [
  {
    source: 's',
    sourceHash: 'h',
    chunks: [{ id: 's#0', vector, text: 'hello', metadata: { a: 1 }, source: 's', sourceHash: 'h' }],
  },
];

describe('store plugin definitions', () => {
  test('every store has the reference type, the langchain4j alias and a JSON Schema', () => {
    for (const name of ['KestraKVStore', 'PGVector', 'Qdrant']) {
      const definition = registry.get(`io.kestra.plugin.ai.embeddings.${name}`);
      assert.equal(definition?.category, 'embeddings');
      assert.equal(registry.canonicalType(`io.kestra.plugin.langchain4j.embeddings.${name}`), definition?.type);
      const schema = z.toJSONSchema(definition!.properties, { io: 'input', unrepresentable: 'any' });
      assert.equal(schema.type, 'object');
    }
  });
});

describe('PGVector plugin (pgvector in PGlite over a socket)', () => {
  let server: Awaited<ReturnType<typeof startPgVectorServer>>;
  before(async () => {
    server = await startPgVectorServer();
  });
  after(async () => server.stop());

  test('opens with the reference YAML properties (port as a rendered string), builds HNSW with useIndex, drop drops the table', async () => {
    const config = {
      type: 'io.kestra.plugin.ai.embeddings.PGVector',
      host: server.host,
      port: String(server.port),
      user: 'postgres',
      password: 'postgres',
      database: 'postgres',
      table: 'plugin_embeddings',
      useIndex: true,
    };
    const store = await openEmbeddingStore(registry, config, testContext('/unused'), { drop: false });
    await store.replaceSources(one);
    const matches = await store.search({ vector, maxResults: 1, filter: { a: 1 } });
    assert.equal(matches[0]?.text, 'hello');
    await store.close();
    const dropped = await openEmbeddingStore(registry, config, testContext('/unused'), { drop: true });
    assert.equal(await dropped.count(), 0);
    assert.equal(await dropped.dimension(), undefined);
    await dropped.close();
  });

  test('rejects a table name that is not a plain identifier', async () => {
    await assert.rejects(
      openEmbeddingStore(
        registry,
        {
          type: 'io.kestra.plugin.ai.embeddings.PGVector',
          host: server.host,
          port: server.port,
          user: 'postgres',
          password: 'postgres',
          database: 'postgres',
          table: 'x"; DROP TABLE y; --',
        },
        testContext('/unused'),
        { drop: false },
      ),
      /embeddings\.table: .* is not a usable table name/,
    );
  });
});

describe('Qdrant plugin (wire-format test server)', () => {
  let server: Awaited<ReturnType<typeof startQdrantTestServer>>;
  before(async () => {
    server = await startQdrantTestServer({ apiKey: 'k' });
  });
  after(async () => server.stop());

  test('creates the collection with the model dimension, sends the API key, drop deletes the collection', async () => {
    const config = {
      type: 'io.kestra.plugin.ai.embeddings.Qdrant',
      host: server.host,
      port: server.port,
      apiKey: 'k',
      collectionName: 'docs',
    };
    const store = await openEmbeddingStore(registry, config, testContext('/unused'), { drop: false });
    await store.replaceSources(one);
    assert.equal(await store.dimension(), 3);
    assert.ok(server.requests.includes('PUT /collections/docs'));
    const dropped = await openEmbeddingStore(registry, config, testContext('/unused'), { drop: true });
    assert.ok(server.requests.includes('DELETE /collections/docs'));
    assert.equal(await dropped.count(), 0);
  });

  test('with createCollection: false a missing collection is an error saying how to create it', async () => {
    const store = await openEmbeddingStore(
      registry,
      {
        type: 'io.kestra.plugin.ai.embeddings.Qdrant',
        host: server.host,
        port: server.port,
        apiKey: 'k',
        collectionName: 'absent',
        createCollection: false,
      },
      testContext('/unused'),
      { drop: false },
    );
    await assert.rejects(store.replaceSources(one), /does not exist; create it with vectors of size 3/);
  });

  test('a wrong API key is reported with the collection, and port 6334 gets a REST-port hint', async () => {
    const lines: string[] = [];
    const wrong = await openEmbeddingStore(
      registry,
      {
        type: 'io.kestra.plugin.ai.embeddings.Qdrant',
        host: server.host,
        port: server.port,
        apiKey: 'bad',
        collectionName: 'docs',
      },
      testContext('/unused'),
      { drop: false },
    );
    await assert.rejects(wrong.count(), /Qdrant 127\.0\.0\.1:\d+\/docs: could not check the collection/);
    await openEmbeddingStore(
      registry,
      {
        type: 'io.kestra.plugin.ai.embeddings.Qdrant',
        host: '127.0.0.1',
        port: 6334,
        apiKey: 'k',
        collectionName: 'docs',
      },
      testContext('/unused', undefined, lines),
      { drop: false },
    );
    assert.ok(lines.some((line) => line.startsWith('WARN') && line.includes('6333')));
  });
});
