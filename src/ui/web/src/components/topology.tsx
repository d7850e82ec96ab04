import dagre from '@dagrejs/dagre';
import { Background, Controls, type Edge, type Node, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { type FlowGraph, shortType } from '../api.ts';
import { STATE_COLORS } from './state-badge.tsx';

const WIDTH = 190;
const HEIGHT = 54;

/** The flow's DAG laid out left to right with dagre; nodes coloured by task-run state when given. */
export function Topology({ graph, states = {} }: { graph: FlowGraph | undefined; states?: Record<string, string> }) {
  const { nodes, edges } = useMemo(() => layout(graph, states), [graph, states]);
  if (!graph) return <div className="topology empty">No topology yet</div>;
  return (
    <div className="topology" data-testid="topology">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        colorMode="dark"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

const PADDING = 16;

function layout(graph: FlowGraph | undefined, states: Record<string, string>): { nodes: Node[]; edges: Edge[] } {
  if (!graph) return { nodes: [], edges: [] };
  // A compound graph: children of flowable tasks (and errors/finally branches) sit inside their cluster's box.
  const g = new dagre.graphlib.Graph({ compound: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 48 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const cluster of graph.clusters)
    g.setNode(cluster.uid, {
      paddingLeft: PADDING,
      paddingRight: PADDING,
      paddingTop: PADDING * 2,
      paddingBottom: PADDING,
    });
  for (const cluster of graph.clusters) if (cluster.parent) g.setParent(cluster.uid, cluster.parent);
  for (const node of graph.nodes) {
    const small = node.kind === 'start' || node.kind === 'end';
    g.setNode(node.uid, { width: small ? 60 : WIDTH, height: small ? 32 : HEIGHT });
    if (node.cluster) g.setParent(node.uid, node.cluster);
  }
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);

  const topLeft = (uid: string) => {
    const box = g.node(uid);
    return { x: box.x - box.width / 2, y: box.y - box.height / 2 };
  };
  // xyflow places a child relative to its parent, and wants parents listed first.
  const relative = (uid: string, parent: string | undefined) => {
    const own = topLeft(uid);
    if (!parent) return own;
    const origin = topLeft(parent);
    return { x: own.x - origin.x, y: own.y - origin.y };
  };
  const depth = (uid: string | undefined): number => {
    const cluster = graph.clusters.find((c) => c.uid === uid);
    return cluster ? 1 + depth(cluster.parent) : 0;
  };
  const groups: Node[] = [...graph.clusters]
    .sort((a, b) => depth(a.uid) - depth(b.uid))
    .map((cluster) => {
      const box = g.node(cluster.uid);
      return {
        id: cluster.uid,
        type: 'group',
        position: relative(cluster.uid, cluster.parent),
        ...(cluster.parent ? { parentId: cluster.parent } : {}),
        data: { label: cluster.id },
        className: `topo-cluster topo-cluster-${cluster.id}`,
        style: { width: box.width, height: box.height },
        selectable: false,
      } as Node;
    });
  const nodes: Node[] = graph.nodes.map((node) => {
    const state = node.id ? states[node.id] : undefined;
    const small = node.kind === 'start' || node.kind === 'end';
    const label = node.kind === 'start' ? 'start' : node.kind === 'end' ? 'end' : `${node.id}\n${shortType(node.type)}`;
    return {
      id: node.uid,
      position: relative(node.uid, node.cluster),
      ...(node.cluster ? { parentId: node.cluster } : {}),
      data: { label },
      className: `topo-node topo-${node.kind}${node.cluster ? ` topo-in-${node.cluster.replace('cluster.', '')}` : ''}`,
      style: {
        width: small ? 60 : WIDTH,
        borderColor: state ? STATE_COLORS[state] : undefined,
        borderWidth: state ? 3 : 1,
      },
      ...(state ? { ariaLabel: `${node.id}: ${state}` } : {}),
      sourcePosition: 'right' as Node['sourcePosition'],
      targetPosition: 'left' as Node['targetPosition'],
    } as Node;
  });
  const edges: Edge[] = graph.edges.map((edge, index) => ({
    id: `e${index}`,
    source: edge.source,
    target: edge.target,
    ...(edge.label ? { label: edge.label } : {}),
  }));
  return { nodes: [...groups, ...nodes], edges };
}
