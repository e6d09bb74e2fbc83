import { Candidate, measure } from './common';

// A 2D canvas: every task a square; a state change repaints only its square.
let ctx: CanvasRenderingContext2D;
let xs: Float32Array;
let ys: Float32Array;
let colours: Uint8Array;
let scale = 1;
const fill = (i: number) => {
  ctx.fillStyle = `rgb(${colours[4 * i]},${colours[4 * i + 1]},${colours[4 * i + 2]})`;
  ctx.fillRect(xs[i] * scale, ys[i] * scale, Math.max(1, 0.7 * scale), Math.max(1, 0.7 * scale));
};

const candidate: Candidate = {
  mount(el, x, y, rgba) {
    const canvas = document.createElement('canvas');
    canvas.width = el.clientWidth;
    canvas.height = el.clientHeight;
    el.appendChild(canvas);
    ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    xs = x;
    ys = y;
    colours = rgba;
    scale = canvas.height / (Math.sqrt(x.length) + 1);
    for (let i = 0; i < x.length; i++) {
      fill(i);
    }
    return new Promise(resolve => requestAnimationFrame(() => resolve()));
  },
  recolour(changed) {
    for (const i of changed) {
      fill(i);
    }
  }
};

(window as unknown as Record<string, unknown>).runBench = (size: number, rate: number, s: number) =>
  measure(candidate, size, rate, s);
