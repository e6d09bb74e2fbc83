/** QuantumFlow JupyterLab extension: registers the side panel, commands and the .qflow designer. */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { CommandIDs, registerCommands } from './commands';
import { designerLinkFactory } from './designerLink';
import { FACTORY, FILE_TYPE, QFlowDocument, QFlowWidgetFactory } from './document';
import { EXPORT_PYTHON, registerExportPython } from './exportPython';
import { quantumFlowIcon } from './icon';
import { QuantumFlowPanel } from './panel';

/** The server path of the main-area document (a notebook) showing `node`. */
function documentOf(app: JupyterFrontEnd) {
  return (node: HTMLElement): string | null => {
    for (const widget of app.shell.widgets('main')) {
      const context = (widget as unknown as { context?: { path: string } }).context;
      if (context && widget.node.contains(node)) {
        return context.path;
      }
    }
    return null;
  };
}

const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'quantumflow:panel',
  description:
    'QuantumFlow: side panel (runs, live monitor, dashboard), Launcher card, File > New.',
  autoStart: true,
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ILauncher,
    IMainMenu,
    IDefaultFileBrowser
  ],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    launcher: ILauncher | null,
    mainMenu: IMainMenu | null,
    browser: IDefaultFileBrowser | null
  ) => {
    const panel = new QuantumFlowPanel(app.serviceManager.contents, spec =>
      // a deep copy: command arguments are plain JSON
      app.commands.execute(CommandIDs.openInMain, {
        spec: JSON.parse(JSON.stringify(spec))
      })
    );
    app.shell.add(panel, 'right', { rank: 1000 });
    restorer?.add(panel, panel.id);
    registerCommands(app, panel, { palette, launcher, mainMenu, browser });
  }
};

const documentPlugin: JupyterFrontEndPlugin<void> = {
  id: 'quantumflow:qflow-document',
  description:
    'Open .qflow workflow files in the QuantumFlow designer (also from wf.open() in notebooks).',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    app.docRegistry.addFileType({
      name: FILE_TYPE,
      displayName: 'QuantumFlow workflow',
      extensions: ['.qflow'],
      mimeTypes: ['application/json'],
      fileFormat: 'text',
      contentType: 'file',
      icon: quantumFlowIcon
    });
    const factory = new QFlowWidgetFactory({
      name: FACTORY,
      label: 'QuantumFlow Designer',
      fileTypes: [FILE_TYPE],
      defaultFor: [FILE_TYPE]
    });
    const tracker = new WidgetTracker<QFlowDocument>({
      namespace: 'quantumflow-designer'
    });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      void tracker.add(widget);
      widget.toolbar.addItem(
        'export-python',
        new CommandToolbarButton({
          commands: app.commands,
          id: EXPORT_PYTHON,
          args: { path: widget.context.path },
          label: 'Export as Python'
        })
      );
    });
    registerExportPython(app, tracker, palette);
    // wf.open() / %qflow open in a notebook: its output opens the file here
    rendermime?.addFactory(
      designerLinkFactory(async (path, written) => {
        const open = tracker.find(w => w.context.path === path);
        await app.commands.execute('docmanager:open', { path, factory: FACTORY });
        // the kernel rewrote a file already open: show what is on disk now, unless the tab
        // has edits of its own (then saving asks which to keep)
        if (open && written && !open.context.model.dirty) {
          await open.context.revert();
        }
      }, documentOf(app))
    );
    app.docRegistry.addWidgetFactory(factory);
    void restorer?.restore(tracker, {
      command: 'docmanager:open',
      args: w => ({ path: w.context.path, factory: FACTORY }),
      name: w => w.context.path
    });
  }
};

export default [panelPlugin, documentPlugin];
