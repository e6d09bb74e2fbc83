/**
 * TypeScript mirrors of the WorkflowSpec (quantumflow/spec/models.py) and the REST API
 * models (quantumflow/api/schemas.py), name for name. Status names come from
 * src/generated/status.ts and every API model is generated in src/generated/api.ts
 * (`make types`; `make lint` fails when either is stale).
 */

// ---------------------------------------------------------------- WorkflowSpec

import type { RunStatus, TaskStatus } from './generated/status';
export type { RunStatus, TaskStatus };

export interface Budget {
  seconds?: number | null;
  usd?: number | null;
}

export interface Policies {
  max_concurrency?: number;
  retries?: number;
  retry_backoff_s?: number;
  timeout_s?: number | null;
  on_failure?: 'stop' | 'continue';
  budget?: Budget | null;
}

export interface CircuitSource {
  qasm?: string | null;
  qasm_file?: string | null;
  builtin?: string | null;
  args?: Record<string, unknown>;
  callable?: string | null;
}

interface TaskBase {
  id: string;
  description?: string | null;
  depends_on?: string[];
  inputs?: Record<string, unknown>;
  retries?: number | null;
  timeout_s?: number | null;
  resources?: Record<string, number>;
  group?: string | null;
}

export interface ClassicalTask extends TaskBase {
  kind: 'classical';
  fn: string;
  cache?: boolean;
}

export interface QuantumTask extends TaskBase {
  kind: 'quantum';
  backend: string;
  circuit: CircuitSource;
  shots?: number | null;
  seed?: number | null;
  sweep?: Record<string, unknown> | null;
  observables?: string[] | null;
  noise?: Record<string, unknown> | null;
  transpile?: Record<string, unknown> | null;
  cache?: boolean;
}

export type Task = ClassicalTask | QuantumTask;

/** Where the designer draws a task. */
export interface NodePosition {
  x: number;
  y: number;
}

export interface WorkflowSpec {
  version?: string;
  name: string;
  description?: string | null;
  params?: Record<string, unknown>;
  policies?: Policies;
  tasks: Task[];
  /** Designer node positions (task id -> {x, y}); not used to run. */
  layout?: Record<string, NodePosition> | null;
}

// ---------------------------------------------------------------- API models
// Mirrors quantumflow/api/schemas.py, class for class and field for field.

export type ExecutorName = 'threads' | 'processes';

export interface ProblemDetail {
  message: string;
  task?: string | null;
  field?: string | null;
}

export interface ErrorResponse {
  detail: string | ProblemDetail[];
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description?: string | null;
  task_count: number;
  created_at: number;
  updated_at: number;
}

export interface ValidationResult {
  ok: boolean;
  problems: ProblemDetail[];
}

export interface PythonExport {
  code: string;
  filename: string;
}

export interface WorkflowDetail extends WorkflowSummary {
  spec: WorkflowSpec;
}

export interface WorkflowCreated {
  id: string;
  name: string;
}

export interface Deleted {
  id: string;
  deleted: boolean;
}

export interface RunRequest {
  workflow_id?: string | null;
  spec?: WorkflowSpec | null;
  params?: Record<string, unknown> | null;
  executor?: ExecutorName;
}

export interface RerunRequest {
  from_task: string;
  executor?: ExecutorName;
}

export interface RunAccepted {
  run_id: string;
  workflow_id?: string | null;
  status: RunStatus;
}

export interface TaskRunInfo {
  task_id: string;
  status: TaskStatus;
  attempts: number;
  started_at?: number | null;
  finished_at?: number | null;
  duration?: number | null;
  error?: string | null;
  cache_hit: boolean;
  output_summary?: string | null;
}

export interface RunSummary {
  id: string;
  workflow_id?: string | null;
  name?: string | null;
  status: RunStatus;
  created_at?: number | null;
  started_at?: number | null;
  finished_at?: number | null;
  error?: string | null;
  /** Sum of the run's recorded task costs (USD); null when none was recorded. */
  cost_usd?: number | null;
}

export interface RunDetail extends RunSummary {
  params: Record<string, unknown>;
  tasks: TaskRunInfo[];
  /** The WorkflowSpec this run ran. */
  spec?: WorkflowSpec | null;
}

export interface RunPage {
  items: RunSummary[];
  limit: number;
  offset: number;
  has_more: boolean;
}

export interface CancelResult {
  run_id: string;
  cancel_requested: boolean;
  status: RunStatus;
}

