/**
 * Function signatures of the classical tasks on the canvas, fetched once per `fn` from
 * GET /api/functions/signature (library steps arrive with GET /api/functions). A
 * function that cannot be found maps to null: the port picker then asks for a name.
 */
import { useEffect, useState } from 'react';
import { api } from '../client';
import { FunctionSignature, LibraryFunction, Task } from '../types';

export type Signatures = Record<string, FunctionSignature | null>;

const cache = new Map<string, Promise<FunctionSignature | null>>();

/** Seed the cache with the library's signatures (they come with GET /api/functions). */
export function rememberLibrary(items: LibraryFunction[]): void {
  for (const item of items) {
    if (item.signature && !cache.has(item.name)) {
      cache.set(item.name, Promise.resolve(item.signature));
    }
  }
}

/** The signature of one `fn` (null when it cannot be found or read). */
export function signatureOf(fn: string): Promise<FunctionSignature | null> {
  let found = cache.get(fn);
  if (!found) {
    found = api.signature(fn).catch(() => {
      cache.delete(fn); // retry later: the module may appear (or the server come back)
      return null;
    });
    cache.set(fn, found);
  }
  return found;
}

/** Signatures of every classical task's `fn` in `tasks`, filled in as they arrive. */
export function useSignatures(tasks: Task[]): Signatures {
  const [known, setKnown] = useState<Signatures>({});
  const fns = [
    ...new Set(
      tasks.filter(t => t.kind === 'classical').map(t => (t as { fn: string }).fn)
    )
  ]
    .sort()
    .join('\n');
  useEffect(() => {
    let live = true;
    for (const fn of fns ? fns.split('\n') : []) {
      void signatureOf(fn).then(sig => {
        if (live) {
          setKnown(k => (k[fn] === sig ? k : { ...k, [fn]: sig }));
        }
      });
    }
    return () => {
      live = false;
    };
  }, [fns]);
  return known;
}
