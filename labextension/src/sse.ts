/** Incremental parser for the `text/event-stream` format (WHATWG HTML §9.2). */

export interface SSEMessage {
  event: string;
  data: string;
  id?: string;
}

/** Feed it chunks of text; it returns each complete message once. */
export class SSEParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  push(chunk: string): SSEMessage[] {
    this.buffer += chunk;
    const out: SSEMessage[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (this.data.length > 0) {
          out.push({
            event: this.event || 'message',
            data: this.data.join('\n'),
            id: this.id
          });
        }
        this.data = [];
        this.event = '';
        continue;
      }
      if (line.startsWith(':')) {
        continue; // comment / heartbeat
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'data') {
        this.data.push(value);
      } else if (field === 'event') {
        this.event = value;
      } else if (field === 'id' && !value.includes('\0')) {
        this.id = value;
      }
    }
    return out;
  }
}
