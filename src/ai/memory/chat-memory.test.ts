import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ResourceCache } from '../../engine/shared-resources.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { TaskLogger } from '../../plugin/run-context.ts';
import type { ChatMessage } from '../spec/chat-model.ts';
import { memoryPlugins } from './index.ts';
import { decodeMessages, encodeMessages } from './memory-message-codec.ts';
import { openChatMemory } from './memory-plugin.ts';
import { windowMessages } from './message-window.ts';
import {
  dropPostgresTable,
  postgresMemoryConfig,
  postgresTestOptions,
  postgresTestUrl,
} from './testing/postgres-test-server.ts';
import { openRepositoryKv } from './testing/repository-kv.ts';

const registry = new PluginRegistry().register(...memoryPlugins);
const warnings: string[] = [];
const logger: TaskLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message) => warnings.push(message),
  error() {},
};
const system = (content: string): ChatMessage => ({ type: 'SYSTEM', content });
const user = (content: string): ChatMessage => ({ type: 'USER', content });
const ai = (content: string): ChatMessage => ({ type: 'AI', content });

describe('message window', () => {
  test('keeps the newest messages and the last system message, first', () => {
    const messages = [system('old'), user('u1'), ai('a1'), system('new'), user('u2'), ai('a2')];
    assert.deepEqual(windowMessages(messages, 3), [system('new'), user('u2'), ai('a2')]);
    assert.deepEqual(windowMessages(messages, 10), [system('new'), user('u1'), ai('a1'), user('u2'), ai('a2')]);
    assert.deepEqual(windowMessages([user('u1'), ai('a1'), user('u2')], 2), [ai('a1'), user('u2')]);
  });

  test('stored messages use LangChain4j’s JSON, and read back from it', () => {
    const messages = [system('Be brief.'), user('Hi, I am John'), ai('Hello John')];
    const encoded = encodeMessages(messages);
    assert.deepEqual(encoded[1], { contents: [{ text: 'Hi, I am John', type: 'TEXT' }], type: 'USER' });
    assert.deepEqual(decodeMessages(JSON.stringify(encoded)), messages);
    const fromReference =
      '[{"text":"S","type":"SYSTEM"},{"contents":[{"text":"Q","type":"TEXT"}],"type":"USER"},' +
      '{"text":"A","toolExecutionRequests":[],"type":"AI"},{"id":"1","toolName":"t","text":"r","type":"TOOL_EXECUTION_RESULT"}]';
    assert.deepEqual(decodeMessages(fromReference), [system('S'), user('Q'), ai('A')]);
    assert.throws(() => decodeMessages('{"not": "a list"}'), /not a list of messages/);
  });
});

const kv = await openRepositoryKv('wh-memory-');
const context = {
  namespace: 'company.ai',
  kv,
  signal: new AbortController().signal,
  logger,
  resources: new ResourceCache(),
  defaultMemoryId: 'execution-1',
};

const postgresTable = `chat_memory_test_${process.pid}`;

/** The memory sub-plugins under test: KV always; PostgreSQL against a real server when given one. */
const backends: { name: string; config: Record<string, unknown>; options: { skip?: string } }[] = [
  { name: 'KestraKVStore', config: { type: 'io.kestra.plugin.ai.memory.KestraKVStore' }, options: {} },
  {
    name: 'PostgreSQL',
    config: postgresTestUrl ? postgresMemoryConfig(postgresTestUrl, postgresTable) : {},
    options: postgresTestOptions,
  },
];

if (postgresTestUrl) {
  const url = postgresTestUrl;
  after(() => dropPostgresTable(url, postgresTable));
}

