import { Deck, OrthographicView } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { Candidate, measure } from './common';

let deck: Deck<OrthographicView> | null = null;
let n = 0;
let pos: Float32Array;
let colours: Uint8Array;
let data: unknown = null;
let position: { value: Float32Array; size: number };

function setData() {
  // a new data object (same position buffer, colours copied): deck uploads the colours
  data = { length: n, attributes: { getPosition: position, getFillColor: { value: colours.slice(), size: 4 } } };
}

function layer() {
  return new ScatterplotLayer({
    id: 'tasks',
    data,
    getRadius: 0.42,
    radiusUnits: 'common',
    radiusMinPixels: 1,
    pickable: true
  } as never);
}

const candidate: Candidate = {
  mount(el, x, y, rgba) {
    n = x.length;
    pos = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      pos[2 * i] = x[i];
      pos[2 * i + 1] = y[i];
    }
    colours = rgba;
    position = { value: pos, size: 2 };
    setData();
    const side = Math.sqrt(n);
    return new Promise(resolve => {
      let done = false;
      deck = new Deck({
        parent: el,
        views: new OrthographicView({ id: 'o' }),
        initialViewState: { target: [side / 2, side / 2, 0], zoom: Math.log2(el.clientHeight / side) },
        controller: true,
        layers: [layer()],
        onAfterRender: () => {
          if (!done) {
            done = true;
            resolve();
          }
        }
      });
    });
  },
  recolour() {
    setData();
    deck?.setProps({ layers: [layer()] });
  }
};

(window as unknown as Record<string, unknown>).runBench = (size: number, rate: number, s: number) =>
  measure(candidate, size, rate, s);
