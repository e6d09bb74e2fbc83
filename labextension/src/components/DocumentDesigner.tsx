/** The designer bound to one `.qflow` file: edits go into the document model. */
import React, { useEffect, useRef, useState } from 'react';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { useDesigner } from '../hooks/useDesigner';
import { useRunStatus } from '../hooks/useRunStatus';
import { isBigGraph } from '../model/aggregate';
import { parseQflow, serializeQflow } from '../model/qflowFile';
import { WorkflowSpec } from '../types';
import { Designer } from './Designer';
import { EMPTY_SPEC } from './App';

export interface DocumentDesignerProps {
  context: DocumentRegistry.Context;
  fitSignal: number;
}

function readSpec(context: DocumentRegistry.Context): {
  spec: WorkflowSpec;
  error: string | null;
} {
  const text = context.model.toString();
  if (!text.trim()) {
    return {
      spec: {
        ...EMPTY_SPEC,
        name:
          context.path
            .split('/')
            .pop()
            ?.replace(/\.qflow$/, '') ?? 'untitled'
      },
      error: null
    };
  }
  try {
    return { spec: parseQflow(text), error: null };
  } catch (err) {
    return { spec: EMPTY_SPEC, error: (err as Error).message };
  }
}

export function DocumentDesigner({ context, fitSignal }: DocumentDesignerProps) {
  const initial = useRef(readSpec(context));
  const [error, setError] = useState(initial.current.error);
  const written = useRef<string | null>(null);
  const designer = useDesigner(initial.current.spec, spec => {
    const text = serializeQflow(spec);
    written.current = text;
    context.model.fromString(text);
    context.model.dirty = true; // the tab's dirty marker; Ctrl+S (docmanager:save) clears it
  });
  const [runId, setRunId] = useState<string | null>(null);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const run = useRunStatus(runId, { light: isBigGraph(designer.spec.tasks.length) });

  // Reload when the file changes underneath (revert, external edit), not on our own writes.
  const { reset } = designer;
  useEffect(() => {
    const onChange = () => {
      const text = context.model.toString();
      if (text === written.current) {
        return;
      }
      const next = readSpec(context);
      setError(next.error);
      if (!next.error) {
        reset(next.spec);
      }
    };
    context.model.contentChanged.connect(onChange);
    return () => {
      context.model.contentChanged.disconnect(onChange);
    };
  }, [context, reset]);

  return (
    <div className="jp-QFlow-app">
      {error && <div className="jp-QFlow-field-error">{error}</div>}
      <Designer
        designer={designer}
        run={run}
        workflowId={workflowId}
        fitSignal={fitSignal}
        onRun={(id, wf) => {
          setRunId(id);
          if (wf) {
            setWorkflowId(wf);
          }
        }}
      />
    </div>
  );
}
