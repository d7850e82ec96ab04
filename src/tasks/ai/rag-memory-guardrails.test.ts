import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { memoryPlugins } from '../../ai/memory/index.ts';
import {
  dropPostgresTable,
  postgresMemoryConfig,
  postgresTestOptions,
  postgresTestUrl,
} from '../../ai/memory/testing/postgres-test-server.ts';
import { openRepositoryKv } from '../../ai/memory/testing/repository-kv.ts';
import { createHarness } from '../../engine/testing/engine-harness.ts';
import type { Execution } from '../../model/execution.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { RunContext } from '../../plugin/run-context.ts';
import { chatCompletionTask } from './chat-completion-task.ts';
import { aiTaskPlugins } from './index.ts';
import { ingestDocumentTask } from './ingest-document-task.ts';
import { ragChatCompletionTask } from './rag-chat-completion-task.ts';
import { fakeCalls, fakeProvider, fakeStore, resetFakeCalls } from './testing/fake-ai-plugins.ts';
import { runTask, testRunContext } from './testing/task-context.ts';

const registry = new PluginRegistry().register(...aiTaskPlugins, fakeProvider, fakeStore, ...memoryPlugins);
const provider = { type: 'io.windhover.test.FakeProvider' };
const kvMemory = { type: 'io.kestra.plugin.ai.memory.KestraKVStore' };
const kv = await openRepositoryKv('wh-rag-memory-');
beforeEach(() => resetFakeCalls());

/** A run context with the real KV store, an execution id and labels. */
function context(options: { executionId?: string; labels?: Record<string, string> } = {}): RunContext {
  const { ctx } = testRunContext({ registry });
  return {
    ...ctx,
    kv,
    execution: { id: options.executionId ?? 'execution-1' },
    variables: { labels: options.labels ?? {} },
  };
}

