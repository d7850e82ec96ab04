import { after, before } from 'node:test';
import { runEmbeddingStoreConformance } from '../embedding-store.conformance.ts';
import { QdrantStore } from './qdrant-store.ts';
import { type QdrantTestServer, startQdrantTestServer } from './qdrant-test-server.ts';

let server: QdrantTestServer;
before(async () => {
  server = await startQdrantTestServer({ apiKey: 'secret-key' });
});
after(async () => server.stop());

runEmbeddingStoreConformance('Qdrant (official client against a wire-format test server)', {
  persistent: true,
  open: async (name) =>
    new QdrantStore({
      host: server.host,
      port: server.port,
      apiKey: 'secret-key',
      collectionName: name,
      createCollection: true,
    }),
});
