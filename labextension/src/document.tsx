/** `.qflow` files open in the designer in the main area (dirty marker and Ctrl+S come from DocumentWidget). */
import React from 'react';
import {
  ABCWidgetFactory,
  DocumentRegistry,
  DocumentWidget
} from '@jupyterlab/docregistry';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { DocumentDesigner } from './components/DocumentDesigner';

export const FACTORY = 'QuantumFlow Designer';
export const FILE_TYPE = 'qflow';

class DesignerContent extends ReactWidget {
  private fitSignal = 0;
  private ready = false;

  constructor(private readonly context: DocumentRegistry.Context) {
    super();
    this.addClass('jp-QFlowDocument');
    // The designer reads the file's text once when it mounts: wait for it.
    void context.ready.then(() => {
      this.ready = true;
      this.update();
    });
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.fitSignal += 1;
    this.update();
  }

  protected render(): React.ReactElement {
    if (!this.ready) {
      return <div className="jp-QFlow-muted">Loading…</div>;
    }
    return <DocumentDesigner context={this.context} fitSignal={this.fitSignal} />;
  }
}

export class QFlowDocument extends DocumentWidget<ReactWidget> {}

export class QFlowWidgetFactory extends ABCWidgetFactory<QFlowDocument> {
  protected createNewWidget(context: DocumentRegistry.Context): QFlowDocument {
    const content = new DesignerContent(context);
    return new QFlowDocument({ content, context });
  }
}
