import React from 'react';
import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { defaultBackend, paletteItems, purposeTitle } from '../model/palette';
import { LibraryFunction } from '../types';
import { Palette } from './Palette';

const library: LibraryFunction[] = [
  {
    name: 'parity',
    target: 'quantumflow.library.postprocess:parity',
    purpose: 'post-process',
    signature: {
      fn: 'parity',
      params: [],
      var_keyword: false,
      doc: 'Parity of counts.'
    }
  },
  { name: 'minimize', target: 'x:minimize', purpose: 'optimise' }
];

describe('Palette', () => {
  it('offers task kinds and library steps by purpose; double-click adds', () => {
    const onAdd = vi.fn();
    const backends = [
      { name: 'qiskit.ibm:ibm_brisbane', state: 'needs_credentials' as const },
      { name: 'cirq.simulator', state: 'ready' as const }
    ];
    const { container } = render(
      <Palette backends={backends} library={library} onAdd={onAdd} />
    );
    const quantum = container.querySelector(
      '[data-palette-item="Tasks:Quantum circuit"]'
    );
    expect(quantum).not.toBeNull();
    expect(
      container
        .querySelector('[data-palette-item="Post-process:parity"]')
        ?.getAttribute('title')
    ).toMatch(/^Parity of counts\./);
    expect(
      container.querySelector('[data-palette-item="Optimise:minimize"]')
    ).not.toBeNull();
    fireEvent.doubleClick(quantum as Element);
    expect(onAdd.mock.calls[0][0]).toMatchObject({
      kind: 'quantum',
      backend: 'cirq.simulator' // the ready backend, never one that needs credentials
    });
  });

  it('folds away', () => {
    const { container } = render(
      <Palette backends={[]} library={library} onAdd={vi.fn()} />
    );
    fireEvent.click(container.querySelector('.jp-QFlow-palette-toggle') as Element);
    expect(container.querySelector('[data-palette-item]')).toBeNull();
  });
});

describe('palette items', () => {
  it('defaults to a ready local simulator', () => {
    expect(defaultBackend([{ name: 'qiskit.aer', state: 'sdk_missing' }])).toBe(
      'qiskit.aer'
    );
    expect(
      defaultBackend([
        { name: 'qiskit.aer', state: 'sdk_missing' },
        { name: 'pennylane:default.qubit', state: 'ready' }
      ])
    ).toBe('pennylane:default.qubit');
    expect(paletteItems([], []).map(i => i.label)).toEqual([
      'Quantum circuit',
      'Python function'
    ]);
    expect(purposeTitle('post-process')).toBe('Post-process');
    expect(purposeTitle('chemistry')).toBe('Chemistry');
  });
});
