// jsdom lacks these browser APIs that React Flow and chart.js use.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
const g = globalThis as unknown as Record<string, unknown>;
g.ResizeObserver = g.ResizeObserver ?? ResizeObserverStub;
g.DOMMatrixReadOnly =
  g.DOMMatrixReadOnly ??
  class {
    m22 = 1;
    constructor(_transform?: string) {}
  };
