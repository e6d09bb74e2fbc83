/**
 * Server-side validation that follows the spec: shortly after each edit the spec is
 * checked by POST /api/workflows/validate, so a problem appears on its node and field
 * and disappears as soon as its cause is fixed. Big workflows are checked on demand only.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../client';
import { FieldIssue, issuesFromDetail } from '../model/issues';
import { WorkflowSpec } from '../types';

/** The spec as the engine sees it (without the designer's layout), as one string. */
export function specKey(spec: WorkflowSpec): string {
  const rest = { ...spec };
  delete rest.layout;
  return JSON.stringify(rest);
}

export interface LiveValidation {
  issues: FieldIssue[];
  /** The spec that was checked last (null before the first answer). */
  checked: WorkflowSpec | null;
  /** Replace the issues (e.g. with a run's 422 answer). */
  report: (detail: unknown, spec: WorkflowSpec) => void;
}

export function useLiveValidation(
  spec: WorkflowSpec,
  { enabled, delayMs = 400 }: { enabled: boolean; delayMs?: number }
): LiveValidation {
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [checked, setChecked] = useState<WorkflowSpec | null>(null);
  const latest = useRef(spec);
  latest.current = spec;
  // Moving nodes changes only the layout: nothing to check again.
  const key = useMemo(() => specKey(spec), [spec]);
  useEffect(() => {
    const spec = latest.current;
    if (!enabled || spec.tasks.length === 0) {
      setIssues([]);
      setChecked(spec);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.validate(spec).then(
        result => {
          if (live) {
            setIssues(result.ok ? [] : issuesFromDetail(result.problems, spec));
            setChecked(spec);
          }
        },
        () => undefined // the server is unreachable: the run bar says so when used
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, enabled, delayMs]);
  return {
    issues,
    checked,
    report: (detail, s) => {
      setIssues(
        Array.isArray(detail) && !detail.length ? [] : issuesFromDetail(detail, s)
      );
      setChecked(s);
    }
  };
}
