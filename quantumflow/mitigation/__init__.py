"""Error mitigation as workflow stages, built on mitiq.

A quantum task with ``mitigation`` is expanded by the engine (:func:`expand_workflow`,
called from validation) into ordinary sub-circuit tasks and one combining step
(:func:`combine`). mitiq is imported only when a mitigated task is expanded or combined
(``pip install 'quantumflow[mitigation]'``).
"""

from __future__ import annotations

from .combine import combine
from .expand import COMBINE_FN, expand_task, expand_workflow, needs_expansion

__all__ = ["COMBINE_FN", "combine", "expand_task", "expand_workflow", "needs_expansion"]
