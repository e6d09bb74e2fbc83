import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useThemeChange } from './useThemeChange';

describe('useThemeChange', () => {
  it('renders the caller again when JupyterLab switches theme', async () => {
    document.body.dataset.jpThemeName = 'JupyterLab Light';
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useThemeChange();
    });
    expect(result.current).toBe('JupyterLab Light');
    const before = renders;
    document.body.dataset.jpThemeName = 'JupyterLab Dark';
    await waitFor(() => expect(result.current).toBe('JupyterLab Dark'));
    expect(renders).toBeGreaterThan(before);
  });
});
