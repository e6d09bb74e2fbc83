import Graph from 'graphology';
import Sigma from 'sigma';
import { Candidate, measure } from './common';

let graph: Graph;
let colours: Uint8Array;
const hex = (i: number) =>
  `rgb(${colours[4 * i]},${colours[4 * i + 1]},${colours[4 * i + 2]})`;

const candidate: Candidate = {
  mount(el, x, y, rgba) {
    colours = rgba;
    graph = new Graph();
    for (let i = 0; i < x.length; i++) {
      graph.addNode(i, { x: x[i], y: y[i], size: 1, color: hex(i) });
    }
    return new Promise(resolve => {
      const s = new Sigma(graph, el, { labelRenderedSizeThreshold: 1e9, renderLabels: false });
      s.once('afterRender', () => resolve());
      s.refresh();
    });
  },
  recolour(changed) {
    for (const i of changed) {
      graph.setNodeAttribute(i, 'color', hex(i));
    }
  }
};

(window as unknown as Record<string, unknown>).runBench = (size: number, rate: number, s: number) =>
  measure(candidate, size, rate, s);
