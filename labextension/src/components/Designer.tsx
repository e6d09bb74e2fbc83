/**
 * The workflow designer: palette, canvas, the selected task's Properties / Run pane,
 * run bar and the run's status line. Used by the `.qflow` document (main area) and by
 * the side panel alike; it takes the run's live state as a prop, and editing is always
 * possible: after an edit the run shown is marked as being of the previous version.
 */
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../client';
import { Designer as DesignerState } from '../hooks/useDesigner';
import { specKey, useLiveValidation } from '../hooks/useLiveValidation';
import { useResource } from '../hooks/useResource';
import { RunState, TERMINAL_RUN } from '../hooks/useRunStatus';
import { rememberLibrary, useSignatures } from '../hooks/useSignatures';
import { isBigGraph } from '../model/aggregate';
import { renameKey, updateTask } from '../model/specEdit';
import { Task, TaskStatus } from '../types';
import { BigWorkflowGraph } from './BigWorkflowGraph';
import { addFromTemplate, FlowCanvas } from './FlowCanvas';
import { NodeDetails } from './NodeDetails';
import { Palette } from './Palette';
import { PropertyEditor } from './PropertyEditor';
import { RunBar } from './RunBar';
import { RunStatusLine } from './RunStatusLine';
import { SidePane, SideTab } from './SidePane';

export interface DesignerProps {
  designer: DesignerState;
  run: RunState;
  workflowId: string | null;
  onRun: (runId: string | null, workflowId?: string) => void;
  /** Extra toolbar content (save/open in the panel). */
  toolbar?: React.ReactNode;
  fitSignal?: number;
}

async function loadLibrary() {
  const items = await api.functions();
  rememberLibrary(items);
  return items;
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
  const library = useResource(loadLibrary);
  const [message, setMessage] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  // the state of the task clicked on a big run's canvas (big runs keep no task rows)
  const [bigStatus, setBigStatus] = useState<TaskStatus | undefined>(undefined);
  const [sideTab, setSideTab] = useState<SideTab>('properties');
  // a task added without a drop (double-click, Enter) may land out of view: refit
  const [refit, setRefit] = useState(0);
  const { spec } = designer;
  const big = isBigGraph(spec.tasks.length);
  // a passing note ("Connected a → b") fades: status text must not outlive its moment
  useEffect(() => {
    if (!message) {
      return;
    }
    const t = setTimeout(() => setMessage(null), 6000);
    return () => clearTimeout(t);
  }, [message]);
  const signatures = useSignatures(big ? [] : spec.tasks);
  const validation = useLiveValidation(spec, { enabled: !big });
  const { issues } = validation;

  // The spec a run ran, to tell when the canvas has been edited since.
  const [ranKey, setRanKey] = useState<string | null>(null);
  useEffect(() => {
    setRanKey(run.runId ? specKey(spec) : null);
    // only when a run starts or another is opened: that is the spec it ran
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run.runId]);
  const key = useMemo(() => specKey(spec), [spec]);
  const stale = !!run.runId && ranKey !== null && ranKey !== key;

  const problems = useMemo(() => {
    const out: Record<string, string[]> = {};
    for (const i of issues) {
      if (i.task) {
        const text = i.field ? `${i.field}: ${i.message}` : i.message;
        (out[i.task] = out[i.task] ?? []).push(text);
      }
    }
    return out;
  }, [issues]);

  const onProblems = useCallback(
    (detail: unknown) => {
      validation.report(detail, spec);
    },
    [validation, spec]
  );

  const selectedTask: Task | undefined =
    designer.selected.length === 1
      ? spec.tasks.find(t => t.id === designer.selected[0])
      : focus
        ? spec.tasks.find(t => t.id === focus)
        : undefined;
  const running = !!run.runId && !TERMINAL_RUN.has(run.runStatus ?? 'running');
  const globalIssues = issues.filter(i => !i.task);

  const side = selectedTask ? (
    <SidePane
      title={
        <>
          <code>{selectedTask.id}</code>{' '}
          {selectedTask.kind === 'quantum' ? 'quantum task' : 'classical task'}
        </>
      }
      tab={sideTab}
      onTab={setSideTab}
      properties={
        <PropertyEditor
          schema={schema.data}
          task={selectedTask}
          backends={backends.data ?? []}
          signature={
            selectedTask.kind === 'classical' ? signatures[selectedTask.fn] : null
          }
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
      }
      run={
        run.runId && (big || run.tasks[selectedTask.id]) ? (
          <NodeDetails
            runId={run.runId}
            taskId={selectedTask.id}
            workflowId={workflowId}
            light={big}
            liveStatus={big ? bigStatus : run.tasks[selectedTask.id]}
            stale={stale}
            onRerun={id => onRun(id)}
          />
        ) : null
      }
    />
  ) : (
    <div className="jp-QFlow-muted jp-QFlow-hint">
      Select a task to edit it{run.runId ? ' or see what it did' : ''}. Drag tasks from
      the palette, then drag from a task&apos;s right handle to another&apos;s left
      handle to pass its output along.
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
          title="Lay the graph out again (left to right)"
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
        onStarted={(id, wf) => {
          setSideTab('run');
          onRun(id, wf);
        }}
        onProblems={onProblems}
        onCancel={() => {
          if (run.runId) {
            api.cancel(run.runId).catch((e: Error) => setMessage(e.message));
          }
        }}
      />
      {!big && <RunStatusLine run={run} stale={stale} taskCount={spec.tasks.length} />}
      {(message || globalIssues.length > 0) && (
        <div className="jp-QFlow-messages">
          {globalIssues.map((i, n) => (
            <div key={n} className="jp-QFlow-field-error" role="alert">
              {i.field ? `${i.field}: ` : ''}
              {i.message}
            </div>
          ))}
          {message && <div className="jp-QFlow-note">{message}</div>}
        </div>
      )}
      <div className="jp-QFlow-body">
        <Palette
          backends={backends.data ?? []}
          library={library.data ?? []}
          error={library.error?.message ?? backends.error?.message}
          onAdd={t => {
            addFromTemplate(designer, t, {
              x: 40 * spec.tasks.length,
              y: 40 * spec.tasks.length
            });
            setRefit(n => n + 1);
          }}
        />
        {big ? (
          <BigWorkflowGraph
            spec={spec}
            runId={run.runId}
            onSelect={(id, status) => {
              setFocus(id);
              setBigStatus(status);
              if (id) {
                setSideTab('run');
              }
            }}
          />
        ) : (
          <FlowCanvas
            designer={designer}
            status={run.tasks}
            stale={stale}
            problems={problems}
            signatures={signatures}
            onNodeOpen={id => setFocus(id)}
            onMessage={setMessage}
            fitSignal={(fitSignal ?? 0) + refit}
          />
        )}
        <div className="jp-QFlow-side">{side}</div>
      </div>
    </div>
  );
}
