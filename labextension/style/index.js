import '@xyflow/react/dist/style.css';
import './status.css';
import './base.css';
