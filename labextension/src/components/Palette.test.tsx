import React from 'react';
import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { defaultBackend, Palette, paletteItems } from './Palette';

describe('Palette', () => {
  it('lists every backend plus circuits and library steps; double-click adds', () => {
    const onAdd = vi.fn();
    const backends = [{ name: 'cirq.google:rainbow' }, { name: 'cirq.simulator' }];
    const { container } = render(<Palette backends={backends} onAdd={onAdd} />);
    expect(
      container.querySelector('[data-palette-item="Backends:cirq.simulator"]')
    ).not.toBeNull();
    fireEvent.doubleClick(
      container.querySelector('[data-palette-item="Circuits:ghz"]') as Element
    );
    expect(onAdd.mock.calls[0][0]).toMatchObject({
      kind: 'quantum',
      backend: 'cirq.simulator'
    });
    expect(defaultBackend(backends)).toBe('cirq.simulator');
    expect(paletteItems([]).some(i => i.section === 'Library')).toBe(true);
  });
});
