"""Pydantic models derived from the spec dataclasses: the JSON Schema and the API's bodies.

Only ``quantumflow schema``, ``GET /api/schema``, :func:`json_schema` and the FastAPI app
import this module (and so pydantic). Each model is made by ``pydantic.create_model`` from
the dataclass's fields: same names, types, defaults, and ``Field(**metadata)``, so the
published schema is written nowhere but in :mod:`.models`. The models also run the classes'
rules (spec version, one circuit source) so a request body fails with every problem at once.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from .base import SpecModel
from .models import WorkflowSpec

_FIELD_KEYS = ("description", "ge", "gt", "le", "min_length", "max_length", "pattern")


_MODELS: dict[str, type[BaseModel]] = {}


def model_for(cls: type[SpecModel]) -> type[BaseModel]:
    """The pydantic model (same name, fields and JSON Schema) of a spec dataclass."""
    model = _MODELS.get(cls.__qualname__)
    if model is None:
        model = _MODELS[cls.__qualname__] = _make_model(cls)
    return model


def _make_model(cls: type[SpecModel]) -> type[BaseModel]:
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        meta = dict(f.metadata)
        tp = _pydantic_type(hints[f.name], meta)
        kwargs = {k: meta[k] for k in _FIELD_KEYS if k in meta}
        if f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        fields[f.name] = (tp, Field(**kwargs))
        if "rule" in meta:
            validators[f"_rule_{f.name}"] = field_validator(f.name)(_field_rule(meta["rule"]))
    if cls._rule is not None:
        validators["_rule"] = model_validator(mode="after")(_model_rule(cls._rule))
    model: type[BaseModel] = create_model(
        cls.__name__,
        __config__=ConfigDict(extra="forbid", populate_by_name=True),
        __doc__=inspect.cleandoc(cls.__doc__ or ""),
        __validators__=validators,
        **fields,
    )
    return model


def _pydantic_type(tp: Any, meta: dict[str, Any]) -> Any:
    """The annotation pydantic gets: spec classes become their models, constraints kept."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, SpecModel):
        return model_for(tp)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_pydantic_type(a, {}) for a in args)]  # noqa: UP007
    if origin is dict:
        value = _pydantic_type(args[1], {})
        if "item_ge" in meta:
            value = Annotated[value, Field(ge=meta["item_ge"])]
        return dict[args[0], value]  # type: ignore[valid-type]
    if origin is list:
        item = _pydantic_type(args[0], {})
        if "discriminator" in meta:
            item = Annotated[item, Field(discriminator=meta["discriminator"])]
        return list[item]  # type: ignore[valid-type]
    return tp


def _field_rule(rule: Any) -> Any:
    def check(_: Any, value: Any) -> Any:
        message = rule(value)
        if message:
            raise ValueError(message)
        return value

    return classmethod(check)


def _model_rule(rule: Any) -> Any:
    def check(self: Any) -> Any:
        message = rule(self)
        if message:
            raise ValueError(message)
        return self

    return check


def to_spec(model: BaseModel) -> WorkflowSpec:
    """The plain spec of a request body checked by :func:`model_for` (checked once more)."""
    return WorkflowSpec.parse(model.model_dump())


def schema_of(cls: type[SpecModel]) -> dict[str, Any]:
    """The JSON Schema of one spec class (built by pydantic)."""
    schema: dict[str, Any] = model_for(cls).model_json_schema()
    return schema


def json_schema() -> dict[str, Any]:
    """The WorkflowSpec JSON Schema (what ``quantumflow schema`` prints)."""
    schema = schema_of(WorkflowSpec)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://quantumflow.dev/schema/workflow-1.json"
    return schema


if TYPE_CHECKING:

    class WorkflowSpecModel(BaseModel):
        """The request-body model of a whole workflow (``WorkflowSpec`` in the OpenAPI schema)."""

else:
    WorkflowSpecModel = model_for(WorkflowSpec)
