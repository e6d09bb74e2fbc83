/**
 * Full outputs of some tasks of a run (GET .../tasks/{task_id}/output), each loaded once:
 * a finished task's output never changes. A task whose output cannot be had (404, 413,
 * an older server) is remembered as missing, so callers fall back to its preview.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../client';

type Loaded = { ok: true; value: unknown } | { ok: false };

/** Load the outputs of `taskIds` of `runId`; the map holds those loaded so far. */
export function useTaskOutputs(
  runId: string | null,
  taskIds: string[],
  load: (runId: string, taskId: string) => Promise<unknown> = (r, t) =>
    api.taskOutput(r, t).then(o => o.output)
): Map<string, unknown> {
  const cache = useRef(new Map<string, Loaded>());
  const [tick, setTick] = useState(0);
  const key = taskIds.join('\u0000');
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (!runId) {
      return;
    }
    const at = (id: string) => `${runId}\u0000${id}`;
    const missing = taskIds.filter(id => !cache.current.has(at(id)));
    if (!missing.length) {
      return;
    }
    let live = true;
    void Promise.all(
      missing.map(id =>
        loadRef.current(runId, id).then(
          (value): [string, Loaded] => [id, { ok: true, value }],
          (): [string, Loaded] => [id, { ok: false }]
        )
      )
    ).then(results => {
      for (const [id, loaded] of results) {
        cache.current.set(at(id), loaded);
      }
      if (live) {
        setTick(t => t + 1);
      }
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, key]);

  return useMemo(() => {
    const out = new Map<string, unknown>();
    if (runId) {
      for (const id of taskIds) {
        const loaded = cache.current.get(`${runId}\u0000${id}`);
        if (loaded?.ok) {
          out.set(id, loaded.value);
        }
      }
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, key, tick]);
}