/** One persisted event of a run: the `data:` of an SSE message (`id` is its SSE id). */
export interface RunEvent {
  id: number;
  run_id: string;
  task_id?: string | null;
  kind: string;
  data: Record<string, unknown>;
  at: number;
}

export interface TaskOutput {
  run_id: string;
  task_id: string;
  status: TaskStatus;
  output: unknown;
  size_bytes: number;
}

export interface TaskLogs {
  run_id: string;
  task_id: string;
  entries: RunEvent[];
}

export interface TaskMetrics {
  run_id: string;
  task_id: string;
  attempt?: number | null;
  wall_s?: number | null;
  queue_s?: number | null;
  cpu_s?: number | null;
  cache_hit?: boolean | null;
  [extra: string]: unknown;
}

export interface TaskAggregate {
  task_id: string;
  samples: number;
  mean_wall_s?: number | null;
  min_wall_s?: number | null;
  max_wall_s?: number | null;
}

export interface WorkflowPerformance {
  workflow_id: string;
  runs: number;
  runs_by_status: Record<string, number>;
  mean_run_s?: number | null;
  latest_run_id?: string | null;
  latest: TaskMetrics[];
  tasks: TaskAggregate[];
}

export interface TaskPerformance {
  workflow_id: string;
  task_id: string;
  history: TaskMetrics[];
}

/** One task of a run: the plan's predicted seconds next to what it took. */
export interface PlannedTask {
  predicted_s?: number | null;
  /** Measured; null if it did not run. */
  actual_s?: number | null;
  /** Seconds from the run start. */
  planned_start_s?: number | null;
  actual_start_s?: number | null;
  /** actual_s / predicted_s. */
  ratio?: number | null;
  status: TaskStatus;
}

/** How busy one resource was during a run (a backend, `classical`, or a named resource). */
export interface ResourceUse {
  busy_s: number;
  tasks: number;
  peak_parallel: number;
  /** busy_s / (makespan * peak_parallel). */
  utilisation?: number | null;
}

/** How busy the engine's worker lanes were. */
export interface LaneUse {
  max_concurrency: number;
  utilisation?: number | null;
}

/** GET /api/runs/{run_id}/plan: the stored plan next to the actual run. */
export interface RunPlan {
  run_id: string;
  status: RunStatus;
  /** False when no plan was saved (predicted fields null). */
  plan: boolean;
  policy?: string | null;
  workers?: number | null;
  predicted_makespan_s?: number | null;
  actual_makespan_s?: number | null;
  makespan_ratio?: number | null;
  planned_critical_path?: string[] | null;
  /** The chain of waits that set the actual makespan. */
  actual_critical_path: string[];
  critical_path_s?: number | null;
  tasks: Record<string, PlannedTask>;
  resources: Record<string, ResourceUse>;
  lanes?: LaneUse | null;
}

export interface EstimateRequest {
  workflow_id?: string | null;
  spec?: WorkflowSpec | null;
}

/** POST /api/estimate answers the cost estimator's dict (shape owned by quantumflow.cost). */
export type EstimateResult = Record<string, unknown>;

/** Whether a task can use a backend now; `note` says what to do otherwise. */
export type BackendState =
  'ready' | 'needs_credentials' | 'sdk_missing' | 'unavailable';

export interface BackendSummary {
  name: string;
  sdk?: string | null;
  installed?: boolean | null;
  /** Installed and, if remote, has credentials. */
  usable?: boolean | null;
  state?: BackendState;
  capabilities?: Record<string, unknown> | null;
  note?: string | null;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------- functions
// Generated from the OpenAPI document (quantumflow/api/schemas.py).

export type {
  FunctionParam,
  FunctionSignature,
  LibraryFunction
} from './generated/api';

/** A JSON Schema node as far as the property editor reads it. */
export interface JSONSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  properties?: Record<string, JSONSchema>;
  required?: string[];
  items?: JSONSchema;
  anyOf?: JSONSchema[];
  oneOf?: JSONSchema[];
  $ref?: string;
  $defs?: Record<string, JSONSchema>;
  additionalProperties?: boolean | JSONSchema;
}

// ---------------------------------------------------------------- run views
// Generated from the OpenAPI document (quantumflow/api/view_schemas.py).

export type {
  CostBurn,
  CountsHistogram,
  DurationHistogram,
  Lane,
  Lanes,
  MitigatedObservable,
  MitigatedResult,
  Objective,
  TaskRow,
  TaskRowPage,
  Throughput,
  GraphGroup,
  GraphLayout,
  ResultSeries,
  RunProgress,
  RunResults,
  RunStates,
  ScalarRow
} from './generated/api';
