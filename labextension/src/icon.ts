/**
 * The QuantumFlow icon: a qubit (a filled circle with an orbit) feeding two steps of a
 * flow. Shapes carry JupyterLab's icon classes so the theme recolours them; stroked
 * shapes have no `fill` attribute, because `.jp-icon3[fill]` would fill them in.
 */
import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.8" stroke-linecap="round">
    <path class="jp-icon3" stroke="#616161" d="M9.4 10.2 14.6 6.6M9.4 13.8l5.2 3.6"/>
  </g>
  <circle class="jp-icon-brand0" fill="#1976D2" cx="6.5" cy="12" r="4.5"/>
  <g fill="none" stroke-width="1.1">
    <ellipse class="jp-icon-accent0" stroke="#fff" cx="6.5" cy="12" rx="3.2" ry="1.3" transform="rotate(-30 6.5 12)"/>
  </g>
  <rect class="jp-icon3" fill="#616161" x="15" y="2.5" width="6.5" height="6.5" rx="1.6"/>
  <rect class="jp-icon3" fill="#616161" x="15" y="15" width="6.5" height="6.5" rx="1.6"/>
</svg>`;

export const quantumFlowIcon = new LabIcon({ name: 'quantumflow:icon', svgstr: svg });
