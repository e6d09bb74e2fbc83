// @vitest-environment node
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerConnection } from '@jupyterlab/services';
import { APIError, describeDetail, requestAPI, streamEvents } from './api';
import { SSEMessage } from './sse';

// A real HTTP server on loopback standing in for the Jupyter server's routes.
let server: http.Server;
let settings: ServerConnection.ISettings;
const seen: {
  method?: string;
  url?: string;
  auth?: string;
  body?: string;
  lastId?: string;
}[] = [];
let dropOnce = true;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]; // ServerConnection adds a cache buster
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        body,
        lastId: req.headers['last-event-id'] as string | undefined
      });
      if (path === '/base/quantumflow/api/runs/r1') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'r1', status: 'running', tasks: [] }));
      } else if (path === '/base/quantumflow/api/workflows') {
        res.writeHead(422, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            detail: [{ message: 'unknown backend', task: 'q', field: 'backend' }]
          })
        );
      } else if (path === '/base/quantumflow/api/runs/r1/tasks/q/output') {
        const big = (req.url ?? '').includes('max_bytes=10');
        res.writeHead(big ? 413 : 200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(
            big
              ? {
                  detail:
                    "the output of task 'q' is 40 bytes of JSON, over max_bytes=10"
                }
              : {
                  run_id: 'r1',
                  task_id: 'q',
                  status: 'succeeded',
                  output: { counts: {} }
                }
          )
        );
      } else if (path === '/base/quantumflow/api/runs/r1/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        if (dropOnce) {
          dropOnce = false;
          res.end('id: 1\ndata: {"n":1}\n\n'); // connection drops before `end`
        } else {
          res.end(
            'id: 2\ndata: {"n":2}\n\nevent: end\ndata: {"status":"succeeded"}\n\n'
          );
        }
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: 'not found' }));
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  settings = ServerConnection.makeSettings({
    baseUrl: `http://127.0.0.1:${port}/base/`,
    token: 'secret',
    appendToken: false
  });
});

afterAll(() => new Promise<void>(r => server.close(() => r())));

describe('requestAPI', () => {
  it('sends the token and parses JSON', async () => {
    const run = await requestAPI<{ id: string }>('runs/r1', {}, settings);
    expect(run.id).toBe('r1');
    expect(seen.at(-1)?.auth).toBe('token secret');
  });

  it('raises APIError with the server detail', async () => {
    const err = await requestAPI(
      'workflows',
      { method: 'POST', body: { name: 'x' } },
      settings
    ).catch(e => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(422);
    expect(err.message).toContain('q.backend: unknown backend');
    expect(seen.at(-1)?.body).toBe('{"name":"x"}');
  });
});

describe('task outputs', () => {
  it('reads a full output and surfaces the 413 message', async () => {
    const out = await requestAPI<{ output: unknown }>(
      'runs/r1/tasks/q/output',
      {},
      settings
    );
    expect(out.output).toEqual({ counts: {} });
    const err = await requestAPI(
      'runs/r1/tasks/q/output?max_bytes=10',
      {},
      settings
    ).catch(e => e);
    expect(err.status).toBe(413);
    expect(err.message).toContain('over max_bytes=10');
  });

  it('describes QuantumFlow problems and FastAPI issues alike', () => {
    expect(
      describeDetail([
        { message: 'dependency cycle: a -> b -> a', task: null, field: 'depends_on' },
        { message: 'boom', task: 'a', field: null },
        { loc: ['body', 'name'], msg: 'Field required' }
      ])
    ).toBe(
      'depends_on: dependency cycle: a -> b -> a; a: boom; body.name: Field required'
    );
  });
});

describe('streamEvents', () => {
  it('reconnects with Last-Event-ID until the end event', async () => {
    const got: SSEMessage[] = [];
    await streamEvents('runs/r1/events', m => got.push(m), {
      signal: new AbortController().signal,
      settings,
      retryMs: 10
    });
    expect(got.map(m => m.data)).toEqual([
      '{"n":1}',
      '{"n":2}',
      '{"status":"succeeded"}'
    ]);
    expect(seen.at(-1)?.lastId).toBe('1');
  });
});
