/**
 * "Export as Python" in the `.qflow` designer: the server writes Python DSL code that
 * rebuilds the open workflow (POST /api/workflows/python, quantumflow.dsl.export_python);
 * it is saved as a new `.py` file next to the `.qflow` file (never over an existing file)
 * and opened in the editor.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage, WidgetTracker } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';
import { pythonIcon } from '@jupyterlab/ui-components';
import { api } from './client';
import { QFlowDocument } from './document';
import { parseQflow } from './model/qflowFile';

export const EXPORT_PYTHON = 'quantumflow:export-python';

/** The first of `stem.py`, `stem_2.py`, … that does not exist in `folder`. */
export async function freePythonPath(
  contents: Contents.IManager,
  folder: string,
  stem: string
): Promise<string> {
  for (let n = 1; ; n++) {
    const path = PathExt.join(folder, `${stem}${n === 1 ? '' : `_${n}`}.py`);
    try {
      await contents.get(path, { content: false });
    } catch {
      return path; // not found: free
    }
  }
}

export function registerExportPython(
  app: JupyterFrontEnd,
  tracker: WidgetTracker<QFlowDocument>,
  palette: ICommandPalette | null
): void {
  const contents = app.serviceManager.contents;
  const target = (args: Record<string, unknown>) =>
    (typeof args.path === 'string'
      ? tracker.find(w => w.context.path === args.path)
      : undefined) ?? tracker.currentWidget;
  app.commands.addCommand(EXPORT_PYTHON, {
    label: 'Export as Python',
    icon: pythonIcon,
    caption:
      'Write Python (quantumflow.dsl) code that rebuilds this workflow to a new .py file next to it',
    isEnabled: args => target(args) !== null,
    execute: async args => {
      const doc = target(args);
      if (!doc) {
        return;
      }
      try {
        const spec = parseQflow(doc.context.model.toString());
        const { code } = await api.exportPython(spec);
        const folder = PathExt.dirname(doc.context.path);
        const stem = PathExt.basename(doc.context.path, '.qflow') || 'workflow';
        const path = await freePythonPath(contents, folder, stem);
        await contents.save(path, { type: 'file', format: 'text', content: code });
        return app.commands.execute('docmanager:open', { path });
      } catch (err) {
        return showErrorMessage('Export as Python', err as Error);
      }
    }
  });
  palette?.addItem({ command: EXPORT_PYTHON, category: 'QuantumFlow' });
}
