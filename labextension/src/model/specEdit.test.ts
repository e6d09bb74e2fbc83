import { describe, expect, it } from 'vitest';
import {
  connect,
  createsCycle,
  disconnect,
  edgesOf,
  pasteTasks,
  removeTasks,
  updateTask,
  upstreamOf
} from './specEdit';
import { WorkflowSpec } from '../types';

const spec: WorkflowSpec = {
  name: 'w',
  tasks: [
    { id: 'a', kind: 'classical', fn: 'constant', inputs: { value: 1 } },
    { id: 'b', kind: 'classical', fn: 'constant', inputs: { value: { ref: 'a.x' } } },
    { id: 'c', kind: 'classical', fn: 'collect', depends_on: ['b'] }
  ]
};

describe('specEdit', () => {
  it('derives edges from refs and depends_on', () => {
    expect(edgesOf(spec).map(e => e.id)).toEqual(['a->b', 'b->c']);
    expect(upstreamOf(spec.tasks[1])).toEqual(['a']);
  });

  it('connects without duplicating and refuses cycles', () => {
    const s = connect(spec, 'a', 'c');
    expect(s.tasks[2].depends_on).toEqual(['b', 'a']);
    expect(connect(s, 'a', 'c')).toEqual(s);
    expect(createsCycle(spec, 'c', 'a')).toBe(true);
    expect(createsCycle(spec, 'a', 'c')).toBe(false);
  });

  it('disconnect drops both the ordering edge and the data reference', () => {
    expect(disconnect(spec, 'a', 'b').tasks[1].inputs).toBeUndefined();
    expect(disconnect(spec, 'b', 'c').tasks[2].depends_on).toBeUndefined();
  });

  it('renaming a task rewrites references to it', () => {
    const s = updateTask(spec, 'a', { ...spec.tasks[0], id: 'src' });
    expect(s.tasks[1].inputs).toEqual({ value: { ref: 'src.x' } });
  });

  it('removing tasks removes their edges and keeps the rest untouched', () => {
    const s = removeTasks(spec, ['b']);
    expect(s.tasks.map(t => t.id)).toEqual(['a', 'c']);
    expect(s.tasks[1].depends_on).toBeUndefined();
    expect(s.tasks[0]).toBe(spec.tasks[0]);
  });

  it('paste gives fresh ids and rewires refs inside the copied set only', () => {
    const { spec: s, ids } = pasteTasks(spec, [spec.tasks[0], spec.tasks[1]]);
    expect([...ids.values()]).toEqual(['a_copy', 'b_copy']);
    expect(s.tasks[4].inputs).toEqual({ value: { ref: 'a_copy.x' } });
    const again = pasteTasks(s, [spec.tasks[2]]);
    expect(again.spec.tasks.at(-1)?.depends_on).toEqual(['b']);
  });
});
