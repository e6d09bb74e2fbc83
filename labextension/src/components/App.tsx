/** The side panel: Designer / Runs / Dashboard tabs sharing the current run. */
import React, { useEffect, useState } from 'react';
import { Contents } from '@jupyterlab/services';
import { useDesigner } from '../hooks/useDesigner';
import { useRunStatus } from '../hooks/useRunStatus';
import { isBigGraph } from '../model/aggregate';
import { api } from '../client';
import { RunSummary, WorkflowSpec } from '../types';
import { Dashboard } from './Dashboard';
import { Designer } from './Designer';
import { FileBar } from './FileBar';
import { RunsTable } from './RunsTable';

export type Tab = 'designer' | 'runs' | 'dashboard';

export const EMPTY_SPEC: WorkflowSpec = { name: 'untitled', tasks: [] };

export interface AppProps {
  tab: Tab;
  onTab: (tab: Tab) => void;
  contents: Contents.IManager;
  fitSignal: number;
  /** Save the spec as a new .qflow in the current folder and open it in the main area. */
  openInMain?: (spec: WorkflowSpec) => Promise<unknown>;
}

/** A value that follows `value` at most once per `ms`. */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setShown(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

export function App({ tab, onTab, contents, fitSignal, openInMain }: AppProps) {
  const designer = useDesigner(EMPTY_SPEC);
  const [runId, setRunId] = useState<string | null>(null);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [runsVersion, setRunsVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // the .qflow file the panel's workflow came from (none after opening a run)
  const [path, setPath] = useState('');
  const big = isBigGraph(designer.spec.tasks.length);
  const run = useRunStatus(runId, { light: big });
  const dashboardVersion = useThrottled(run.updates, big ? 2000 : 300);

  const startRun = (id: string | null, wf?: string) => {
    setRunId(id);
    if (wf) {
      setWorkflowId(wf);
    }
    setRunsVersion(v => v + 1);
  };

  const openRun = async (r: RunSummary) => {
    setError(null);
    try {
      // The spec the run ran (inline or saved); older servers: the saved workflow's.
      const detail = await api.runDetail(r.id);
      const spec =
        detail.spec ??
        (r.workflow_id ? (await api.workflow(r.workflow_id)).spec : null);
      if (!spec) {
        throw new Error(`run ${r.id} has no stored spec to open`);
      }
      designer.reset(spec);
      setWorkflowId(r.workflow_id ?? null);
      setRunId(r.id);
      setPath(''); // Save must not overwrite the file opened before
      onTab('designer');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const tabs: [Tab, string][] = [
    ['designer', 'Designer'],
    ['runs', 'Runs'],
    ['dashboard', 'Dashboard']
  ];
  return (
    <div className="jp-QFlow-app">
      <div className="jp-QFlow-tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            role="tab"
            aria-selected={tab === id}
            className={`jp-QFlow-tab${tab === id ? ' jp-mod-current' : ''}`}
            onClick={() => onTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {error && <div className="jp-QFlow-field-error">{error}</div>}
      <div className="jp-QFlow-tabpanel" hidden={tab !== 'designer'}>
        <Designer
          designer={designer}
          run={run}
          workflowId={workflowId}
          onRun={startRun}
          fitSignal={fitSignal + (tab === 'designer' ? 1 : 0)}
          toolbar={
            <>
              <FileBar
                contents={contents}
                spec={designer.spec}
                path={path}
                onPath={setPath}
                onLoaded={spec => {
                  designer.reset(spec);
                  setWorkflowId(null);
                  setRunId(null);
                }}
              />
              {openInMain && (
                <button
                  className="jp-mod-styled"
                  title="Save as a new .qflow in the file browser's folder and open it in the main area"
                  onClick={() =>
                    openInMain(designer.spec).catch((e: Error) => setError(e.message))
                  }
                >
                  Open in main area
                </button>
              )}
            </>
          }
        />
      </div>
      {tab === 'runs' && (
        <div className="jp-QFlow-tabpanel">
          <RunsTable
            onOpen={r => void openRun(r)}
            onStarted={startRun}
            refreshSignal={runsVersion + run.updates}
          />
        </div>
      )}
      {tab === 'dashboard' && (
        <div className="jp-QFlow-tabpanel">
          <Dashboard runId={runId} version={dashboardVersion} />
        </div>
      )}
    </div>
  );
}