for (const backend of backends) {
  describe(`${backend.name} memory`, backend.options, () => {
    let counter = 0;
    const memory = (extra: Record<string, unknown> = {}) =>
      openChatMemory(
        registry,
        { ...backend.config, memoryId: `m-${process.pid}-${++counter}`, ...extra } as never,
        context,
      );

    test('a conversation continues across task runs and keeps the window', async () => {
      const first = await memory({ messages: 4 });
      const memoryId = first.memoryId;
      assert.deepEqual(await first.load(), []);
      await first.finish([system('Be brief.'), user('I am John'), ai('Hi John')]);
      await first.close();
      const second = await memory({ memoryId, messages: 4 });
      assert.deepEqual(await second.load(), [system('Be brief.'), user('I am John'), ai('Hi John')]);
      await second.finish([user('Where do I live?'), ai('New York')]);
      await second.close();
      const third = await memory({ memoryId, messages: 4 });
      assert.deepEqual(await third.load(), [
        system('Be brief.'),
        ai('Hi John'),
        user('Where do I live?'),
        ai('New York'),
      ]);
      await third.close();
    });

    test('BEFORE_TASKRUN starts a new conversation that is saved; AFTER_TASKRUN uses it then erases it', async () => {
      const seed = await memory();
      const memoryId = seed.memoryId;
      await seed.load();
      await seed.finish([user('old'), ai('old answer')]);
      await seed.close();
      const before = await memory({ memoryId, drop: 'BEFORE_TASKRUN' });
      assert.deepEqual(await before.load(), []);
      await before.finish([user('new'), ai('new answer')]);
      await before.close();
      const afterRun = await memory({ memoryId, drop: 'AFTER_TASKRUN' });
      assert.deepEqual(await afterRun.load(), [user('new'), ai('new answer')]);
      await afterRun.finish([user('last'), ai('bye')]);
      await afterRun.close();
      const check = await memory({ memoryId });
      assert.deepEqual(await check.load(), []);
      await check.close();
    });

    test('an expired conversation is gone; no exchange saves nothing', async () => {
      const short = await memory({ ttl: 'PT0.05S' });
      const memoryId = short.memoryId;
      await short.load();
      await short.finish([user('q'), ai('a')]);
      await short.close();
      await new Promise((resolve) => setTimeout(resolve, 120));
      const later = await memory({ memoryId });
      assert.deepEqual(await later.load(), []);
      await later.finish(undefined);
      await later.close();
      const still = await memory({ memoryId });
      assert.deepEqual(await still.load(), []);
      await still.close();
    });

    test('without memoryId the default id (correlation or execution id) is used', async () => {
      const { memoryId: _unused, ...config } = backend.config;
      const session = await openChatMemory(registry, config as never, {
        ...context,
        defaultMemoryId: `exec-${process.pid}`,
      });
      assert.equal(session.memoryId, `exec-${process.pid}`);
      await session.close();
    });
  });
}

describe('memory errors', () => {
  test('a memory id that cannot be a KV key is named with the fix', async () => {
    const session = await openChatMemory(
      registry,
      { type: 'io.kestra.plugin.ai.memory.KestraKVStore', memoryId: 'john doe/1' },
      context,
    );
    await assert.rejects(session.load(), /memory\.memoryId: 'john doe\/1' cannot be a KV key/);
  });

  test('a damaged KV value is reported and the conversation starts anew', async () => {
    await kv.set({ namespace: 'company.ai', key: 'damaged', type: 'JSON', value: { oops: true } });
    const session = await openChatMemory(
      registry,
      { type: 'io.kestra.plugin.ai.memory.KestraKVStore', memoryId: 'damaged' },
      context,
    );
    assert.deepEqual(await session.load(), []);
    assert.ok(warnings.some((line) => /'damaged' of namespace company\.ai is not a conversation/.test(line)));
  });

  test('PostgreSQL: a wrong table name is refused before connecting; an unreachable server is named', async () => {
    const base = {
      type: 'io.kestra.plugin.ai.memory.PostgreSQL',
      host: '127.0.0.1',
      database: 'x',
      user: 'u',
      password: 'p',
    };
    await assert.rejects(
      openChatMemory(registry, { ...base, tableName: 'chat; drop table x' }, context),
      /memory\.tableName/,
    );
    await assert.rejects(
      openChatMemory(registry, { ...base, port: 1 }, context),
      /memory PostgreSQL 127\.0\.0\.1:1\/x: creating the table failed: .*ECONNREFUSED/,
    );
  });
});
