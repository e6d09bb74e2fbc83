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
import { CommandIDs, registerCommands } from './commands';
import { FACTORY, FILE_TYPE, QFlowDocument, QFlowWidgetFactory } from './document';
import { quantumFlowIcon } from './icon';
import { QuantumFlowPanel } from './panel';

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
  description: 'Open .qflow workflow files in the QuantumFlow designer.',
  autoStart: true,
  optional: [ILayoutRestorer],
  activate: (app: JupyterFrontEnd, restorer: ILayoutRestorer | null) => {
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
    });
    app.docRegistry.addWidgetFactory(factory);
    void restorer?.restore(tracker, {
      command: 'docmanager:open',
      args: w => ({ path: w.context.path, factory: FACTORY }),
      name: w => w.context.path
    });
  }
};

export default [panelPlugin, documentPlugin];
