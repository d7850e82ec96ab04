import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Execution } from '../model/execution.ts';
import { CORRELATION_ID_LABEL, correlationIdOf } from './correlation-id.ts';
import { createHarness, type Harness } from './testing/engine-harness.ts';
import { outputsOf } from './testing/task-runs.ts';

const correlationLabels = (execution: Execution | undefined) =>
  (execution?.labels ?? []).filter((label) => label.key === CORRELATION_ID_LABEL);

describe('system.correlationId label', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  test('a root execution carries its own id, after its other labels, and templates read it', async () => {
    const execution = await h.run(
      `id: correlated
namespace: company.team
labels:
  team: ai
tasks:
  - id: show
    type: io.windhover.test.Echo
    value: "{{ labels.system.correlationId }}|{{ labels['system.correlationId'] }}|{{ labels.team }}"
`,
      { labels: [{ key: 'env', value: 'test' }] },
    );
    assert.equal(execution.state.current, 'SUCCESS');
    assert.deepEqual(execution.labels, [
      { key: 'team', value: 'ai' },
      { key: 'env', value: 'test' },
      { key: CORRELATION_ID_LABEL, value: execution.id },
    ]);
    assert.equal(outputsOf(execution, 'show').value, `${execution.id}|${execution.id}|ai`);
    const stored = await h.repository.executions.get(execution.id);
    assert.equal(stored && correlationIdOf(stored), execution.id);
  });

  test('subflows and their subflows inherit the root execution id, even with inheritLabels', async () => {
    await h.save(`id: grand_child
namespace: company.team
tasks:
  - id: show
    type: io.windhover.test.Echo
    value: "{{ labels.system.correlationId }}"
outputs:
  - id: seen
    type: STRING
    value: "{{ outputs.show.value }}"
`);
    await h.save(`id: middle
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: grand_child
    inheritLabels: true
outputs:
  - id: seen
    type: STRING
    value: "{{ outputs.call.outputs.seen }}"
`);
    const root = await h.run(`id: root
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: middle
`);
    assert.equal(root.state.current, 'SUCCESS');
    const middle = await h.repository.executions.get(String(outputsOf(root, 'call').executionId));
    assert.ok(middle);
    const grandChild = await h.repository.executions.get(String(outputsOf(middle, 'call').executionId));
    assert.ok(grandChild);
    assert.equal(grandChild.parentId, middle.id);
    assert.deepEqual(correlationLabels(middle), [{ key: CORRELATION_ID_LABEL, value: root.id }]);
    // inheritLabels copies the parent's labels: still exactly one correlation label.
    assert.deepEqual(correlationLabels(grandChild), [{ key: CORRELATION_ID_LABEL, value: root.id }]);
    assert.deepEqual(outputsOf(middle, 'call').outputs, { seen: root.id });
  });

  test('restart keeps the label; a replay keeps the original execution’s', async () => {
    const failed = await h.run(`id: correlated_restart
namespace: company.team
tasks:
  - id: flaky
    type: io.windhover.test.Echo
    key: correlation-flaky
    failTimes: 1
    value: "{{ labels.system.correlationId }}"
`);
    assert.equal(failed.state.current, 'FAILED');
    const restarted = await h.restart(failed.id);
    assert.equal(restarted.state.current, 'SUCCESS');
    assert.deepEqual(correlationLabels(restarted), [{ key: CORRELATION_ID_LABEL, value: failed.id }]);

    const replayed = await h.replay(restarted.id);
    assert.notEqual(replayed.id, failed.id);
    assert.deepEqual(correlationLabels(replayed), [{ key: CORRELATION_ID_LABEL, value: failed.id }]);
    assert.equal(outputsOf(replayed, 'flaky').value, failed.id);
    // A replay of the replay is still in the first execution's tree.
    const again = await h.replay(replayed.id);
    assert.deepEqual(correlationLabels(again), [{ key: CORRELATION_ID_LABEL, value: failed.id }]);
  });

  test('a caller may join an existing tree: an explicit correlationId, or a label given at creation', async () => {
    const flow = `id: joiner
namespace: company.team
tasks:
  - id: show
    type: io.windhover.test.Echo
    value: "{{ labels.system.correlationId }}"
`;
    const explicit = await h.run(flow, { correlationId: 'upstream-1' });
    assert.deepEqual(correlationLabels(explicit), [{ key: CORRELATION_ID_LABEL, value: 'upstream-1' }]);
    assert.equal(outputsOf(explicit, 'show').value, 'upstream-1');
    const labelled = await h.run(flow, {
      labels: [
        { key: CORRELATION_ID_LABEL, value: 'chat-42' },
        { key: 'env', value: 'test' },
      ],
    });
    assert.deepEqual(labelled.labels, [
      { key: 'env', value: 'test' },
      { key: CORRELATION_ID_LABEL, value: 'chat-42' },
    ]);
  });

  test('chat memories default to it: a subflow continues the root execution’s conversation', async () => {
    const chat = `    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.windhover.plugin.ai.provider.Local
    memory:
      type: io.kestra.plugin.ai.memory.KestraKVStore
`;
    await h.save(`id: chat_child
namespace: company.chat
tasks:
  - id: ask
${chat}    prompt: What is my name?
`);
    const root = await h.run(`id: chat_root
namespace: company.chat
tasks:
  - id: hello
${chat}    prompt: Hi, my name is John.
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.chat
    flowId: chat_child
`);
    assert.equal(root.state.current, 'SUCCESS');
    const memories = await h.repository.kv.list('company.chat', {});
    assert.deepEqual(
      memories.map((entry) => entry.key),
      [root.id],
    );
    const messages = memories[0]?.value as { type: string }[];
    assert.deepEqual(
      messages.map((message) => message.type),
      ['USER', 'AI', 'USER', 'AI'],
    );
    const child = String(outputsOf(root, 'call').executionId);
    assert.ok(await h.logged(child, `memory '${root.id}'`));
  });

  test('a flow declaring a system label is still rejected', async () => {
    await h.save(`id: sneaky
namespace: company.team
labels:
  system.correlationId: mine
tasks:
  - id: show
    type: io.windhover.test.Echo
`);
    await assert.rejects(h.engine.createExecution('company.team', 'sneaky'), /reserved/);
  });
});
