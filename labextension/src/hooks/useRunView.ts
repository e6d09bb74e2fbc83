/**
 * The panel's side of the one run view: a run's drawing (GET .../graph, once), every
 * task's state (GET .../states, then the event stream after its `last_event_id`, applied
 * in batches at most 10 times a second without re-laying-out), and the dashboard's
 * pieces (progress, durations, results), re-read at most every `refreshMs` while it runs.
 */
import { useEffect, useState } from 'react';
import { requestAPI, streamEvents } from '../api';
import { RUN_TERMINAL, TaskStatus } from '../generated/status';
import { Throttle } from '../model/aggregate';
import {
  DurationHistogram,
  GraphLayout,
  RunEvent,
  RunProgress,
  RunResults,
  RunStates
} from '../types';
import { RunViewData, withStates } from '../views/viewData';

type Change = [string | null, string];

const enc = encodeURIComponent;

export function useRunView(
  runId: string | null,
  refreshMs = 2000
): { data: RunViewData | null; error: string | null } {
  const [data, setData] = useState<RunViewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    setError(null);
    if (!runId) {
      return;
    }
    const abort = new AbortController();
    const base = `runs/${enc(runId)}`;
    let index = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const extras = async () => {
      const [progress, durations, results] = await Promise.all([
        requestAPI<RunProgress>(`${base}/progress?limit=1`),
        requestAPI<DurationHistogram>(`${base}/durations`),
        requestAPI<RunResults>(`${base}/results`)
      ]);
      if (!abort.signal.aborted) {
        setData(d => (d ? { ...d, progress, durations, results } : d));
      }
    };
    const refresh = () => {
      if (timer === null && !abort.signal.aborted) {
        timer = setTimeout(() => {
          timer = null;
          extras().catch(() => undefined);
        }, refreshMs);
      }
    };
    const throttle = new Throttle<Change>(batch => {
      setData(d => {
        if (!d) {
          return d;
        }
        const moves: [number, string][] = [];
        let status = d.status;
        for (const [task, s] of batch) {
          if (task === null) {
            status = s;
          } else if (index.has(task)) {
            moves.push([index.get(task) as number, s]);
          }
        }
        return { ...d, status, states: withStates(d.states, moves) };
      });
      refresh();
    });
    (async () => {
      const [layout, states] = await Promise.all([
        requestAPI<GraphLayout>(`${base}/graph`),
        requestAPI<RunStates>(`${base}/states`)
      ]);
      index = new Map(layout.ids.map((id, i) => [id, i]));
      if (abort.signal.aborted) {
        return;
      }
      setData({
        runId,
        name: states.name ?? runId,
        status: states.status,
        error: states.error,
        layout,
        // a run that just started may not have written every task's row yet: those
        // tasks are pending (and their events follow on the stream)
        states: states.codes.padEnd(layout.ids.length, '0').slice(0, layout.ids.length)
      });
      await extras();
      if (RUN_TERMINAL.has(states.status)) {
        return;
      }
      await streamEvents(
        `${base}/events?after=${states.last_event_id}`,
        msg => {
          if (msg.event === 'end') {
            const end = JSON.parse(msg.data || '{}') as { status?: string };
            if (end.status) {
              throttle.push([null, end.status]);
            }
            throttle.flush();
            return;
          }
          try {
            const ev = JSON.parse(msg.data) as RunEvent;
            const s = ev.data?.status;
            if (typeof s === 'string') {
              const cached = ev.data?.cache_hit === true && s === 'succeeded';
              throttle.push([
                ev.task_id ?? null,
                cached ? ('cached' as TaskStatus) : s
              ]);
            }
          } catch {
            // not JSON: carries no state
          }
        },
        { signal: abort.signal }
      );
      throttle.flush();
      await extras();
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) {
        setError(String((err as Error).message ?? err));
      }
    });
    return () => {
      abort.abort();
      throttle.dispose();
      if (timer !== null) {
        clearTimeout(timer);
      }
    };
  }, [runId, refreshMs]);
  return { data, error };
}
