import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFlows } from './load-flows.ts';
import { createStubRegistry } from './stub-registry.ts';
import { allTasks, childTaskLists } from './task-tree.ts';

const registry = createStubRegistry();
const source = `
id: tree
namespace: n
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: sw
        type: io.kestra.plugin.core.flow.Switch
        value: a
        cases:
          a:
            - id: case_a
              type: io.kestra.plugin.core.debug.Return
              format: A
        defaults:
          - id: fallback
            type: io.kestra.plugin.core.debug.Return
            format: D
    errors:
      - id: local_error
        type: io.kestra.plugin.core.debug.Return
        format: E
  - id: last
    type: io.kestra.plugin.core.debug.Return
    format: L
errors:
  - id: global_error
    type: io.kestra.plugin.core.debug.Return
    format: G
finally:
  - id: cleanup
    type: io.kestra.plugin.core.debug.Return
    format: C
afterExecution:
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: X
`;

describe('task tree', () => {
  const result = loadFlows(source, registry);
  assert.ok(result.ok);
  const flow = result.flows[0]?.spec;
  assert.ok(flow);

  test('childTaskLists gives task lists by property, Switch cases as cases.<value>, and local errors', () => {
    const seq = flow.tasks[0];
    assert.ok(seq);
    assert.deepEqual(
      childTaskLists(seq, registry).map((list) => [list.key, list.tasks.map((t) => t.id)]),
      [
        ['tasks', ['sw']],
        ['errors', ['local_error']],
      ],
    );
    const sw = childTaskLists(seq, registry)[0]?.tasks[0];
    assert.ok(sw);
    assert.deepEqual(
      childTaskLists(sw, registry).map((list) => [list.key, list.tasks.map((t) => t.id)]),
      [
        ['defaults', ['fallback']],
        ['cases.a', ['case_a']],
      ],
    );
    assert.deepEqual(childTaskLists(flow.tasks[1] ?? seq, registry), []);
  });

  test('allTasks walks every task depth-first through tasks, errors, finally and afterExecution', () => {
    assert.deepEqual(
      allTasks(flow, registry).map((task) => task.id),
      ['seq', 'sw', 'fallback', 'case_a', 'local_error', 'last', 'global_error', 'cleanup', 'after'],
    );
  });
});
