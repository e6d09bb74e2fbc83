"""Pure workflow analysis (layer 2): validation, inputs, resources and routes.

Nothing here runs a task or writes anything: :func:`validate` checks a spec and returns its
graph in index form (:class:`ValidatedWorkflow`); :mod:`.inputs` compiles each task's
inputs; :mod:`.resources` and :mod:`.routes` say which slots and workers tasks need. The
engine (layer 4) and the cost estimator (layer 3) both build on it.
"""

from __future__ import annotations

from .inputs import TaskInputError
from .validate import ValidatedWorkflow, validate

__all__ = ["TaskInputError", "ValidatedWorkflow", "validate"]
