import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness } from '../../engine/testing/engine-harness.ts';
import { coreTaskPlugins } from './index.ts';

/** The core tasks inside real flows on the real engine: templates, KV on SQLite, failures. */
let harness: Harness;
before(async () => {
  harness = await createHarness();
});
after(async () => {
  await harness.close();
});

describe('core tasks in flows', () => {
  test('every example flow that needs no network runs to SUCCESS', async () => {
    for (const task of coreTaskPlugins) {
      // HTTP examples need the network; storage examples need files from earlier tasks.
      if (task.type.includes('.http.') || task.type.includes('.storage.')) continue;
      for (const example of task.examples ?? []) {
        const inputs = example.code.includes('type: INT') ? { count: 1 } : {};
        const execution = await harness.run(example.code, { inputs });
        assert.equal(
          execution.state.current,
          'SUCCESS',
          `${task.type}: ${JSON.stringify(execution.taskRuns.map((r) => r.attempts.at(-1)?.error))}`,
        );
      }
    }
  });

  test('KV round trip, outputs and templates across tasks', async () => {
    const execution = await harness.run(
      [
        'id: kv_round_trip',
        'namespace: company.kv',
        'tasks:',
        '  - id: set',
        '    type: io.kestra.plugin.core.kv.Set',
        '    key: "counter_{{ flow.id }}"',
        '    value: "{{ 40 + 2 }}"',
        '    kvType: NUMBER',
        '  - id: get',
        '    type: io.kestra.plugin.core.kv.Get',
        '    key: counter_kv_round_trip',
        '  - id: keys',
        '    type: io.kestra.plugin.core.kv.GetKeys',
        '    prefix: counter',
        '  - id: compute',
        '    type: io.kestra.plugin.core.debug.Return',
        "    format: \"{{ outputs.get.value * 2 }} {{ outputs['keys'].keys | join(',') }}\"",
        '  - id: delete',
        '    type: io.kestra.plugin.core.kv.Delete',
        '    key: counter_kv_round_trip',
        '  - id: log',
        '    type: io.kestra.plugin.core.log.Log',
        '    message:',
        '      - "value {{ outputs.compute.value }}"',
        '      - "deleted {{ outputs.delete.deleted }}"',
      ].join('\n'),
    );
    assert.equal(
      execution.state.current,
      'SUCCESS',
      JSON.stringify(execution.taskRuns.map((r) => r.attempts.at(-1)?.error)),
    );
    const compute = execution.taskRuns.find((run) => run.taskId === 'compute');
    assert.deepEqual(compute?.outputs, { value: '84 counter_kv_round_trip' });
    assert.equal(await harness.repository.kv.get('company.kv', 'counter_kv_round_trip'), undefined);
    const logs = await harness.logs(execution.id);
    assert.ok(logs.includes('INFO log value 84 counter_kv_round_trip'), logs.join('\n'));
    assert.ok(logs.includes('INFO log deleted true'), logs.join('\n'));
  });

  test('Fail with a true condition fails the execution with its message', async () => {
    const execution = await harness.run(
      [
        'id: fail_flow',
        'namespace: company.team',
        'inputs:',
        '  - id: n',
        '    type: INT',
        'tasks:',
        '  - id: check',
        '    type: io.kestra.plugin.core.execution.Fail',
        '    condition: "{{ inputs.n < 0 }}"',
        '    errorMessage: "n is negative: {{ inputs.n }}"',
      ].join('\n'),
      { inputs: { n: -1 } },
    );
    assert.equal(execution.state.current, 'FAILED');
    assert.match(JSON.stringify(execution.taskRuns[0]?.attempts), /n is negative: -1/);
  });
});
