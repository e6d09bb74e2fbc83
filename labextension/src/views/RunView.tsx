/**
 * One run, drawn the same way in the side panel and in the notebook's RunWidget: its
 * state line, its graph (cards or, for big runs, a canvas of every task), the duration
 * histogram, the timeline of small runs and what the tasks produced.
 */
import React, { useMemo, useState } from 'react';
import { TimelineChart } from '../charts/TimelineChart';
import { RunDetail, Task } from '../types';
import { DurationChart } from './DurationChart';
import { ResultsView } from './ResultsView';
import { RunGraph } from './RunGraph';
import { countStates, RunViewData, statusOfCode } from './viewData';
import { StateSummary } from './StateSummary';

export interface RunViewProps {
  data: RunViewData;
  tasks?: Task[];
  /** What to show for a selected task (the panel shows its logs and output). */
  details?: (taskId: string) => React.ReactNode;
}

export function RunView({ data, tasks, details }: RunViewProps) {
  const counts = useMemo(() => countStates(data.states), [data.states]);
  const [selected, setSelected] = useState<string | null>(null);
  const detail = useMemo<RunDetail | null>(
    () =>
      data.tasks?.some(t => t.started_at != null)
        ? ({
            id: data.runId,
            status: data.status,
            started_at: data.progress?.started_at ?? null,
            tasks: data.tasks
          } as RunDetail)
        : null,
    [data.tasks, data.runId, data.status, data.progress?.started_at]
  );
  const index = data.layout ? data.layout.ids.indexOf(selected ?? '') : -1;
  return (
    <div className="jp-QFlow-runview" data-run-view={data.runId}>
      <StateSummary data={data} counts={counts} />
      {data.layout && (
        <RunGraph
          layout={data.layout}
          states={data.states}
          tasks={tasks}
          onSelect={setSelected}
        />
      )}
      {selected && !data.layout?.big && (
        <div className="jp-QFlow-biggraph-detail" data-selected-task={selected}>
          <b>{selected}</b> · {statusOfCode(data.states[index] ?? '0')}
          {data.tasks?.find(t => t.task_id === selected)?.error
            ? ` · ${data.tasks?.find(t => t.task_id === selected)?.error}`
            : ''}
        </div>
      )}
      {selected && details?.(selected)}
      <div className="jp-QFlow-runview-charts">
        <DurationChart hist={data.durations} />
        {detail && <TimelineChart detail={detail} metrics={[]} />}
      </div>
      <ResultsView results={data.results} />
    </div>
  );
}
