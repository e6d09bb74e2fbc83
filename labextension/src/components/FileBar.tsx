/** Save / open the panel's workflow as a `.qflow` file through Jupyter's contents API. */
import React, { useEffect, useState } from 'react';
import { Contents } from '@jupyterlab/services';
import { parseQflow, serializeQflow } from '../model/qflowFile';
import { WorkflowSpec } from '../types';

export interface FileBarProps {
  contents: Contents.IManager;
  spec: WorkflowSpec;
  /** The file the workflow came from or was saved to ('' when none). */
  path: string;
  onPath: (path: string) => void;
  onLoaded: (spec: WorkflowSpec) => void;
}

export function FileBar({ contents, spec, path, onPath, onLoaded }: FileBarProps) {
  const setPath = onPath;
  const [note, setNote] = useState<string | null>(null);
  // a note about another file would mislead once the path changes from outside
  useEffect(() => {
    if (!path) {
      setNote(null);
    }
  }, [path]);
  const target = () => {
    const p = path.trim() || `${spec.name || 'workflow'}.qflow`;
    return p.endsWith('.qflow') ? p : `${p}.qflow`;
  };
  const save = async () => {
    const p = target();
    try {
      await contents.save(p, {
        type: 'file',
        format: 'text',
        content: serializeQflow(spec)
      });
      setPath(p);
      setNote(`Saved ${p}`);
    } catch (err) {
      setNote(`Save failed: ${(err as Error).message}`);
    }
  };
  const open = async () => {
    const p = target();
    try {
      const model = await contents.get(p, {
        type: 'file',
        format: 'text',
        content: true
      });
      onLoaded(parseQflow(String(model.content)));
      setPath(p);
      setNote(`Opened ${p}`);
    } catch (err) {
      setNote(`Open failed: ${(err as Error).message}`);
    }
  };
  return (
    <span
      className="jp-QFlow-filebar"
      onKeyDown={e => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          e.stopPropagation();
          void save();
        }
      }}
    >
      <input
        aria-label=".qflow path"
        placeholder={`${spec.name || 'workflow'}.qflow`}
        value={path}
        onChange={e => setPath(e.target.value)}
      />
      <button
        className="jp-mod-styled"
        onClick={() => void save()}
        title="Save as .qflow (Ctrl+S)"
      >
        Save
      </button>
      <button className="jp-mod-styled" onClick={() => void open()}>
        Open
      </button>
      {note && <span className="jp-QFlow-note">{note}</span>}
    </span>
  );
}
