/**
 * The RunWidget's drawing trait. The kernel sends it once as JSON bytes (a binary buffer,
 * which anywidget hands over as a DataView): a 100,000-task drawing is 7 MB that would
 * otherwise be walked, encoded and parsed inside the comm message.
 */
import { RunViewData } from '../views/viewData';

const parsed = new WeakMap<object, RunViewData['layout']>();

/** The drawing from the trait's value, parsed once per value; an object is taken as is. */
export function drawingOf(value: unknown): RunViewData['layout'] {
  if (!value || typeof value !== 'object') {
    return null;
  }
  if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
    return value as RunViewData['layout'];
  }
  let layout = parsed.get(value);
  if (layout === undefined) {
    const text = new TextDecoder().decode(value);
    layout = text ? (JSON.parse(text) as RunViewData['layout']) : null;
    parsed.set(value, layout);
  }
  return layout;
}