describe('rag.ChatCompletion memory', () => {
  test('a chat with memory alone remembers the previous exchange, before the new prompt', async () => {
    const memory = { ...kvMemory, memoryId: 'JOHN', messages: 5 };
    const first = await runTask(ragChatCompletionTask, context(), {
      chatProvider: { ...provider, answer: 'Nice to meet you, John.' },
      memory,
      systemMessage: 'Answer concisely.',
      prompt: 'Hi, my name is John and I live in New York!',
    });
    assert.equal(first.textOutput, 'Nice to meet you, John.');
    assert.deepEqual(first.sources, []);
    assert.equal(fakeCalls.embedCalls, 0);
    await runTask(ragChatCompletionTask, context(), {
      chatProvider: { ...provider, answer: 'John, in New York.' },
      memory,
      prompt: "What's my name and where do I live?",
    });
    assert.deepEqual(fakeCalls.chatRequests[1], [
      { type: 'SYSTEM', content: 'Answer concisely.' },
      { type: 'USER', content: 'Hi, my name is John and I live in New York!' },
      { type: 'AI', content: 'Nice to meet you, John.' },
      { type: 'USER', content: "What's my name and where do I live?" },
    ]);
    const stored = await kv.get('company.ai', 'JOHN');
    assert.equal(stored?.type, 'JSON');
    assert.equal((stored!.value as unknown[]).length, 5);
    assert.ok(stored?.expirationDate, 'the KV entry expires after ttl');
  });

  test('with retrieval, sources go into the new prompt only; the plain prompt is remembered', async () => {
    const { ctx } = testRunContext({ registry });
    await runTask(ingestDocumentTask, ctx, {
      provider,
      embeddings: { type: 'io.windhover.test.MemoryStore', name: 'memory-rag' },
      drop: true,
      fromDocuments: [{ content: 'Volumes keep container data between runs.' }],
    });
    const memory = { ...kvMemory, memoryId: 'rag-turns' };
    const props = {
      chatProvider: provider,
      embeddings: { type: 'io.windhover.test.MemoryStore', name: 'memory-rag' },
      memory,
      prompt: 'what do volumes do',
    };
    await runTask(ragChatCompletionTask, context(), props);
    await runTask(ragChatCompletionTask, context(), { ...props, prompt: 'and after a restart?' });
    const second = fakeCalls.chatRequests[1]!;
    assert.deepEqual(second[0], { type: 'USER', content: 'what do volumes do' });
    assert.match(
      second[2]!.content,
      /^and after a restart\?\n\nAnswer using the following information:\n\[1\] Volumes/,
    );
  });

  test('the default memory id is the correlation label when present, else the execution id', async () => {
    await runTask(ragChatCompletionTask, context({ executionId: 'exec-42' }), {
      chatProvider: provider,
      memory: kvMemory,
      prompt: 'hello',
    });
    assert.ok(await kv.get('company.ai', 'exec-42'));
    await runTask(
      ragChatCompletionTask,
      context({ executionId: 'child', labels: { 'system.correlationId': 'root-1' } }),
      {
        chatProvider: provider,
        memory: kvMemory,
        prompt: 'hello',
      },
    );
    assert.ok(await kv.get('company.ai', 'root-1'));
    assert.equal(await kv.get('company.ai', 'child'), undefined);
  });

  test(
    'PostgreSQL memory: the reference example’s chat continues in a real database table',
    postgresTestOptions,
    async () => {
      const url = postgresTestUrl ?? '';
      const tableName = `rag_memory_test_${process.pid}`;
      const memory = postgresMemoryConfig(url, tableName);
      const ask = (prompt: string, answer: string) =>
        runTask(ragChatCompletionTask, context({ executionId: `pg-${process.pid}` }), {
          chatProvider: { ...provider, answer },
          memory,
          systemMessage: 'You are a helpful assistant, answer concisely',
          prompt,
        });
      try {
        await ask('My name is Ada.', 'Hello Ada.');
        await ask('What is my name?', 'Ada.');
        assert.deepEqual(
          fakeCalls.chatRequests[1]?.map((message) => message.content),
          ['You are a helpful assistant, answer concisely', 'My name is Ada.', 'Hello Ada.', 'What is my name?'],
        );
      } finally {
        await dropPostgresTable(url, tableName);
      }
    },
  );

  test('AFTER_TASKRUN answers with the history and then erases it', async () => {
    const memory = { ...kvMemory, memoryId: 'last-turn' };
    await runTask(ragChatCompletionTask, context(), { chatProvider: provider, memory, prompt: 'one' });
    await runTask(ragChatCompletionTask, context(), {
      chatProvider: provider,
      memory: { ...memory, drop: 'AFTER_TASKRUN' },
      prompt: 'two',
    });
    assert.equal(fakeCalls.chatRequests[1]?.length, 3);
    assert.equal(await kv.get('company.ai', 'last-turn'), undefined);
  });
});

