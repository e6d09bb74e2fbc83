"""``/api/functions``: the built-in library by purpose, and any function's signature.

The designer's port picker and validation read parameters from here. A function is found
through the engine's one function lookup and only inspected, never called.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from ...errors import SpecError
from ...executors.signatures import Signature, signature_of
from ..schemas import ErrorResponse, FunctionParam, FunctionSignature, LibraryFunction

router = APIRouter(prefix="/functions", tags=["functions"])


def _model(fn: str, sig: Signature) -> FunctionSignature:
    return FunctionSignature(
        fn=fn,
        params=[
            FunctionParam(
                name=p.name,
                kind=p.kind,
                required=p.required,
                default=p.default,
                annotation=p.annotation,
            )
            for p in sig.params
        ],
        var_keyword=sig.var_keyword,
        returns=sig.returns,
        doc=sig.doc,
    )


@router.get("", response_model=list[LibraryFunction])
def library() -> list[LibraryFunction]:
    """Every built-in library step (usable by name as a task's ``fn``), by purpose; a step
    no purpose lists yet comes last, as ``other``."""
    from ...executors.functions import LIBRARY
    from ...library import PURPOSES

    grouped = [(purpose, name) for purpose, names in PURPOSES.items() for name in names]
    listed = {name for _, name in grouped}
    grouped += [("other", name) for name in LIBRARY if name not in listed]
    out: list[LibraryFunction] = []
    for purpose, name in grouped:
        try:
            sig = signature_of(name)
        except SpecError:  # a step whose module cannot be imported here: listed, unread
            sig = None
        out.append(
            LibraryFunction(
                name=name,
                target=LIBRARY[name],
                purpose=purpose,
                signature=_model(name, sig) if sig is not None else None,
            )
        )
    return out


@router.get(
    "/signature",
    response_model=FunctionSignature,
    responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)
def signature(
    fn: Annotated[
        str, Query(min_length=1, max_length=300, description="'parity' or 'pkg.module:function'")
    ],
) -> FunctionSignature:
    """The parameters of the function a classical task's ``fn`` names.

    Answers 404 when the function cannot be found (the message says why) and 422 when
    Python cannot read its signature (some builtins).
    """
    try:
        sig = signature_of(fn)
    except SpecError as err:
        raise HTTPException(404, str(err)) from None
    if sig is None:
        raise HTTPException(422, f"the signature of '{fn}' cannot be read")
    return _model(fn, sig)
