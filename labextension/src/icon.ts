/** The QuantumFlow icon (a qubit on a flow line), themed with JupyterLab's icon classes. */
import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <circle cx="12" cy="12" r="3.2"/>
    <path d="M2 12h5.5v1.6H2zM16.5 12H22v1.6h-5.5z"/>
    <path fill="none" stroke="#616161" stroke-width="1.6" class="jp-icon3" d="M12 3.5a8.5 8.5 0 1 1 0 17a8.5 8.5 0 1 1 0-17z"/>
  </g>
</svg>`;

export const quantumFlowIcon = new LabIcon({ name: 'quantumflow:icon', svgstr: svg });
