import './status.css';
import './base.css';
