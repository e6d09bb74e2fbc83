/**
 * Renders the designer-link output of `wf.open()` / `%qflow open` in notebooks: a line
 * naming the `.qflow` file with an "Open in designer" button, and for an output the kernel
 * has just made, opens the file in the main-area designer at once.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import {
  DESIGNER_LINK_MIME,
  DesignerLinkData,
  locateFile,
  shouldOpen
} from './model/designerLink';

/** Opens `path` (server-relative) in the designer; `written`: the kernel just wrote it. */
export type OpenFile = (path: string, written: boolean) => Promise<unknown>;

/** The server path of the document (notebook) an output node is shown in, if any. */
export type DocumentOf = (node: HTMLElement) => string | null;

/** Outputs already opened in this page (an output re-rendered must not open again). */
const opened = new Set<string>();

export class DesignerLinkRenderer extends Widget implements IRenderMime.IRenderer {
  private data: DesignerLinkData | null = null;

  constructor(
    private readonly openFile: OpenFile,
    private readonly documentOf: DocumentOf
  ) {
    super();
    this.addClass('jp-QFlow-designerLink');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.data = model.data[DESIGNER_LINK_MIME] as unknown as DesignerLinkData;
    this.draw();
    return Promise.resolve();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.draw(); // in the page now: the notebook it is in can be found
  }

  private draw(): void {
    const data = this.data;
    if (!data) {
      return;
    }
    const notebook = this.isAttached ? this.documentOf(this.node) : null;
    const path = locateFile(data, PageConfig.getOption('serverRoot'), notebook);
    const tasks = `${data.tasks} task${data.tasks === 1 ? '' : 's'}`;
    const state = data.written ? 'saved to' : 'is in';
    this.node.replaceChildren();
    const line = document.createElement('span');
    this.node.appendChild(line);
    if (path === null) {
      line.textContent = `Workflow '${data.name}' (${tasks}) ${state} ${data.path}`;
      if (this.isAttached) {
        line.textContent +=
          ", outside this Jupyter server's root: it cannot be opened here.";
      }
      return;
    }
    this.node.dataset.path = path;
    line.textContent = `Workflow '${data.name}' (${tasks}) ${state} ${path}`;
    const button = document.createElement('button');
    button.className = 'jp-mod-styled jp-QFlow-designerLink-open';
    button.textContent = 'Open in designer';
    button.onclick = () => void this.openFile(path, false);
    this.node.appendChild(button);
    if (shouldOpen(data, opened, Date.now() / 1000)) {
      opened.add(data.id);
      void this.openFile(path, data.written);
    }
  }
}

/** The rendermime factory (unsafe: an untrusted notebook's output only shows its text). */
export function designerLinkFactory(
  openFile: OpenFile,
  documentOf: DocumentOf
): IRenderMime.IRendererFactory {
  return {
    safe: false,
    mimeTypes: [DESIGNER_LINK_MIME],
    defaultRank: 10,
    createRenderer: () => new DesignerLinkRenderer(openFile, documentOf)
  };
}
