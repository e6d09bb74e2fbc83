/**
 * The run's graph at every size: up to BIG_GRAPH tasks (the server's `layout.big` says)
 * one card per task (React Flow, read-only, the designer's own node), beyond it every task
 * as a dot on a canvas (BigGraph). Positions come from the server's layout either way.
 */
import React, { useMemo } from 'react';
import {
  Background,
  Controls,
  Edge,
  ReactFlow,
  ReactFlowProvider
} from '@xyflow/react';
import { TaskFlowNode, TaskNode } from '../components/TaskNode';
import { statusVar } from '../model/statusPalette';
import { GraphLayout, Task, TaskStatus } from '../types';
import { BigGraph } from './BigGraph';
import { statusOfCode } from './viewData';

const NODE_TYPES = { task: TaskNode };

export interface RunGraphProps {
  layout: GraphLayout;
  states: string;
  /** The spec's tasks, when known: the cards say what each task runs. */
  tasks?: Task[];
  onSelect?: (taskId: string | null, status?: TaskStatus) => void;
}

function SmallGraph({ layout, states, tasks, onSelect }: RunGraphProps) {
  const byId = useMemo(() => new Map((tasks ?? []).map(t => [t.id, t])), [tasks]);
  const nodes: TaskFlowNode[] = layout.ids.map((id, i) => ({
    id,
    type: 'task',
    position: { x: layout.x[i] * 240, y: layout.y[i] * 110 },
    draggable: false,
    connectable: false,
    data: {
      task:
        byId.get(id) ??
        (layout.kinds[i] === 'q'
          ? ({ id, kind: 'quantum', backend: '', circuit: {} } as Task)
          : ({ id, kind: 'classical', fn: '' } as Task)),
      status: statusOfCode(states[i] ?? '0')
    }
  }));
  const edges: Edge[] = [];
  for (let e = 0; e + 1 < layout.edges.length; e += 2) {
    const src = layout.ids[layout.edges[e]];
    const dst = layout.ids[layout.edges[e + 1]];
    edges.push({
      id: `${src}->${dst}`,
      source: src,
      target: dst,
      style: {
        stroke: statusVar(statusOfCode(states[layout.edges[e]] ?? '0'), 'border')
      }
    });
  }
  return (
    <div className="jp-QFlow-rungraph" data-graph-renderer="cards">
      <ReactFlow<TaskFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_, n) => onSelect?.(n.id)}
        onPaneClick={() => onSelect?.(null)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

export function RunGraph(props: RunGraphProps) {
  if (props.layout.big) {
    return (
      <BigGraph layout={props.layout} states={props.states} onSelect={props.onSelect} />
    );
  }
  return (
    <ReactFlowProvider>
      <SmallGraph {...props} />
    </ReactFlowProvider>
  );
}
