/**
 * A Gantt of worker lanes (GET .../lanes): one row per lane, one column per time bucket,
 * the bucket's run time as the lane's colour and its queue time as a lighter band under
 * it, so which lane ran what when, and where tasks waited, reads at a glance.
 */
import React, { useEffect, useRef } from 'react';
import { formatDuration } from '../model/format';
import { resolveStatusColor } from '../model/statusPalette';
import { Lanes } from '../types';

const ROW = 18;
const LABEL = 110;

export function LanesGantt({ lanes }: { lanes: Lanes }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) {
      return;
    }
    c.width = Math.max(300, c.parentElement?.clientWidth ?? 600);
    c.height = lanes.lanes.length * ROW + 20;
    const cell = (c.width - LABEL) / Math.max(1, lanes.buckets);
    const run = resolveStatusColor(c, 'running', 'border');
    const queue = resolveStatusColor(c, 'queued', 'border');
    const text =
      getComputedStyle(c).getPropertyValue('--jp-ui-font-color1').trim() || '#333';
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.font = '11px sans-serif';
    lanes.lanes.forEach((lane, r) => {
      const y = r * ROW;
      ctx.fillStyle = text;
      ctx.fillText((lane.lane || '(main)').slice(0, 16), 2, y + 13);
      for (let b = 0; b < lanes.buckets; b++) {
        const busy = Math.min(1, (lane.run[b] ?? 0) / lanes.width);
        const wait = Math.min(1, (lane.queue[b] ?? 0) / lanes.width);
        const x = LABEL + b * cell;
        if (busy > 0) {
          ctx.globalAlpha = 0.25 + 0.75 * busy;
          ctx.fillStyle = run;
          ctx.fillRect(x, y + 2, Math.max(1, cell), ROW - 8);
        }
        if (wait > 0) {
          ctx.globalAlpha = 0.25 + 0.75 * wait;
          ctx.fillStyle = queue;
          ctx.fillRect(x, y + ROW - 6, Math.max(1, cell), 4);
        }
      }
      ctx.globalAlpha = 1;
    });
    ctx.fillStyle = text;
    const span = lanes.buckets * lanes.width;
    ctx.fillText('+0', LABEL, c.height - 4);
    ctx.fillText(`+${formatDuration(span)}`, c.width - 70, c.height - 4);
  }, [lanes]);
  if (!lanes.lanes.length) {
    return null;
  }
  return (
    <div data-dashboard-part="lanes">
      <div className="jp-QFlow-props-title">
        Worker lanes: run time (bar) and queue time (band under it) per{' '}
        {formatDuration(lanes.width)}
      </div>
      <canvas ref={canvas} data-lanes={lanes.lanes.length} />
    </div>
  );
}
