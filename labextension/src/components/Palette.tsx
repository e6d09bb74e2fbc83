/**
 * Palette of task kinds: drag an item onto the canvas (or double-click / Enter to add
 * it). It folds into a narrow strip to leave the canvas the room.
 */
import React, { useState } from 'react';
import { paletteItems } from '../model/palette';
import { BackendSummary, LibraryFunction, Task } from '../types';

export const DRAG_TYPE = 'application/x-quantumflow-task';

export interface PaletteProps {
  backends: BackendSummary[];
  library: LibraryFunction[];
  /** Why the library or backends could not be loaded, if so. */
  error?: string;
  onAdd: (template: Task) => void;
}

export function Palette({ backends, library, error, onAdd }: PaletteProps) {
  const [open, setOpen] = useState(true);
  const items = paletteItems(backends, library);
  const sections = [...new Set(items.map(i => i.section))];
  return (
    <div
      className={`jp-QFlow-palette${open ? '' : ' jp-mod-collapsed'}`}
      aria-label="Task palette"
    >
      <button
        className="jp-QFlow-palette-toggle"
        aria-expanded={open}
        title={open ? 'Fold the palette' : 'Show the palette'}
        onClick={() => setOpen(!open)}
      >
        {open ? '‹ Tasks' : '›'}
      </button>
      {open &&
        sections.map(section => (
          <div key={section} className="jp-QFlow-palette-section">
            <div className="jp-QFlow-palette-heading">{section}</div>
            {items
              .filter(i => i.section === section)
              .map(item => (
                <div
                  key={`${section}:${item.label}`}
                  className={`jp-QFlow-palette-item jp-QFlow-node-${item.template.kind}`}
                  draggable
                  tabIndex={0}
                  role="button"
                  data-palette-item={`${section}:${item.label}`}
                  title={`${item.help ? `${item.help}\n` : ''}Drag onto the canvas (or double-click)`}
                  onDragStart={e => {
                    e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item.template));
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onDoubleClick={() => onAdd(item.template)}
                  onKeyDown={e => {
                    if (e.key === 'Enter') {
                      onAdd(item.template);
                    }
                  }}
                >
                  {item.label}
                </div>
              ))}
          </div>
        ))}
      {open && error && <div className="jp-QFlow-field-error">{error}</div>}
    </div>
  );
}
