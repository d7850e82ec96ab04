import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A real PostgreSQL with the real pgvector extension (PGlite, in WASM) on a loopback port, for tests. */
export async function startPgVectorServer(): Promise<{ host: string; port: number; stop(): Promise<void> }> {
  const db = await PGlite.create({ extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const connection = server.getServerConn();
  const port = Number(connection.slice(connection.lastIndexOf(':') + 1));
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
