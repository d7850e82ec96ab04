import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PluginRegistry } from '../plugin/plugin-registry.ts';
import { coreTaskPlugins } from '../tasks/core/index.ts';
import { flowTaskPlugins } from '../tasks/flow/index.ts';
import { triggerPlugins } from '../tasks/trigger/index.ts';
import { flowGraph } from './flow-graph.ts';
import { parseFlowSource } from './flow-source.ts';

// The real flow, core and trigger definitions; the AI plugins are not needed to draw a graph.
const registry = new PluginRegistry().register(...flowTaskPlugins, ...coreTaskPlugins, ...triggerPlugins);

function graphOf(source: string) {
  const parsed = parseFlowSource(source, registry);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return flowGraph(parsed.flows[0]!.spec, registry);
}

describe('flow topology', () => {
  test('nested flowable children sit in a cluster; If branches are labelled; errors and triggers are drawn', () => {
    const graph = graphOf(`id: g
namespace: company.team
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: a
  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ true }}"
    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: y
    else:
      - id: no
        type: io.kestra.plugin.core.log.Log
        message: n
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: z
errors:
  - id: alert
    type: io.kestra.plugin.core.log.Log
    message: failed
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: k
`);
    const uids = graph.nodes.map((n) => n.uid);
    for (const uid of ['task.first', 'task.branch', 'task.yes', 'task.no', 'task.last', 'task.alert', 'trigger.hook']) {
      assert.ok(uids.includes(uid), uid);
    }
    assert.equal(graph.nodes.find((n) => n.uid === 'task.yes')?.cluster, 'cluster.branch');
    assert.ok(graph.clusters.some((c) => c.uid === 'cluster.errors'));
    const edge = (source: string, target: string) =>
      graph.edges.find((e) => e.source === source && e.target === target);
    assert.equal(edge('task.branch', 'task.yes')?.label, 'then');
    assert.equal(edge('task.branch', 'task.no')?.label, 'else');
    assert.ok(edge('task.yes', 'task.last') && edge('task.no', 'task.last'), 'both branches join the next task');
    assert.ok(edge('trigger.hook', 'root.start'));
    assert.ok(edge('task.last', 'root.end'));
  });

  test('Parallel children all start from the parallel task and all join the next one', () => {
    const graph = graphOf(`id: p
namespace: company.team
tasks:
  - id: fan
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: a
        type: io.kestra.plugin.core.log.Log
        message: a
      - id: b
        type: io.kestra.plugin.core.log.Log
        message: b
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: done
`);
    const targets = graph.edges.filter((e) => e.source === 'task.fan').map((e) => e.target);
    assert.deepEqual(targets.sort(), ['task.a', 'task.b']);
    assert.ok(graph.edges.some((e) => e.source === 'task.a' && e.target === 'task.after'));
    assert.ok(graph.edges.some((e) => e.source === 'task.b' && e.target === 'task.after'));
  });
});
