/** One task on the canvas: id, what it runs, its run state and its first problem. */
import React, { memo } from 'react';
import { Handle, NodeProps, Position, Node } from '@xyflow/react';
import { statusClass, statusLabel } from '../model/statusPalette';
import { Task, TaskStatus } from '../types';

export interface TaskNodeData extends Record<string, unknown> {
  task: Task;
  status?: TaskStatus;
  /** The spec was edited since the run: the state shown is the old run's. */
  stale?: boolean;
  /** Validation problems of this task (messages). */
  problems?: string[];
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
  const problems = data.problems ?? [];
  const classes = [
    'jp-QFlow-node',
    `jp-QFlow-node-${data.task.kind}`,
    statusClass(data.status),
    data.stale ? 'jp-QFlow-node-stale' : '',
    selected ? 'jp-QFlow-node-selected' : '',
    problems.length ? 'jp-QFlow-node-invalid' : ''
  ];
  const title = [
    data.task.id,
    data.status && `${statusLabel(data.status)}`,
    ...problems
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-task-id={data.task.id}
      data-status={status}
      data-stale={data.stale ? 'true' : undefined}
      title={title}
    >
      <Handle type="target" position={Position.Left} />
      <div className="jp-QFlow-node-title">
        <span
          className="jp-QFlow-node-kind"
          aria-label={data.task.kind === 'quantum' ? 'quantum task' : 'classical task'}
        >
          {data.task.kind === 'quantum' ? 'Q' : 'ƒ'}
        </span>
        {data.task.id}
      </div>
      <div className="jp-QFlow-node-sub">{taskSubtitle(data.task)}</div>
      {(data.status || problems.length > 0) && (
        <div className="jp-QFlow-node-foot">
          {data.status && (
            <span className="jp-QFlow-pill" data-pill={data.status}>
              {statusLabel(data.status)}
              {data.stale ? ' · before edit' : ''}
            </span>
          )}
          {problems.length > 0 && (
            <span className="jp-QFlow-node-problem" role="alert">
              {problems.length > 1 ? `(${problems.length} problems) ` : ''}
              {problems[0]}
            </span>
          )}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const TaskNode = memo(TaskNodeView);
