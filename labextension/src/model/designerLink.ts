/**
 * The designer-link output of `wf.open()` / `%qflow open` (MIME type below): where the
 * `.qflow` file is on the Jupyter server, and whether the output is new enough to open.
 */

/** The output's MIME type (quantumflow/jupyter/designer_link.py: MIME). */
export const DESIGNER_LINK_MIME = 'application/vnd.quantumflow.designer+json';

/** An output is opened automatically only this soon after the kernel made it. */
export const FRESH_SECONDS = 60;

/** What the kernel sends (DesignerLink._repr_mimebundle_). */
export interface DesignerLinkData {
  /** Absolute POSIX path of the `.qflow` file, as the kernel sees it. */
  path: string;
  /** The path relative to the kernel's working directory (its notebook's folder), if under it. */
  relative: string | null;
  /** The kernel user's home directory (a server root may be given as `~/…`). */
  home: string;
  name: string;
  tasks: number;
  /** False when the file already held this workflow and was left alone. */
  written: boolean;
  /** One per output: the extension opens each output once. */
  id: string;
  /** Seconds since the epoch when the kernel made the output. */
  created: number;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * The file's path relative to the Jupyter server's root (what `docmanager:open` takes),
 * or null when the file lies outside it.
 */
export function serverPath(
  file: string,
  serverRoot: string,
  home: string
): string | null {
  let root = serverRoot.replace(/\\/g, '/');
  if (root === '~' || root.startsWith('~/')) {
    root = home + root.slice(1);
  }
  root = trimSlash(root);
  const path = file.replace(/\\/g, '/');
  if (root === '' || root === '/') {
    return path.replace(/^\/+/, '');
  }
  return path.startsWith(root + '/') ? path.slice(root.length + 1) : null;
}

/**
 * Where the file is on the server: under the server's root, else (a root given through a
 * symlink, a remote kernel) relative to the notebook the output is in, whose folder is the
 * kernel's working directory; null when neither is known.
 */
export function locateFile(
  data: DesignerLinkData,
  serverRoot: string,
  notebookPath: string | null
): string | null {
  const direct = serverPath(data.path, serverRoot, data.home);
  if (direct !== null || notebookPath === null || !data.relative) {
    return direct;
  }
  const folder = notebookPath.includes('/')
    ? notebookPath.slice(0, notebookPath.lastIndexOf('/'))
    : '';
  return folder ? `${folder}/${data.relative}` : data.relative;
}

/**
 * Whether to open the file now: the output was made by the kernel a moment ago (an output
 * reloaded with a saved notebook is old) and has not been opened yet.
 */
export function shouldOpen(
  data: DesignerLinkData,
  opened: Set<string>,
  nowSeconds: number
): boolean {
  return !opened.has(data.id) && Math.abs(nowSeconds - data.created) < FRESH_SECONDS;
}
