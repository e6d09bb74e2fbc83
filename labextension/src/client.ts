/** Typed calls of the QuantumFlow REST API used by the panel (all via requestAPI). */
import { APIError, requestAPI } from './api';
import {
  BackendSummary,
  CancelResult,
  EstimateResult,
  FunctionSignature,
  JSONSchema,
  LibraryFunction,
  PythonExport,
  RunAccepted,
  RunDetail,
  RunPage,
  RunPlan,
  TaskLogs,
  TaskOutput,
  ValidationResult,
  WorkflowCreated,
  WorkflowDetail,
  WorkflowPerformance,
  WorkflowSpec
} from './types';

const enc = encodeURIComponent;

export const api = {
  schema: () => requestAPI<JSONSchema>('schema'),
  backends: () => requestAPI<BackendSummary[]>('backends'),
  /** The built-in library steps by purpose, each with its signature. */
  functions: () => requestAPI<LibraryFunction[]>('functions'),
  /** What a task's `fn` accepts (404 when the function cannot be found). */
  signature: (fn: string) =>
    requestAPI<FunctionSignature>(`functions/signature?fn=${enc(fn)}`),
  /** Save the spec (create or update `workflowId`) and start a run of it. */
  saveAndRun: async (
    spec: WorkflowSpec,
    workflowId: string | null,
    params?: Record<string, unknown>
  ): Promise<RunAccepted & { workflow_id: string }> => {
    let id = workflowId;
    if (id) {
      try {
        await requestAPI<WorkflowCreated>(`workflows/${enc(id)}`, {
          method: 'PUT',
          body: spec
        });
      } catch (err) {
        if (!(err instanceof APIError) || err.status !== 404) {
          throw err;
        }
        id = null;
      }
    }
    if (!id) {
      id = (
        await requestAPI<WorkflowCreated>('workflows', { method: 'POST', body: spec })
      ).id;
    }
    const body: Record<string, unknown> = { workflow_id: id };
    if (params && Object.keys(params).length) {
      body.params = params;
    }
    const accepted = await requestAPI<RunAccepted>('workflows/run', {
      method: 'POST',
      body
    });
    return { ...accepted, workflow_id: id };
  },
  saveAndRunById: (workflowId: string) =>
    requestAPI<RunAccepted>('workflows/run', {
      method: 'POST',
      body: { workflow_id: workflowId }
    }),
  estimate: (spec: WorkflowSpec) =>
    requestAPI<EstimateResult>('estimate', { method: 'POST', body: { spec } }),
  /** Python DSL code that rebuilds `spec` (the designer's Export as Python). */
  exportPython: (spec: WorkflowSpec) =>
    requestAPI<PythonExport>('workflows/python', { method: 'POST', body: spec }),
  /** Server-side validation (fields, references, cycles, imports, backends). */
  validate: (spec: WorkflowSpec) =>
    requestAPI<ValidationResult>('workflows/validate', { method: 'POST', body: spec }),
  runs: (query: {
    status?: string;
    workflow_id?: string;
    limit?: number;
    offset?: number;
  }) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '') {
        q.set(k, String(v));
      }
    }
    return requestAPI<RunPage>(`runs?${q.toString()}`);
  },
  runDetail: (id: string) => requestAPI<RunDetail>(`runs/${enc(id)}`),
  /** The stored plan next to the actual run (predicted vs actual per task, makespan). */
  runPlan: (id: string) => requestAPI<RunPlan>(`runs/${enc(id)}/plan`),
  cancel: (id: string) =>
    requestAPI<CancelResult>(`runs/${enc(id)}/cancel`, { method: 'POST' }),
  /** Continue an interrupted run in the server (cloud jobs are re-attached, not resubmitted). */
  resume: (id: string) =>
    requestAPI<RunAccepted>(`runs/${enc(id)}/resume`, { method: 'POST' }),
  rerun: (id: string, fromTask: string) =>
    requestAPI<RunAccepted>(`runs/${enc(id)}/rerun`, {
      method: 'POST',
      body: { from_task: fromTask }
    }),
  /** A task's full output (413 when over `maxBytes`, 404 when it has none). */
  taskOutput: (id: string, task: string, maxBytes?: number) =>
    requestAPI<TaskOutput>(
      `runs/${enc(id)}/tasks/${enc(task)}/output` +
        (maxBytes ? `?max_bytes=${maxBytes}` : '')
    ),
  logs: (id: string, task: string) =>
    requestAPI<TaskLogs>(`runs/${enc(id)}/tasks/${enc(task)}/logs`),
  performance: (workflowId: string) =>
    requestAPI<WorkflowPerformance>(`performance/${enc(workflowId)}`),
  workflow: (id: string) => requestAPI<WorkflowDetail>(`workflows/${enc(id)}`)
};
