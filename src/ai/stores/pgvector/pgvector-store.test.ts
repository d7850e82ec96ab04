import { after, before } from 'node:test';
import { runEmbeddingStoreConformance } from '../embedding-store.conformance.ts';
import { PgVectorStore } from './pgvector-store.ts';
import { startPgVectorServer } from './pgvector-test-server.ts';

let server: Awaited<ReturnType<typeof startPgVectorServer>>;
before(async () => {
  server = await startPgVectorServer();
});
after(async () => server.stop());

for (const useIndex of [false, true]) {
  runEmbeddingStoreConformance(`PGVector (pgvector in PGlite over a socket, useIndex: ${useIndex})`, {
    persistent: true,
    open: async (name) =>
      new PgVectorStore({
        host: server.host,
        port: server.port,
        user: 'postgres',
        password: 'postgres',
        database: 'postgres',
        table: `${name.replaceAll('-', '_')}_${useIndex ? 'hnsw' : 'flat'}`,
        useIndex,
        poolSize: 1,
      }),
  });
}
