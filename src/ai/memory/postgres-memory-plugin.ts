import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
import { decodeStoredConversation, encodeMessages } from './memory-message-codec.ts';
import type { MemoryImplementation } from './memory-plugin.ts';
import { memoryBaseProperties } from './memory-properties.ts';

/** A table name, optionally schema-qualified; quoted by kysely, checked here so errors are clear. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** PostgreSQL errors that a retry cannot fix: bad password, unknown database, no permission. */
const PERMANENT_CODES = new Set(['28P01', '28000', '3D000', '42501', '42P01']);

// No typed schema: the table's name is the user's, so every statement is written with `sql`.
type AnyDatabase = Record<string, never>;

const implementation: MemoryImplementation = {
  async open(properties, context): Promise<ChatMemoryStoreV1> {
    const host = String(properties.host);
    const port = Number(properties.port);
    const database = String(properties.database);
    const tableName = String(properties.tableName);
    const where = `memory PostgreSQL ${host}:${port}/${database}`;
    if (!TABLE_NAME.test(tableName)) {
      throw Object.assign(
        new Error(
          `memory.tableName: '${tableName}' is not a table name; use letters, digits and '_' (schema.table allowed)`,
        ),
        { isRetryable: false },
      );
    }
    const db = new Kysely<AnyDatabase>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({
          host,
          port,
          database,
          user: String(properties.user),
          password: String(properties.password),
          max: 1,
          connectionTimeoutMillis: 10_000,
        }),
      }),
    });
    const table = sql.table(tableName);
    const run = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw databaseError(where, what, error);
      }
    };
    try {
      // The reference's table, so a table it created is used as is.
      await run('creating the table', () =>
        sql`CREATE TABLE IF NOT EXISTS ${table} (memory_id VARCHAR(255) PRIMARY KEY, memory_json TEXT NOT NULL, expires_at TIMESTAMP NULL)`.execute(
          db,
        ),
      );
    } catch (error) {
      await db.destroy();
      throw error;
    }
    const remove = async (memoryId: string) => {
      await run('deleting the conversation', () => sql`DELETE FROM ${table} WHERE memory_id = ${memoryId}`.execute(db));
    };
    return {
      specificationVersion: 'v1',
      name: 'PostgreSQL',
      async load(memoryId) {
        // Expiry is compared in the database, with the clock that wrote it.
        const result = await run('loading the conversation', () =>
          sql<{ memory_json: string; live: boolean }>`
            SELECT memory_json, (expires_at IS NULL OR expires_at > LOCALTIMESTAMP) AS live
            FROM ${table} WHERE memory_id = ${memoryId}`.execute(db),
        );
        const row = result.rows[0];
        if (!row) return undefined;
        if (!row.live) {
          await remove(memoryId);
          return undefined;
        }
        return decodeStoredConversation(
          row.memory_json,
          `${where}: the row '${memoryId}' of ${tableName}`,
          context.logger,
        );
      },
      async save(memoryId, messages, ttlMs) {
        const json = JSON.stringify(encodeMessages(messages));
        await run('saving the conversation', () =>
          sql`
            INSERT INTO ${table} (memory_id, memory_json, expires_at)
            VALUES (${memoryId}, ${json}, LOCALTIMESTAMP + make_interval(secs => ${ttlMs / 1000}::double precision))
            ON CONFLICT (memory_id)
            DO UPDATE SET memory_json = EXCLUDED.memory_json, expires_at = EXCLUDED.expires_at`.execute(db),
        );
      },
      delete: remove,
      close: () => db.destroy(),
    };
  },
};

function databaseError(where: string, what: string, error: unknown): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const permanent = typeof code === 'string' && PERMANENT_CODES.has(code);
  const hint = permanent ? '; check host, port, database, user and password, and the user’s rights' : '';
  return Object.assign(new Error(`${where}: ${what} failed: ${message}${hint}`, { cause: error }), {
    isRetryable: !permanent,
  });
}

/** `memory.PostgreSQL`: conversations in a PostgreSQL table, one row per memory id with an expiry. */
export const postgresMemoryPlugin = defineSubPlugin({
  type: 'io.kestra.plugin.ai.memory.PostgreSQL',
  aliases: ['io.kestra.plugin.langchain4j.memory.PostgreSQL'],
  category: 'memory',
  title: 'Chat memory in PostgreSQL',
  description:
    'Keeps the conversation in a PostgreSQL table (created when missing): `memory_id` (primary key), ' +
    '`memory_json` (the messages) and `expires_at` (now + `ttl` at each save; expired rows are ignored and ' +
    'deleted when read). The same table layout as the reference.',
  properties: memoryBaseProperties.extend({
    host: dynamic(z.string().min(1)).describe('PostgreSQL host.'),
    port: dynamic(z.int().min(1).max(65_535)).default(5432),
    database: dynamic(z.string().min(1)),
    user: dynamic(z.string().min(1)),
    password: dynamic(z.string()).describe('e.g. "{{ secret(\'POSTGRES_PASSWORD\') }}".'),
    tableName: dynamic(z.string().min(1)).default('chat_memory'),
  }),
  implementation,
  examples: [
    {
      title: 'Use PostgreSQL-based chat memory for a conversation',
      code: `id: chat_with_memory
namespace: company.ai
tasks:
  - id: first
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    memory:
      type: io.kestra.plugin.ai.memory.PostgreSQL
      host: localhost
      port: 5432
      database: ai_memory
      user: postgres
      password: "{{ secret('POSTGRES_PASSWORD') }}"
      tableName: my_custom_memory_table
    systemMessage: You are a helpful assistant, answer concisely
    prompt: "{{ inputs.first }}"
`,
    },
  ],
});
