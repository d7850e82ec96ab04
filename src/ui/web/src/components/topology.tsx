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

function layout(graph: FlowGraph | undefined, states: Record<string, string>): { nodes: Node[]; edges: Edge[] } {
  if (!graph) return { nodes: [], edges: [] };
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 48 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const small = node.kind === 'start' || node.kind === 'end';
    g.setNode(node.uid, { width: small ? 60 : WIDTH, height: small ? 32 : HEIGHT });
  }
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const nodes: Node[] = graph.nodes.map((node) => {
    const position = g.node(node.uid);
    const state = node.id ? states[node.id] : undefined;
    const small = node.kind === 'start' || node.kind === 'end';
    const label = node.kind === 'start' ? 'start' : node.kind === 'end' ? 'end' : `${node.id}\n${shortType(node.type)}`;
    return {
      id: node.uid,
      position: { x: position.x - position.width / 2, y: position.y - position.height / 2 },
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
  return { nodes, edges };
}
