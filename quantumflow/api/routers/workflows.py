"""``/api/workflows``: save, list, read, replace, delete and run workflows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, status

from ...spec import WorkflowSpec
from ...spec.loader import spec_from_dict
from ...spec.schema import WorkflowSpecModel, to_spec
from ..context import ApiContext, get_context
from ..schemas import (
    Deleted,
    ErrorResponse,
    PythonExport,
    RunAccepted,
    RunRequest,
    ValidationResult,
    WorkflowCreated,
    WorkflowDetail,
    WorkflowSummary,
)
from .convert import shown

if TYPE_CHECKING:
    from ...store.records import WorkflowRecord

router = APIRouter(prefix="/workflows", tags=["workflows"])
Ctx = Annotated[ApiContext, Depends(get_context)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}}
INVALID: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse}}


def _summary(record: WorkflowRecord) -> dict[str, Any]:
    spec = record.spec if isinstance(record.spec, dict) else {}
    tasks = spec.get("tasks")
    return {
        "id": record.id,
        "name": record.name,
        "description": spec.get("description"),
        "task_count": len(tasks) if isinstance(tasks, list) else 0,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _validate(spec: WorkflowSpec) -> None:
    from ...engine import validate

    validate(spec)


@router.get("", response_model=list[WorkflowSummary])
def list_workflows(ctx: Ctx) -> list[dict[str, Any]]:
    """Every saved workflow, without specs."""
    return [_summary(r) for r in ctx.store.list_workflows()]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkflowCreated,
    responses=INVALID,
)
def create_workflow(body: WorkflowSpecModel, ctx: Ctx) -> WorkflowCreated:
    """Validate and save a WorkflowSpec; answers its new id.

    A spec that fails validation answers 422 with one problem per task and field.
    """
    spec = to_spec(body)
    _validate(spec)
    workflow_id = ctx.store.save_workflow(spec)
    return WorkflowCreated(id=workflow_id, name=spec.name)


@router.post(
    "/run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RunAccepted,
    responses={**NOT_FOUND, **INVALID},
)
def run_workflow(body: RunRequest, ctx: Ctx) -> RunAccepted:
    """Start a run of a saved workflow or an inline spec; it goes on in the server process."""
    if body.workflow_id is not None:
        record = ctx.store.get_workflow(body.workflow_id)
        spec = spec_from_dict(record.spec)
    else:
        assert body.spec is not None  # the model guarantees one of the two
        spec = to_spec(body.spec)
    run_id = ctx.start_run(
        spec, params=body.params, workflow_id=body.workflow_id, executor=body.executor
    )
    return RunAccepted(run_id=run_id, workflow_id=body.workflow_id, status="pending")


@router.post(
    "/validate",
    response_model=ValidationResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/WorkflowSpec"}}
            },
        }
    },
)
def validate_workflow(spec: Annotated[dict[str, Any], Body()]) -> ValidationResult:
    """Check a spec as a run would, without saving or running it.

    Answers 200 with ``ok`` and every problem (task and field): unknown fields and bad
    values, unknown task or param references, dependency cycles, functions that cannot be
    imported, unknown backends and circuits that do not fit them.
    """
    from ...engine import validate
    from ...errors import QuantumFlowError, SpecError
    from ..errors import problems_json

    try:
        validate(spec_from_dict(spec))
    except SpecError as err:
        return ValidationResult.model_validate(
            {"ok": False, "problems": problems_json(err.problems)}
        )
    except QuantumFlowError as err:
        return ValidationResult.model_validate({"ok": False, "problems": [{"message": str(err)}]})
    return ValidationResult(ok=True, problems=[])


@router.post(
    "/python",
    response_model=PythonExport,
    responses=INVALID,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/WorkflowSpec"}}
            },
        }
    },
)
def export_workflow_python(spec: Annotated[dict[str, Any], Body()]) -> PythonExport:
    """The designer's "Export as Python": Python DSL code that rebuilds this spec exactly,
    positions included (``quantumflow.dsl.export_python``). Nothing is saved or run.

    A spec with fields of the wrong shape answers 422 naming the task and field.
    """
    from ...spec.python_code import export_python, module_name

    parsed = spec_from_dict(spec)
    return PythonExport(code=export_python(parsed), filename=f"{module_name(parsed.name)}.py")


@router.get("/{workflow_id}", response_model=WorkflowDetail, responses=NOT_FOUND)
def get_workflow(workflow_id: str, ctx: Ctx) -> dict[str, Any]:
    """A saved workflow with its spec."""
    record = ctx.store.get_workflow(workflow_id)
    return {**_summary(record), "spec": shown(record.spec)}


@router.put("/{workflow_id}", response_model=WorkflowCreated, responses={**NOT_FOUND, **INVALID})
def replace_workflow(workflow_id: str, body: WorkflowSpecModel, ctx: Ctx) -> WorkflowCreated:
    """Replace a saved workflow's spec (same id; its runs keep the spec they ran)."""
    ctx.store.get_workflow(workflow_id)  # 404 before validation work
    spec = to_spec(body)
    _validate(spec)
    ctx.store.save_workflow(spec, workflow_id=workflow_id)
    return WorkflowCreated(id=workflow_id, name=spec.name)


@router.delete(
    "/{workflow_id}",
    response_model=Deleted,
    responses={**NOT_FOUND, 409: {"model": ErrorResponse}},
)
def delete_workflow(
    workflow_id: str,
    ctx: Ctx,
    runs: Annotated[
        bool, Query(description="Also delete its runs (and their output files).")
    ] = False,
) -> Deleted:
    """Delete a saved workflow. Its runs stay in the history, detached, unless ``runs``
    is true: then they are deleted too (409 while one is still running)."""
    from ...engine import delete_workflow as delete

    delete(workflow_id, runs=runs, db=ctx.store)
    return Deleted(id=workflow_id, deleted=True)