describe('guardrails', () => {
  test('a failing input rule stops before retrieval and the model, with the rule’s message', async () => {
    const result = await runTask(ragChatCompletionTask, context(), {
      chatProvider: provider,
      embeddings: { type: 'io.windhover.test.MemoryStore', name: 'memory-rag' },
      memory: { ...kvMemory, memoryId: 'guarded' },
      guardrails: {
        input: [
          { expression: '{{ message | length < 1000 }}', message: 'Prompt is too long.' },
          { expression: "{{ not (message | lower contains 'password') }}", message: 'No secrets, please.' },
        ],
      },
      prompt: 'What is the admin PASSWORD?',
    });
    assert.equal(result.guardrailViolated, true);
    assert.equal(result.guardrailViolationMessage, 'No secrets, please.');
    assert.equal(result.textOutput, undefined);
    assert.equal(fakeCalls.chatRequests.length, 0);
    assert.equal(fakeCalls.embedCalls, 0);
    assert.equal(await kv.get('company.ai', 'guarded'), undefined);
  });

  test('a failing output rule withholds the answer and keeps it out of memory; passing rules answer', async () => {
    const guardrails = {
      output: [
        {
          expression: "{{ not (response contains 'CONFIDENTIAL') }}",
          message: 'Response leaked confidential content.',
        },
        { expression: "{{ finishReason == 'STOP' and outputTokenCount > 0 }}", message: 'Incomplete answer.' },
      ],
    };
    const memory = { ...kvMemory, memoryId: 'output-guarded' };
    const ask = (answer: string) =>
      runTask(ragChatCompletionTask, context(), {
        chatProvider: { ...provider, answer },
        memory,
        guardrails,
        prompt: 'Tell me the plan',
      });
    const blocked = await ask('The CONFIDENTIAL plan is...');
    assert.equal(blocked.guardrailViolated, true);
    assert.equal(blocked.guardrailViolationMessage, 'Response leaked confidential content.');
    assert.equal(blocked.textOutput, undefined);
    assert.deepEqual(blocked.tokenUsage, { inputTokenCount: 10, outputTokenCount: 5, totalTokenCount: 15 });
    assert.equal(await kv.get('company.ai', 'output-guarded'), undefined);
    const allowed = await ask('The public plan.');
    assert.equal(allowed.guardrailViolated, false);
    assert.equal(allowed.textOutput, 'The public plan.');
  });

  test('completion.ChatCompletion applies the same rules to its last user message and its answer', async () => {
    const guardrails = {
      input: [{ expression: '{{ message | length < 20 }}', message: 'Too long.' }],
      output: [{ expression: "{{ response != 'no' }}", message: 'Refused.' }],
    };
    const long = await runTask(chatCompletionTask, context(), {
      provider,
      messages: [{ type: 'USER', content: 'a question far longer than twenty characters' }],
      guardrails,
    });
    assert.deepEqual([long.guardrailViolated, long.guardrailViolationMessage], [true, 'Too long.']);
    assert.equal(fakeCalls.chatRequests.length, 0);
    const refused = await runTask(chatCompletionTask, context(), {
      provider: { ...provider, answer: 'no' },
      messages: [{ type: 'USER', content: 'short' }],
      guardrails,
    });
    assert.deepEqual([refused.guardrailViolated, refused.guardrailViolationMessage], [true, 'Refused.']);
  });
});

describe('memory and guardrails on the engine', () => {
  test('guardrail expressions are evaluated by the task, and the KV memory lives in the flow namespace', async () => {
    const harness = await createHarness();
    try {
      const execution: Execution = await harness.run(`id: chat_with_memory
namespace: company.ai
tasks:
  - id: first
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: Hi, my name is John
  - id: second
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: "{{ 'What is my name? ' ~ 'Please answer at length, in detail, with every fact you know.' }}"
pluginDefaults:
  - type: io.kestra.plugin.ai.rag.ChatCompletion
    values:
      chatProvider:
        type: io.windhover.plugin.ai.provider.Local
      memory:
        type: io.kestra.plugin.ai.memory.KestraKVStore
        memoryId: "{{ flow.id }}-memory"
      guardrails:
        input:
          - expression: "{{ message | length < 40 }}"
            message: Keep questions short.
`);
      const errors = execution.taskRuns.map((run) => run.attempts.at(-1)?.error).filter(Boolean);
      assert.equal(execution.state.current, 'SUCCESS', JSON.stringify(errors));
      const outputs = (id: string) => execution.taskRuns.find((run) => run.taskId === id)?.outputs ?? {};
      assert.equal(outputs('first').guardrailViolated, false);
      assert.equal(outputs('second').guardrailViolated, true);
      assert.equal(outputs('second').guardrailViolationMessage, 'Keep questions short.');
      const stored = await harness.repository.kv.get('company.ai', 'chat_with_memory-memory');
      assert.equal((stored?.value as unknown[] | undefined)?.length, 2);
    } finally {
      await harness.close();
    }
  });
});
