import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  test('Download, Size, Concat and Request against a local server', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/doc.txt') response.end('hello corpus');
      else response.end(JSON.stringify({ ok: true, method: request.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const execution = await harness.run(
        [
          'id: http_flow',
          'namespace: company.team',
          'tasks:',
          '  - id: download',
          '    type: io.kestra.plugin.core.http.Download',
          `    uri: ${base}/doc.txt`,
          '  - id: size',
          '    type: io.kestra.plugin.core.storage.Size',
          '    uri: "{{ outputs.download.uri }}"',
          '  - id: concat',
          '    type: io.kestra.plugin.core.storage.Concat',
          '    files: ["{{ outputs.download.uri }}", "{{ outputs.download.uri }}"]',
          '    separator: " | "',
          '  - id: request',
          '    type: io.kestra.plugin.core.http.Request',
          `    uri: ${base}/api`,
          '    method: POST',
          '    body: "{{ {\'size\': outputs.size.size} | toJson }}"',
          '  - id: log',
          '    type: io.kestra.plugin.core.log.Log',
          '    message: "{{ outputs.request.code }} {{ fromJson(outputs.request.body).ok }} {{ read(outputs.concat.uri) }}"',
        ].join('\n'),
      );
      assert.equal(
        execution.state.current,
        'SUCCESS',
        JSON.stringify(execution.taskRuns.map((r) => r.attempts.at(-1)?.error)),
      );
      const size = execution.taskRuns.find((run) => run.taskId === 'size');
      assert.deepEqual(size?.outputs, { size: 12 });
      const logs = await harness.logs(execution.id);
      assert.ok(logs.includes('INFO log 200 true hello corpus | hello corpus'), logs.join('\n'));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
