/**
 * The pane beside the canvas for the selected task: Properties (always editable) and
 * Run (what it did in the current run). A finished run never locks editing.
 */
import React from 'react';

export type SideTab = 'properties' | 'run';

export interface SidePaneProps {
  title: React.ReactNode;
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  properties: React.ReactNode;
  /** Null when the task has no result in the current run. */
  run: React.ReactNode | null;
}

export function SidePane({ title, tab, onTab, properties, run }: SidePaneProps) {
  const shown = tab === 'run' && run ? 'run' : 'properties';
  const tabs: [SideTab, string][] = [
    ['properties', 'Properties'],
    ['run', 'Run']
  ];
  return (
    <div className="jp-QFlow-sidepane">
      <div className="jp-QFlow-sidepane-title">{title}</div>
      <div className="jp-QFlow-subtabs" role="tablist" aria-label="Task views">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            role="tab"
            aria-selected={shown === id}
            disabled={id === 'run' && !run}
            title={
              id === 'run' && !run ? 'Run the workflow to see what this task did' : ''
            }
            className={`jp-QFlow-subtab${shown === id ? ' jp-mod-current' : ''}`}
            onClick={() => onTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel">{shown === 'run' ? run : properties}</div>
    </div>
  );
}
