/** One task on the canvas: id, what it runs, and its live state. */
import React, { memo } from 'react';
import { Handle, NodeProps, Position, Node } from '@xyflow/react';
import { Task, TaskStatus } from '../types';

export interface TaskNodeData extends Record<string, unknown> {
  task: Task;
  status?: TaskStatus;
  invalid?: boolean;
}

export type TaskFlowNode = Node<TaskNodeData, 'task'>;

/** A one-line description of what a task runs. */
export function taskSubtitle(task: Task): string {
  if (task.kind === 'classical') {
    return task.fn;
  }
  const c = task.circuit;
  const circuit =
    c.builtin ?? (c.qasm ? 'qasm' : c.qasm_file ? c.qasm_file : (c.callable ?? '?'));
  return `${circuit} @ ${task.backend}`;
}

function TaskNodeView({ data, selected }: NodeProps<TaskFlowNode>) {
  const status = data.status ?? 'idle';
  const classes = [
    'jp-QFlow-node',
    `jp-QFlow-node-${data.task.kind}`,
    `jp-QFlow-state-${status}`,
    selected ? 'jp-QFlow-node-selected' : '',
    data.invalid ? 'jp-QFlow-node-invalid' : ''
  ];
  return (
    <div
      className={classes.join(' ')}
      data-task-id={data.task.id}
      data-status={status}
      title={data.status ? `${data.task.id}: ${data.status}` : data.task.id}
    >
      <Handle type="target" position={Position.Left} />
      <div className="jp-QFlow-node-title">
        <span className="jp-QFlow-node-kind">
          {data.task.kind === 'quantum' ? 'Q' : 'ƒ'}
        </span>
        {data.task.id}
      </div>
      <div className="jp-QFlow-node-sub">{taskSubtitle(data.task)}</div>
      {data.status && <div className="jp-QFlow-node-status">{data.status}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const TaskNode = memo(TaskNodeView);
