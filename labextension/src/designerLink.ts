/**
 * Renders the designer-link output of `wf.open()` / `%qflow open` in notebooks: a line
 * naming the `.qflow` file with an "Open in designer" button, and for an output the kernel
 * has just made, opens the file in the main-area designer at once.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  DESIGNER_LINK_MIME,
  DesignerLinkData,
  serverPath,
  shouldOpen
} from './model/designerLink';

/** Opens `path` (server-relative) in the designer; `written`: the kernel just wrote it. */
export type OpenFile = (path: string, written: boolean) => Promise<unknown>;

/** Outputs already opened in this page (an output re-rendered must not open again). */
const opened = new Set<string>();

export class DesignerLinkRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly openFile: OpenFile) {
    super();
    this.addClass('jp-QFlow-designerLink');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[DESIGNER_LINK_MIME] as unknown as DesignerLinkData;
    const path = serverPath(data.path, PageConfig.getOption('serverRoot'), data.home);
    const tasks = `${data.tasks} task${data.tasks === 1 ? '' : 's'}`;
    this.node.replaceChildren();
    const line = document.createElement('span');
    this.node.appendChild(line);
    if (path === null) {
      line.textContent =
        `Workflow '${data.name}' (${tasks}) ${data.written ? 'saved to' : 'is in'} ` +
        `${data.path}, outside this Jupyter server's root: it cannot be opened here.`;
      return Promise.resolve();
    }
    this.node.dataset.path = path;
    line.textContent = `Workflow '${data.name}' (${tasks}) ${data.written ? 'saved to' : 'is in'} ${path}`;
    const button = document.createElement('button');
    button.className = 'jp-mod-styled jp-QFlow-designerLink-open';
    button.textContent = 'Open in designer';
    button.onclick = () => void this.openFile(path, false);
    this.node.appendChild(button);
    if (shouldOpen(data, opened, Date.now() / 1000)) {
      opened.add(data.id);
      void this.openFile(path, data.written);
    }
    return Promise.resolve();
  }
}

/** The rendermime factory (unsafe: an untrusted notebook's output only shows its text). */
export function designerLinkFactory(openFile: OpenFile): IRenderMime.IRendererFactory {
  return {
    safe: false,
    mimeTypes: [DESIGNER_LINK_MIME],
    defaultRank: 10,
    createRenderer: () => new DesignerLinkRenderer(openFile)
  };
}
