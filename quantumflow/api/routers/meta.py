"""``/api/estimate``, ``/api/backends``, ``/api/schema``: what the designer needs to draw."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ...spec.loader import spec_from_dict
from ...spec.schema import json_schema, to_spec
from ..context import ApiContext, get_context
from ..schemas import BackendSummary, ErrorResponse, EstimateRequest

router = APIRouter(tags=["meta"])
Ctx = Annotated[ApiContext, Depends(get_context)]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


@router.post(
    "/estimate",
    responses={
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)
def estimate(body: EstimateRequest, ctx: Ctx) -> dict[str, Any]:
    """Predicted time and cost of a workflow (``quantumflow.cost.estimate_workflow``)."""
    from ...cost.workflow import estimate_workflow

    if body.workflow_id is not None:
        spec = spec_from_dict(ctx.store.get_workflow(body.workflow_id).spec)
    else:
        assert body.spec is not None  # the model guarantees one of the two
        spec = to_spec(body.spec)
    result = _plain(estimate_workflow(spec, db=ctx.store))  # its calibrations, history
    return result if isinstance(result, dict) else {"estimate": result}


@router.get("/backends", response_model=list[BackendSummary])
def backends() -> list[dict[str, Any]]:
    """Every registered backend with its capabilities."""
    from ...backends import list_backends

    out = []
    for info in list_backends():
        plain = _plain(info)
        out.append(plain if isinstance(plain, dict) else {"name": str(info)})
    return out


@router.get("/schema")
def schema() -> dict[str, Any]:
    """The WorkflowSpec JSON Schema (draft 2020-12), as ``quantumflow schema`` prints it."""
    return json_schema()
