/**
 * Commands and where they appear: the Launcher card, File > New, the file browser's
 * context menu and the command palette (category QuantumFlow).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { Contents } from '@jupyterlab/services';
import { serializeQflow } from './model/qflowFile';
import { quantumFlowIcon } from './icon';
import { QuantumFlowPanel } from './panel';
import { FACTORY } from './document';
import { WorkflowSpec } from './types';

export const CommandIDs = {
  open: 'quantumflow:open-panel',
  designer: 'quantumflow:show-designer',
  runs: 'quantumflow:show-runs',
  dashboard: 'quantumflow:show-dashboard',
  newWorkflow: 'quantumflow:new-workflow',
  openInMain: 'quantumflow:open-in-main-area'
} as const;

const CATEGORY = 'QuantumFlow';

export interface Surfaces {
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  mainMenu: IMainMenu | null;
  browser: IDefaultFileBrowser | null;
}

/** The folder the user is looking at: the Launcher's, else the file browser's. */
function currentFolder(
  args: Record<string, unknown>,
  browser: IDefaultFileBrowser | null
) {
  return typeof args.cwd === 'string' ? args.cwd : (browser?.model.path ?? '');
}

/** A workflow name from a file name: "my flow.qflow" -> "my_flow". */
export function workflowName(fileName: string): string {
  return fileName.replace(/\.qflow$/, '').replace(/[^A-Za-z0-9_-]/g, '_') || 'workflow';
}

/** Write `spec` (or an empty workflow) to a new untitled*.qflow in `folder`; its path. */
async function createFile(
  contents: Contents.IManager,
  folder: string,
  spec?: WorkflowSpec
): Promise<string> {
  const model = await contents.newUntitled({
    path: folder,
    type: 'file',
    ext: '.qflow'
  });
  const body = spec ?? { name: workflowName(model.name), tasks: [] };
  await contents.save(model.path, {
    type: 'file',
    format: 'text',
    content: serializeQflow(body)
  });
  return model.path;
}

export function registerCommands(
  app: JupyterFrontEnd,
  panel: QuantumFlowPanel,
  { palette, launcher, mainMenu, browser }: Surfaces
): void {
  const { commands, shell } = app;
  const contents = app.serviceManager.contents;
  const show = (tab?: 'designer' | 'runs' | 'dashboard') => {
    shell.activateById(panel.id);
    if (tab) {
      panel.showTab(tab);
    }
  };
  commands.addCommand(CommandIDs.open, {
    label: 'Open QuantumFlow Panel',
    icon: quantumFlowIcon,
    execute: () => show()
  });
  commands.addCommand(CommandIDs.designer, {
    label: 'QuantumFlow: Show Designer',
    execute: () => show('designer')
  });
  commands.addCommand(CommandIDs.runs, {
    label: 'QuantumFlow: Show Runs',
    execute: () => show('runs')
  });
  commands.addCommand(CommandIDs.dashboard, {
    label: 'QuantumFlow: Show Dashboard',
    execute: () => show('dashboard')
  });
  commands.addCommand(CommandIDs.newWorkflow, {
    label: args =>
      args.isPalette || args.isContextMenu
        ? 'New QuantumFlow Workflow'
        : 'QuantumFlow Workflow',
    caption: 'Create a QuantumFlow workflow (.qflow) here and open it in the designer',
    icon: args => (args.isPalette ? undefined : quantumFlowIcon),
    execute: async args => {
      const path = await createFile(contents, currentFolder(args, browser));
      return commands.execute('docmanager:open', { path, factory: FACTORY });
    }
  });
  commands.addCommand(CommandIDs.openInMain, {
    label: 'Open in Main Area',
    caption: 'Save this workflow as a .qflow file in the current folder and open it',
    icon: quantumFlowIcon,
    execute: async args => {
      const spec = args.spec as unknown as WorkflowSpec | undefined;
      const path = await createFile(contents, currentFolder(args, browser), spec);
      return commands.execute('docmanager:open', { path, factory: FACTORY });
    }
  });

  launcher?.add({ command: CommandIDs.newWorkflow, category: 'Other', rank: 1 });
  mainMenu?.fileMenu.newMenu.addGroup([{ command: CommandIDs.newWorkflow }], 30);
  app.contextMenu.addItem({
    command: CommandIDs.newWorkflow,
    args: { isContextMenu: true },
    selector: '.jp-DirListing-content',
    rank: 3
  });
  if (palette) {
    for (const command of [
      CommandIDs.open,
      CommandIDs.designer,
      CommandIDs.runs,
      CommandIDs.dashboard
    ]) {
      palette.addItem({ command, category: CATEGORY });
    }
    palette.addItem({
      command: CommandIDs.newWorkflow,
      category: CATEGORY,
      args: { isPalette: true }
    });
  }
  commands.addKeyBinding({
    command: CommandIDs.open,
    keys: ['Accel Shift Q'],
    selector: 'body'
  });
}
