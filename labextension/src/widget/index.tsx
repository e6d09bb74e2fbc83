/**
 * The notebook RunWidget's front end (anywidget ESM): the lab extension's RunView fed
 * from the widget's synced traits instead of the REST API. `make labext` bundles this
 * file, React and the views into quantumflow/jupyter/widgets/static/run_view.js.
 */
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import '../../style/status.css';
import '../../style/base.css';
import { RunView } from '../views/RunView';
import { RunViewData } from '../views/viewData';
import { MessagingModel, TaskDetails } from './TaskDetails';
import { drawingOf } from './drawing';

/** The part of anywidget's model the view reads (and asks a task's details through). */
export interface WidgetModel extends MessagingModel {
  get(name: string): unknown;
}

const TRAITS = [
  'run_id',
  'name',
  'status',
  'error',
  'drawing',
  'states',
  'progress',
  'durations',
  'results',
  'tasks'
];

/** The RunView's data from the widget's traits (the REST API's shapes). */
export function dataOf(model: WidgetModel): RunViewData {
  return {
    runId: String(model.get('run_id') ?? ''),
    name: String(model.get('name') ?? ''),
    status: String(model.get('status') ?? 'pending'),
    error: (model.get('error') as string) || null,
    layout: drawingOf(model.get('drawing')),
    states: String(model.get('states') ?? ''),
    progress: model.get('progress') as RunViewData['progress'],
    durations: model.get('durations') as RunViewData['durations'],
    results: model.get('results') as RunViewData['results'],
    tasks: (model.get('tasks') as RunViewData['tasks']) ?? []
  };
}

function WidgetView({ model }: { model: WidgetModel }) {
  const [data, setData] = useState(() => dataOf(model));
  useEffect(() => {
    // traits arrive together (hold_sync); one render per message
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setData(dataOf(model)));
    };
    for (const t of TRAITS) {
      model.on(`change:${t}`, update);
    }
    return () => {
      cancelAnimationFrame(frame);
      for (const t of TRAITS) {
        model.off(`change:${t}`, update);
      }
    };
  }, [model]);
  return (
    <RunView
      data={data}
      details={taskId => <TaskDetails key={taskId} model={model} taskId={taskId} />}
    />
  );
}

function render({ model, el }: { model: WidgetModel; el: HTMLElement }) {
  el.classList.add('jp-QFlow-widget');
  const root = createRoot(el);
  root.render(<WidgetView model={model} />);
  return () => root.unmount();
}

export default { render };
