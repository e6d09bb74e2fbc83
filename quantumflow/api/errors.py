"""Exception handlers: every error leaves the API as JSON ``{"detail": ...}`` with its status.

``QuantumFlowError`` subclasses map to 4xx codes; request validation errors become a list of
problems naming the task and field; anything unexpected is logged and answered with a 500
that carries no internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..errors import (
    BudgetExceededError,
    ModuleNotAllowedError,
    Problem,
    QuantumFlowError,
    RunInProgressError,
    RunNotFoundError,
    SpecError,
    WorkflowNotFoundError,
)
from ..spec.models import TASK_KINDS

log = logging.getLogger(__name__)


class ConflictError(QuantumFlowError):
    """The request conflicts with the current state (e.g. cancelling a finished run)."""


class TaskNotFoundError(QuantumFlowError):
    """The run has no task with that id."""


class OutputNotFoundError(QuantumFlowError):
    """The task has no stored output (it has not finished, failed, or was skipped)."""


class OutputTooDeepError(QuantumFlowError):
    """The task's output nests too deeply to answer as JSON (read it in Python)."""


class OutputTooLargeError(QuantumFlowError):
    """The task's output is larger than the caller's ``max_bytes``.

    Attributes:
        size_bytes: the output's size (or a lower bound) as JSON text.
        max_bytes: the limit it went past.
    """

    def __init__(self, message: str, *, size_bytes: int, max_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.max_bytes = max_bytes
        super().__init__(message)


#: The status of each error class, most specific first (anything else is a 400).
_STATUSES: tuple[tuple[type[QuantumFlowError] | tuple[type[QuantumFlowError], ...], int], ...] = (
    ((RunNotFoundError, WorkflowNotFoundError, TaskNotFoundError, OutputNotFoundError), 404),
    (OutputTooLargeError, 413),
    (OutputTooDeepError, 422),
    (ModuleNotAllowedError, 403),
    (SpecError, 422),
    ((ConflictError, BudgetExceededError, RunInProgressError), 409),
)


def status_for(err: QuantumFlowError) -> int:
    """The HTTP status that answers a QuantumFlowError."""
    for classes, status in _STATUSES:
        if isinstance(err, classes):
            return status
    return 400  # BackendError and the rest: the request asks for something that cannot be


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    """Problems as ``ProblemDetail`` dicts."""
    return [{"message": p.message, "task": p.task, "field": p.field} for p in problems]


def _validation_problems(err: RequestValidationError, body: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for e in err.errors():
        loc = list(e.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:]
        task = None
        spec = body
        if loc and loc[0] == "spec" and isinstance(body, dict):
            spec, loc = body.get("spec"), loc[1:]
        if len(loc) >= 2 and loc[0] == "tasks" and isinstance(loc[1], int):
            tasks = spec.get("tasks") if isinstance(spec, dict) else None
            raw = tasks[loc[1]] if isinstance(tasks, list) and loc[1] < len(tasks) else None
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            task = str(raw_id) if raw_id is not None else f"#{loc[1]}"
            loc = [p for p in loc[2:] if p not in TASK_KINDS]  # pydantic's union tags
        msg = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
        if e.get("type") == "extra_forbidden":
            msg = "unknown field"
        field = ".".join(str(p) for p in loc) or None
        out.append({"message": msg, "task": task, "field": field})
    return out


def install_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    @app.exception_handler(QuantumFlowError)
    async def _qf_error(_: Request, err: QuantumFlowError) -> JSONResponse:
        status = status_for(err)
        detail: Any = problems_json(err.problems) if isinstance(err, SpecError) else str(err)
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        malformed = next((e for e in err.errors() if e.get("type") == "json_invalid"), None)
        if malformed is not None:  # not JSON at all: 400, as docs/api.md says
            where = malformed.get("loc", ("body", "?"))[-1]
            reason = (malformed.get("ctx") or {}).get("error", "invalid JSON")
            detail = f"the request body is not valid JSON ({reason} at character {where})"
            return JSONResponse({"detail": detail}, status_code=400)
        return JSONResponse({"detail": _validation_problems(err, err.body)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": f"internal error ({type(err).__name__}); see the server log"},
            status_code=500,
        )
