/** Command ids and their registration (shown in the command palette under QuantumFlow). */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { quantumFlowIcon } from './icon';
import { QuantumFlowPanel } from './panel';
import { FACTORY } from './document';

export const CommandIDs = {
  open: 'quantumflow:open-panel',
  designer: 'quantumflow:show-designer',
  runs: 'quantumflow:show-runs',
  dashboard: 'quantumflow:show-dashboard',
  newWorkflow: 'quantumflow:new-workflow'
} as const;

const CATEGORY = 'QuantumFlow';

export function registerCommands(
  app: JupyterFrontEnd,
  panel: QuantumFlowPanel,
  palette: ICommandPalette | null
): void {
  const { commands, shell } = app;
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
    label: 'New QuantumFlow Workflow',
    icon: quantumFlowIcon,
    execute: async () => {
      const model = await app.serviceManager.contents.newUntitled({
        type: 'file',
        ext: '.qflow'
      });
      const name =
        model.name.replace(/\.qflow$/, '').replace(/[^A-Za-z0-9_-]/g, '_') ||
        'workflow';
      await app.serviceManager.contents.save(model.path, {
        type: 'file',
        format: 'text',
        content: JSON.stringify({ name, tasks: [] }, null, 2) + '\n'
      });
      return commands.execute('docmanager:open', {
        path: model.path,
        factory: FACTORY
      });
    }
  });
  if (palette) {
    for (const command of Object.values(CommandIDs)) {
      palette.addItem({ command, category: CATEGORY });
    }
  }
  app.commands.addKeyBinding({
    command: CommandIDs.open,
    keys: ['Accel Shift Q'],
    selector: 'body'
  });
}
