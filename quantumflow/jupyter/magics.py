"""IPython magics: ``%%qflow`` runs a YAML/JSON workflow cell; ``%qflow`` lists, shows,
loads and estimates runs. Loaded with ``%load_ext quantumflow``.

Entry points stay thin: build a spec, call the engine, show a RunWidget. Every mistake a
user can make is reported as a short ``UsageError`` (IPython prints it without a
traceback), naming the cell line, task and field.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import yaml
from IPython.core import magic_arguments as _args
from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.display import display as _display

from ..errors import QuantumFlowError, SpecError
from ..spec import WorkflowSpec
from .cell_errors import CellError, apply_overrides, describe, parse_cell
from .line_commands import estimate, load_file, open_target, runs_table
from .widgets import RunWidget, follow_run

# IPython's decorators and display are untyped; type them once here.
_Deco = Callable[[Callable[..., Any]], Callable[..., Any]]
argument: Callable[..., _Deco] = _args.argument
magic_arguments: Callable[[], _Deco] = _args.magic_arguments
parse_argstring: Callable[..., Any] = _args.parse_argstring
display: Callable[..., Any] = _display
cell_magic_: _Deco = cell_magic
line_magic_: Callable[..., _Deco] = line_magic

#: Variable the finished Run is bound to when ``--out`` is not given.
DEFAULT_OUT = "_qflow"


def _params(pairs: list[str] | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes NAME=VALUE, got '{pair}'")
        try:
            params[key.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            params[key.strip()] = raw
    return params


@magics_class
class QFlowMagics(Magics):
    """``%%qflow`` and ``%qflow``."""

    last_spec: WorkflowSpec | None = None

    @magic_arguments()
    @argument("action", nargs="?", default="run", choices=["run", "estimate"])
    @argument("--name", help="name of the workflow (overrides the cell's name)")
    @argument("--param", action="append", metavar="K=V", help="workflow parameter (repeatable)")
    @argument("--out", default=DEFAULT_OUT, help="variable the finished Run is bound to")
    @argument("--backend", help="run every quantum task on this backend")
    @argument("--db", help="store URL or path (default: QUANTUMFLOW_DB or the user's store)")
    @argument("--executor", default="threads", help="threads, processes or dask")
    @cell_magic_
    def qflow(self, line: str, cell: str) -> None:
        """Validate and run the workflow written in this cell (YAML or JSON)."""
        args = parse_argstring(self.qflow, line)
        if not args.out.isidentifier():
            raise UsageError(f"--out must be a Python variable name, got '{args.out}'")
        try:
            spec = apply_overrides(parse_cell(cell), name=args.name, backend=args.backend)
        except CellError as err:
            raise UsageError(str(err)) from None
        QFlowMagics.last_spec = spec
        if args.action == "estimate":
            try:
                self._show(estimate(spec, db=args.db, params=_params(args.param)))
            except SpecError as err:
                raise UsageError(describe(err, cell)) from None
            except QuantumFlowError as err:
                raise UsageError(str(err)) from None
            return
        run = self._run(spec, cell, args)
        self._ns[args.out] = run

    def _run(self, spec: WorkflowSpec, cell: str, args: Any) -> Any:
        from .. import engine

        params = _params(args.param)
        widget = RunWidget(spec)
        try:
            handle = engine.start(
                spec, db=args.db, params=params, executor=args.executor, on_event=widget.on_event
            )
        except SpecError as err:
            raise UsageError(describe(err, cell)) from None
        except QuantumFlowError as err:
            raise UsageError(str(err)) from None
        widget.run_id = widget.state.run_id = handle.run_id
        store = engine.open_db(args.db)
        widget.state._load_output = store.get_output
        widget.details_from(store)
        display(widget)
        try:
            run = handle.wait()
        except KeyboardInterrupt:
            handle.cancel()
            run = handle.wait()
        except QuantumFlowError as err:
            widget.set_run_status("failed", error=str(err))
            raise UsageError(str(err)) from None
        widget.finish(run)
        return run

    @line_magic_("qflow")
    def qflow_line(self, line: str) -> Any:
        """``%qflow runs [N] | show RUN_ID | load FILE | open VAR|FILE|NAME |
        estimate [VAR|FILE]`` (``--db`` for runs, show, open and estimate)."""
        words = shlex.split(line)
        if not words:
            raise UsageError(
                "usage: %qflow runs [N] | show RUN_ID | load FILE.qflow | open VAR|FILE|NAME"
                " | estimate [VAR|FILE] (--db STORE for runs, show, open and estimate)"
            )
        command, rest = words[0], words[1:]
        try:
            if command == "runs":
                limit = int(rest[0]) if rest and rest[0].isdigit() else 20
                return runs_table(self._store(rest), limit=limit)
            if command == "show":
                if not rest:
                    raise UsageError("usage: %qflow show RUN_ID")
                return follow_run(self._store(rest[1:]), rest[0])
            if command == "load":
                if not rest:
                    raise UsageError("usage: %qflow load FILE.qflow")
                spec = load_file(rest[0])
                QFlowMagics.last_spec = spec
                self._shell.set_next_input(_as_cell(spec), replace=True)
                return None
            if command == "open":
                db, names = _db_option(rest)
                if len(names) != 1:
                    raise UsageError("usage: %qflow open VAR|FILE|NAME (a saved workflow's name)")
                open_target(names[0], self._ns, db=db)
                return None
            if command == "estimate":
                db, names = _db_option(rest)
                return estimate(self._spec_for(names[0] if names else None), db=db)
        except QuantumFlowError as err:
            raise UsageError(str(err)) from None
        raise UsageError(f"unknown %qflow command '{command}' (runs, show, load, open, estimate)")

    @property
    def _shell(self) -> Any:
        if self.shell is None:  # pragma: no cover - magics are always registered on a shell
            raise UsageError("QuantumFlow magics need an IPython shell")
        return self.shell

    @property
    def _ns(self) -> dict[str, Any]:
        ns: dict[str, Any] = self._shell.user_ns
        return ns

    def _store(self, rest: list[str]) -> Any:
        from ..engine import open_db

        return open_db(_db_option(rest)[0])

    def _spec_for(self, name: str | None) -> WorkflowSpec:
        if name is None:
            if QFlowMagics.last_spec is None:
                raise UsageError("nothing to estimate: run a %%qflow cell first or name a file")
            return QFlowMagics.last_spec
        value = self._ns.get(name)
        if value is None:
            return load_file(name)
        spec = getattr(value, "spec", value)
        if isinstance(spec, WorkflowSpec):
            return spec
        if isinstance(spec, dict):
            return WorkflowSpec.parse(spec)
        raise UsageError(f"'{name}' is not a workflow, a Run or a workflow file")

    def _show(self, value: Any) -> None:
        display(value)


def _db_option(words: list[str]) -> tuple[str | None, list[str]]:
    """``--db URL`` (or ``--db=URL``) out of a line command's words, and the other words."""
    db: str | None = None
    rest: list[str] = []
    it = iter(words)
    for word in it:
        if word == "--db":
            db = next(it, None)
            if db is None:
                raise UsageError("--db needs a store URL or path")
        elif word.startswith("--db="):
            db = word.partition("=")[2]
        else:
            rest.append(word)
    return db, rest


def _as_cell(spec: WorkflowSpec) -> str:
    body = yaml.safe_dump(spec.to_dict(), sort_keys=False)
    return f"%%qflow run\n{body}"


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quantumflow``: register ``%%qflow`` and ``%qflow``."""
    ipython.register_magics(QFlowMagics)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext quantumflow``: remove the magics again."""
    magics = ipython.magics_manager.magics
    for kind in ("cell", "line"):
        magics[kind].pop("qflow", None)
