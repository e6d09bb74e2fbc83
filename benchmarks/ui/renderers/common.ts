/** What the renderer comparison measures, the same way for each candidate. */
export interface Candidate {
  /** Draw n tasks at (x, y) with colours; resolve after the first frame is on screen. */
  mount(el: HTMLElement, x: Float32Array, y: Float32Array, rgba: Uint8Array): Promise<void>;
  /** Recolour tasks (indices into the arrays given to mount; rgba updated in place). */
  recolour(changed: Uint32Array): void;
}

export const PALETTE: [number, number, number][] = [
  [150, 150, 150], [120, 160, 220], [40, 110, 220], [230, 160, 40], [40, 160, 80],
  [210, 60, 60], [170, 170, 170], [120, 120, 120], [60, 180, 170]
];

/** A sweep-like grid of n tasks. */
export function grid(n: number): { x: Float32Array; y: Float32Array; rgba: Uint8Array } {
  const cols = Math.ceil(Math.sqrt(n));
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    x[i] = i % cols;
    y[i] = Math.floor(i / cols);
    rgba.set([...PALETTE[0], 255], i * 4);
  }
  return { x, y, rgba };
}

/** Mount, then change `rate` task states a second (batched every 100 ms) for `seconds`,
 * recording every animation frame's duration and the JS heap. */
export async function measure(
  c: Candidate,
  n: number,
  rate: number,
  seconds: number
): Promise<Record<string, number>> {
  const el = document.getElementById('root') as HTMLElement;
  const { x, y, rgba } = grid(n);
  const t0 = performance.now();
  await c.mount(el, x, y, rgba);
  const firstRender = performance.now() - t0;
  // let the first frame reach the screen (shader compilation, first upload) before timing
  await new Promise(r => setTimeout(r, 2000));
  const frames: number[] = [];
  let last = performance.now();
  let stop = false;
  const tick = (now: number) => {
    frames.push(now - last);
    last = now;
    if (!stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const per = Math.round(rate / 10);
  const end = performance.now() + seconds * 1000;
  let changes = 0;
  while (performance.now() < end) {
    const changed = new Uint32Array(per);
    for (let k = 0; k < per; k++) {
      const i = Math.floor(rnd() * n);
      changed[k] = i;
      rgba.set([...PALETTE[1 + Math.floor(rnd() * 8)], 255], i * 4);
    }
    c.recolour(changed);
    changes += per;
    await new Promise(r => setTimeout(r, 100));
  }
  stop = true;
  frames.shift();
  frames.sort((a, b) => a - b);
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return {
    n,
    first_render_ms: firstRender,
    changes,
    frames: frames.length,
    frame_median_ms: frames[Math.floor(frames.length / 2)],
    frame_p95_ms: frames[Math.floor(frames.length * 0.95)],
    frame_max_ms: frames[frames.length - 1],
    js_heap_mb: mem ? mem.usedJSHeapSize / 2 ** 20 : -1
  };
}
