/** The side panel widget (`quantumflow-panel`) hosting the tabbed App. */
import React from 'react';
import { Contents } from '@jupyterlab/services';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { App, Tab } from './components/App';
import { quantumFlowIcon } from './icon';
import { WorkflowSpec } from './types';

export const PANEL_ID = 'quantumflow-panel';

export class QuantumFlowPanel extends ReactWidget {
  private tab: Tab = 'designer';
  private fitSignal = 0;

  constructor(
    private readonly contents: Contents.IManager,
    private readonly openInMain: (spec: WorkflowSpec) => Promise<unknown>
  ) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-QFlowPanel');
    this.title.icon = quantumFlowIcon;
    this.title.caption = 'QuantumFlow';
  }

  /** Switch to a tab (used by the palette commands). */
  showTab(tab: Tab): void {
    this.tab = tab;
    this.update();
  }

  // React Flow's fitView needs the real size: refit whenever the panel is shown/resized.
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.fitSignal += 1;
    this.update();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.fitSignal += 1;
    this.update();
  }

  protected render(): React.ReactElement {
    return (
      <App
        tab={this.tab}
        onTab={t => this.showTab(t)}
        contents={this.contents}
        fitSignal={this.fitSignal}
        openInMain={this.openInMain}
      />
    );
  }
}
