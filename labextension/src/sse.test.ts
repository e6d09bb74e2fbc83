import { describe, expect, it } from 'vitest';
import { SSEParser } from './sse';

describe('SSEParser', () => {
  it('parses messages split across chunks, with ids, events and comments', () => {
    const p = new SSEParser();
    expect(p.push('retry: 1000\n\n: keep-alive\n\nid: 7\nda')).toEqual([]);
    expect(p.push('ta: {"a":1}\n\nevent: end\ndata: x\ndata: y\r\n\r\n')).toEqual([
      { event: 'message', data: '{"a":1}', id: '7' },
      { event: 'end', data: 'x\ny', id: '7' }
    ]);
  });
});
