/** `.qflow` files: the WorkflowSpec as JSON (what `Workflow.save()` writes). */
import { WorkflowSpec } from '../types';

/** Parse a `.qflow` file's text; throws a readable error for anything else. */
export function parseQflow(text: string): WorkflowSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`not a .qflow file (invalid JSON: ${(err as Error).message})`);
  }
  const spec = value as WorkflowSpec;
  if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string') {
    throw new Error('not a .qflow file: a workflow needs a "name"');
  }
  if (spec.tasks !== undefined && !Array.isArray(spec.tasks)) {
    throw new Error('not a .qflow file: "tasks" must be a list');
  }
  return { ...spec, tasks: spec.tasks ?? [] };
}

/** The text written to a `.qflow` file (2-space JSON plus a newline, like spec.to_json). */
export function serializeQflow(spec: WorkflowSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}
