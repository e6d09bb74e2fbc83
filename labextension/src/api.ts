/**
 * The one HTTP client of the extension: every REST call goes through `requestAPI<T>()`,
 * and the SSE stream through `streamEvents()`, both with Jupyter's ServerConnection
 * settings (base URL, token, XSRF header, cookies).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { SSEParser, SSEMessage } from './sse';

/** Where the QuantumFlow router lives under the Jupyter server's base URL. */
export const API_ROOT = 'quantumflow/api';

/** An HTTP error from the QuantumFlow API, with the server's `detail` kept. */
export class APIError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    message: string
  ) {
    super(message);
    this.name = 'APIError';
  }
}

/** One validation problem as FastAPI reports it (422 `detail` items). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

/** Turn an error `detail` into one readable line. */
export function describeDetail(detail: unknown): string {
  if (typeof detail === 'string') {
    return detail;
  }
  if (Array.isArray(detail)) {
    return detail
      .map(d => {
        const issue = d as ValidationIssue;
        if (!Array.isArray(issue.loc) && d && typeof d === 'object' && 'message' in d) {
          // QuantumFlow's own ProblemDetail: {message, task, field}
          const p = d as { message: unknown; task?: unknown; field?: unknown };
          const where = [p.task, p.field].filter(x => typeof x === 'string' && x);
          return where.length
            ? `${where.join('.')}: ${String(p.message)}`
            : String(p.message);
        }
        const loc = Array.isArray(issue.loc) ? issue.loc.join('.') : '';
        return loc ? `${loc}: ${issue.msg}` : String(issue.msg ?? JSON.stringify(d));
      })
      .join('; ');
  }
  if (detail && typeof detail === 'object') {
    const obj = detail as Record<string, unknown>;
    if (typeof obj.message === 'string') {
      return obj.message;
    }
    return JSON.stringify(detail);
  }
  return String(detail);
}

function settingsOrDefault(settings?: ServerConnection.ISettings) {
  return settings ?? ServerConnection.makeSettings();
}

/** Full URL of an API path (`path` is relative to `quantumflow/api/`). */
export function apiUrl(path: string, settings?: ServerConnection.ISettings): string {
  return URLExt.join(settingsOrDefault(settings).baseUrl, API_ROOT, path);
}

/**
 * Call the QuantumFlow REST API.
 *
 * @param path - path under `quantumflow/api/`, e.g. `runs?limit=20`.
 * @param init - fetch options; a plain object `body` is sent as JSON.
 * @param settings - server settings (defaults to the page's).
 * @returns the parsed JSON body (or `undefined` for 204).
 * @throws APIError with the HTTP status and the server's `detail`.
 */
export async function requestAPI<T>(
  path: string,
  init: Omit<RequestInit, 'body'> & { body?: unknown } = {},
  settings?: ServerConnection.ISettings
): Promise<T> {
  const s = settingsOrDefault(settings);
  const { body, ...rest } = init;
  const req: RequestInit = { ...rest };
  if (body !== undefined) {
    req.body = typeof body === 'string' ? body : JSON.stringify(body);
    req.headers = { 'Content-Type': 'application/json', ...(rest.headers ?? {}) };
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(apiUrl(path, s), req, s);
  } catch (error) {
    throw new APIError(0, null, `QuantumFlow server unreachable: ${String(error)}`);
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const detail =
      data && typeof data === 'object' && 'detail' in data
        ? (data as { detail: unknown }).detail
        : data;
    throw new APIError(
      response.status,
      detail,
      `${response.status}: ${describeDetail(detail ?? response.statusText)}`
    );
  }
  return data as T;
}

/**
 * Follow a Server-Sent Events stream with fetch (so the token/XSRF headers travel),
 * reconnecting with `Last-Event-ID` until `signal` aborts or the server ends the
 * stream with an `end` event.
 */
export async function streamEvents(
  path: string,
  onMessage: (message: SSEMessage) => void,
  options: {
    signal: AbortSignal;
    settings?: ServerConnection.ISettings;
    retryMs?: number;
    maxRetries?: number;
  }
): Promise<void> {
  const s = settingsOrDefault(options.settings);
  const parser = new SSEParser();
  let lastId: string | undefined;
  let ended = false;
  let failures = 0;
  while (!options.signal.aborted && !ended) {
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastId !== undefined) {
        headers['Last-Event-ID'] = lastId;
      }
      const response = await ServerConnection.makeRequest(
        apiUrl(path, s),
        { headers, signal: options.signal, cache: 'no-store' },
        s
      );
      if (!response.ok || !response.body) {
        throw new APIError(response.status, null, `event stream: ${response.status}`);
      }
      failures = 0;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        for (const msg of parser.push(decoder.decode(value, { stream: true }))) {
          if (msg.id !== undefined) {
            lastId = msg.id;
          }
          onMessage(msg);
          if (msg.event === 'end') {
            ended = true;
          }
        }
      }
      // A clean close without an `end` event is a dropped connection: reconnect.
    } catch (error) {
      if (options.signal.aborted) {
        return;
      }
      if (error instanceof APIError && error.status >= 400 && error.status < 500) {
        throw error;
      }
      failures += 1;
      if (failures > (options.maxRetries ?? 5)) {
        throw error;
      }
    }
    if (!ended && !options.signal.aborted) {
      await new Promise(r => setTimeout(r, options.retryMs ?? 1000));
    }
  }
}
