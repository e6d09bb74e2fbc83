import { useEffect, useState } from 'react';

function themeName(): string {
  return document.body.dataset.jpThemeName ?? '';
}

/**
 * The current JupyterLab theme's name; the calling component renders again when the user
 * switches theme. Charts and the canvas read theme colours while they render, so without
 * this a chart drawn in Light keeps Light's colours in Dark.
 */
export function useThemeChange(): string {
  const [theme, setTheme] = useState(themeName);
  useEffect(() => {
    const obs = new MutationObserver(() => setTheme(themeName()));
    obs.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    return () => obs.disconnect();
  }, []);
  return theme;
}
