/**
 * The designer's view of a workflow with more than BIG_GRAPH tasks: not an editable canvas
 * but the one run view's graph (every task a dot, groups from the server's layout), live
 * while its run goes on; before a run, the same drawing with every task pending.
 */
import React from 'react';
import { requestAPI } from '../api';
import { useResource } from '../hooks/useResource';
import { useRunView } from '../hooks/useRunView';
import { GraphLayout, TaskStatus, WorkflowSpec } from '../types';
import { RunGraph } from '../views/RunGraph';
import { StateSummary } from '../views/StateSummary';
import { countStates } from '../views/viewData';

export interface BigWorkflowGraphProps {
  spec: WorkflowSpec;
  runId: string | null;
  /** A task of the run was clicked (its id and state) or the selection cleared. */
  onSelect?: (taskId: string | null, status?: TaskStatus) => void;
}

function Unrun({ spec }: { spec: WorkflowSpec }) {
  const layout = useResource(
    () =>
      requestAPI<GraphLayout>('workflows/graph', {
        method: 'POST',
        body: spec
      }),
    [spec]
  );
  if (layout.error) {
    return <div className="jp-QFlow-field-error">{layout.error.message}</div>;
  }
  if (!layout.data) {
    return <div className="jp-QFlow-muted">Drawing {spec.tasks.length} tasks…</div>;
  }
  return <RunGraph layout={layout.data} states={'0'.repeat(layout.data.ids.length)} />;
}

function Live({
  runId,
  onSelect
}: {
  runId: string;
  onSelect?: BigWorkflowGraphProps['onSelect'];
}) {
  const { data, error } = useRunView(runId);
  if (error) {
    return <div className="jp-QFlow-field-error">{error}</div>;
  }
  if (!data?.layout) {
    return <div className="jp-QFlow-muted">Loading run {runId}…</div>;
  }
  return (
    <>
      <StateSummary data={data} counts={countStates(data.states)} />
      <RunGraph layout={data.layout} states={data.states} onSelect={onSelect} />
    </>
  );
}

export function BigWorkflowGraph({ spec, runId, onSelect }: BigWorkflowGraphProps) {
  return (
    <div className="jp-QFlow-big" data-big-workflow={spec.tasks.length}>
      {runId ? <Live runId={runId} onSelect={onSelect} /> : <Unrun spec={spec} />}
    </div>
  );
}
