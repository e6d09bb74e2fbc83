/**
 * The workflow designer: palette, canvas, property editor / run details, run bar.
 * Used by the side panel and by the `.qflow` document widget alike.
 */
import React, { useCallback, useMemo, useState } from 'react';
import { api } from '../client';
import { Designer as DesignerState } from '../hooks/useDesigner';
import { useResource } from '../hooks/useResource';
import { RunState, TERMINAL_RUN } from '../hooks/useRunStatus';
import { BIG_WORKFLOW } from '../model/aggregate';
import { FieldIssue, issuesFromDetail } from '../model/issues';
import { renameKey, updateTask } from '../model/specEdit';
import { Task } from '../types';
import { BigWorkflowView } from './BigWorkflowView';
import { addFromTemplate, FlowCanvas } from './FlowCanvas';
import { NodeDetails } from './NodeDetails';
import { Palette } from './Palette';
import { PropertyEditor } from './PropertyEditor';
import { RunBar } from './RunBar';

export interface DesignerProps {
  designer: DesignerState;
  run: RunState;
  workflowId: string | null;
  onRun: (runId: string | null, workflowId?: string) => void;
  /** Extra toolbar content (save/open in the panel). */
  toolbar?: React.ReactNode;
  fitSignal?: number;
}

export function Designer({
  designer,
  run,
  workflowId,
  onRun,
  toolbar,
  fitSignal
}: DesignerProps) {
  const schema = useResource(() => api.schema());
  const backends = useResource(() => api.backends());
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const { spec } = designer;
  const big = spec.tasks.length >= BIG_WORKFLOW;

  const invalid = useMemo(
    () => new Set(issues.map(i => i.task).filter((t): t is string => !!t)),
    [issues]
  );
  const onProblems = useCallback(
    (detail: unknown) => {
      const found =
        Array.isArray(detail) && detail.length === 0
          ? []
          : issuesFromDetail(detail, spec);
      setIssues(found);
      const first = found.find(i => i.task);
      if (first?.task) {
        setFocus(first.task);
        designer.select([first.task]);
      }
    },
    [spec, designer]
  );

  const selectedTask: Task | undefined =
    designer.selected.length === 1
      ? spec.tasks.find(t => t.id === designer.selected[0])
      : focus
        ? spec.tasks.find(t => t.id === focus)
        : undefined;
  const running = !!run.runId && !TERMINAL_RUN.has(run.runStatus ?? 'running');

  const side = selectedTask ? (
    run.runId && run.tasks[selectedTask.id] ? (
      <NodeDetails
        runId={run.runId}
        taskId={selectedTask.id}
        workflowId={workflowId}
        liveStatus={run.tasks[selectedTask.id]}
        onRerun={id => onRun(id)}
      />
    ) : (
      <PropertyEditor
        schema={schema.data}
        task={selectedTask}
        issues={issues.filter(i => i.task === selectedTask.id)}
        onChange={next => {
          designer.apply(s => ({
            ...s,
            spec: updateTask(s.spec, selectedTask.id, next),
            positions: renameKey(s.positions, selectedTask.id, next.id)
          }));
          if (next.id !== selectedTask.id) {
            designer.select([next.id]);
          }
        }}
      />
    )
  ) : (
    <div className="jp-QFlow-muted">
      {issues
        .filter(i => !i.task)
        .map((i, n) => (
          <div key={n} className="jp-QFlow-field-error">
            {i.field ? `${i.field}: ` : ''}
            {i.message}
          </div>
        ))}
      Select a task to edit it{run.runId ? ' or see its output' : ''}. Drag tasks from
      the palette; connect a node&apos;s right handle to another&apos;s left handle.
    </div>
  );

  return (
    <div className="jp-QFlow-designer">
      <div className="jp-QFlow-toolbar">
        <input
          className="jp-QFlow-name"
          aria-label="Workflow name"
          value={spec.name}
          onChange={e => {
            const name = e.target.value;
            designer.apply(s => ({ ...s, spec: { ...s.spec, name } }));
          }}
        />
        <button
          className="jp-mod-styled"
          disabled={!designer.canUndo}
          onClick={designer.undo}
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          className="jp-mod-styled"
          disabled={!designer.canRedo}
          onClick={designer.redo}
          title="Redo (Ctrl+Y)"
        >
          Redo
        </button>
        <button
          className="jp-mod-styled"
          onClick={designer.relayout}
          title="Auto-layout (dagre)"
        >
          Layout
        </button>
        <button
          className="jp-mod-styled"
          disabled={designer.selected.length === 0}
          onClick={designer.removeSelected}
          title="Delete selected (Del)"
        >
          Delete
        </button>
        {toolbar}
      </div>
      <RunBar
        spec={spec}
        workflowId={workflowId}
        running={running}
        onStarted={(id, wf) => onRun(id, wf)}
        onProblems={onProblems}
        onCancel={() => {
          if (run.runId) {
            api.cancel(run.runId).catch((e: Error) => setMessage(e.message));
          }
        }}
      />
      {(message || run.runId) && (
        <div className="jp-QFlow-statusline" role="status">
          {run.runId && (
            <span data-run-status={run.runStatus ?? 'pending'}>
              Run <code>{run.runId}</code>: {run.runStatus ?? 'starting'}
              {run.error ? ` (${run.error})` : ''}
            </span>
          )}
          {message && <span className="jp-QFlow-note"> {message}</span>}
        </div>
      )}
      <div className="jp-QFlow-body">
        <Palette
          backends={backends.data ?? []}
          backendsError={backends.error?.message}
          onAdd={t =>
            addFromTemplate(designer, t, {
              x: 40 * spec.tasks.length,
              y: 40 * spec.tasks.length
            })
          }
        />
        {big ? (
          <BigWorkflowView tasks={spec.tasks} status={run.tasks} />
        ) : (
          <FlowCanvas
            designer={designer}
            status={run.tasks}
            invalid={invalid}
            onNodeOpen={id => setFocus(id)}
            onMessage={setMessage}
            fitSignal={fitSignal}
          />
        )}
        <div className="jp-QFlow-side">{side}</div>
      </div>
    </div>
  );
}
