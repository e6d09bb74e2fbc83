/**
 * Live state of one run: seeded from GET /runs/{id}, then kept current from the SSE
 * stream. Updates are applied in batches at most 10 times a second so a run with
 * thousands of tasks never floods React. A `light` view (a big workflow, drawn by the run
 * view from its own aggregate reads) follows only the run's own status: no per-task rows
 * are downloaded or kept.
 */
import { useEffect, useState } from 'react';
import { requestAPI, streamEvents } from '../api';
import { RUN_TERMINAL } from '../generated/status';
import { Throttle } from '../model/aggregate';
import { RunDetail, RunEvent, RunProgress, RunStatus, TaskStatus } from '../types';

export const TERMINAL_RUN = RUN_TERMINAL;

/** One state change: of a task when `task` is set, of the run otherwise. */
export interface StatusUpdate {
  task: string | null;
  status: string;
  cacheHit?: boolean;
}

export interface RunState {
  runId: string | null;
  runStatus: RunStatus | null;
  tasks: Record<string, TaskStatus>;
  /** Epoch seconds, from the last read of the run (null until known). */
  startedAt?: number | null;
  finishedAt?: number | null;
  events: number;
  updates: number;
  error: string | null;
}

export const EMPTY_RUN: RunState = {
  runId: null,
  runStatus: null,
  tasks: {},
  events: 0,
  updates: 0,
  error: null
};

/** The state change an SSE RunEvent carries, if any. */
export function updateFromEvent(ev: RunEvent): StatusUpdate | null {
  const status = ev.data?.status;
  if (typeof status !== 'string') {
    return null;
  }
  return { task: ev.task_id ?? null, status, cacheHit: ev.data?.cache_hit === true };
}

/** The updates that bring a state to what GET /runs/{id} says. */
export function updatesFromDetail(detail: RunDetail): StatusUpdate[] {
  const out: StatusUpdate[] = (detail.tasks ?? []).map(t => ({
    task: t.task_id,
    status: t.status,
    cacheHit: t.cache_hit
  }));
  out.push({ task: null, status: detail.status });
  return out;
}

/** Apply a batch of updates to a run state (pure); `light` keeps no task states. */
export function applyUpdates(
  state: RunState,
  batch: StatusUpdate[],
  light = false
): RunState {
  const tasks = light ? state.tasks : { ...state.tasks };
  let runStatus = state.runStatus;
  for (const u of batch) {
    if (u.task) {
      if (light) {
        continue;
      }
      tasks[u.task] =
        u.cacheHit && u.status === 'succeeded' ? 'cached' : (u.status as TaskStatus);
    } else {
      runStatus = u.status as RunStatus;
    }
  }
  return {
    ...state,
    tasks,
    runStatus,
    events: state.events + batch.length,
    updates: state.updates + 1
  };
}

export function useRunStatus(
  runId: string | null,
  { light = false }: { light?: boolean } = {}
): RunState {
  const [state, setState] = useState<RunState>(EMPTY_RUN);
  useEffect(() => {
    if (!runId) {
      setState(EMPTY_RUN);
      return;
    }
    const abort = new AbortController();
    const path = `runs/${encodeURIComponent(runId)}`;
    setState({ ...EMPTY_RUN, runId });
    const throttle = new Throttle<StatusUpdate>(batch =>
      setState(s => (s.runId === runId ? applyUpdates(s, batch, light) : s))
    );
    const reread = () =>
      (light
        ? requestAPI<RunProgress>(`${path}/progress?limit=1`).then(
            p => ({ ...p, tasks: [] }) as unknown as RunDetail
          )
        : requestAPI<RunDetail>(path)
      )
        .then(detail => {
          if (!abort.signal.aborted) {
            updatesFromDetail(detail).forEach(u => throttle.push(u));
            throttle.flush();
            setState(s =>
              s.runId === runId
                ? { ...s, startedAt: detail.started_at, finishedAt: detail.finished_at }
                : s
            );
          }
        })
        .catch(() => undefined);
    void reread();
    streamEvents(
      `${path}/events`,
      msg => {
        if (msg.event === 'end') {
          const end = JSON.parse(msg.data || '{}') as { status?: string };
          if (end.status) {
            throttle.push({ task: null, status: end.status });
          }
          throttle.flush();
          return;
        }
        try {
          const update = updateFromEvent(JSON.parse(msg.data) as RunEvent);
          if (update) {
            throttle.push(update);
          }
        } catch {
          // not JSON: carries no state
        }
      },
      { signal: abort.signal }
    )
      .catch((err: unknown) => setState(s => ({ ...s, error: String(err) })))
      .finally(() => {
        throttle.flush();
        // the stream is over: one last authoritative read of the run
        if (!abort.signal.aborted) {
          void reread();
        }
      });
    return () => {
      abort.abort();
      throttle.dispose();
    };
  }, [runId, light]);
  return state;
}
