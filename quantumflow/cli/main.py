"""The ``quantumflow`` command: thin wrappers that build a spec, call the engine, show the result.

Exit codes (:mod:`.output`): 0 success, 1 the run failed (or was cancelled), 2 bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from ..errors import QuantumFlowError
from .output import EXIT_FAILED, EXIT_OK, err, parse_params, print_table, write_json

log = logging.getLogger("quantumflow.cli")

# ----------------------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    from ..engine import validate
    from ..spec.loader import load_spec

    spec = load_spec(args.path)
    validate(spec)
    sys.stdout.write(f"{args.path}: ok ({len(spec.tasks)} tasks)\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from ..engine import run
    from ..spec.loader import load_spec

    spec = load_spec(args.path)
    params = parse_params(args.param)
    options: dict[str, Any] = {"db": args.db, "executor": args.executor, "params": params}
    if args.address:
        options["address"] = args.address
    if args.json or not sys.stderr.isatty():
        result = run(spec, **options)
    else:
        from .progress import run_with_progress

        result = run_with_progress(spec, run, **options)
    if args.json:
        write_json(_run_json(result))
    else:
        _print_run_summary(result)
    return EXIT_OK if result.status == "succeeded" else EXIT_FAILED


def _run_json(result: Any) -> dict[str, Any]:
    out = {"run_id": result.id, "status": result.status, "outputs": result.outputs}
    if result.error is not None:
        out["error"] = result.error
    return out


def _print_run_summary(result: Any) -> None:
    from ..formats import duration, output_summary

    console = print_table(
        f"run {result.id}: {result.status}",
        ("task", "status", "attempts", "duration", "error"),
        (
            (tid, _status(t), str(t.attempts), duration(t.duration), (t.error or "")[:80])
            for tid, t in result.tasks.items()
        ),
    )
    shown = _outputs_to_show(result)
    if shown:
        console.print("outputs:", highlight=False)
        for tid in shown:
            line = f"  {tid}: {output_summary(result.outputs[tid])}"
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        more = len(result.outputs) - len(shown)
        if more:
            console.print(f"  … and {more} more (--json prints every output)", highlight=False)
    if result.status == "store_error":  # what to do next: free space, then resume
        err(f"run {result.id}: {result.error}")


def _outputs_to_show(result: Any, limit: int = 10) -> list[str]:
    """Task ids whose outputs the summary prints: all when few, else the final ones (no
    task reads them), at most ``limit``."""
    ids = list(result.outputs)
    if len(ids) <= limit:
        return ids
    from ..spec import upstream_of

    read = {up for t in result.spec.tasks for up in upstream_of(t)}
    return [tid for tid in ids if tid not in read][:limit]


def _status(task: Any) -> str:
    return "cached" if task.cache_hit and task.status == "succeeded" else str(task.status)


def cmd_runs(args: argparse.Namespace) -> int:
    from ..formats import duration, when
    from ..store import open_store

    runs = open_store(args.db).list_runs(limit=args.limit)
    rows: list[dict[str, Any]] = [
        {
            "run_id": r.id,
            "workflow": r.name,
            "status": r.status,
            "created_at": r.created_at,
            "finished_at": r.finished_at,
        }
        for r in runs
    ]
    if args.json:
        write_json(rows)
        return EXIT_OK
    print_table(
        "runs (newest first)",
        ("run_id", "workflow", "status", "created", "took"),
        (
            (
                str(r["run_id"]),
                str(r["workflow"]),
                str(r["status"]),
                when(r["created_at"]),
                duration(_span(r["created_at"], r["finished_at"])),
            )
            for r in rows
        ),
    )
    return EXIT_OK


def _span(start: float | None, end: float | None) -> float | None:
    return end - start if start is not None and end is not None else None


def cmd_show(args: argparse.Namespace) -> int:
    from ..store import open_store

    store = open_store(args.db)
    record = store.get_run(args.run_id)
    if args.json:
        write_json(_show_json(record))
    else:
        sys.stdout.write(yaml.safe_dump(_show_human(record), sort_keys=False, allow_unicode=True))
    return EXIT_OK


def _show_json(record: Any) -> dict[str, Any]:
    """The exact record: epoch seconds and float durations (``show --json``)."""
    return {
        "run_id": record.id,
        "workflow": record.name,
        "status": record.status,
        "created_at": record.created_at,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "error": record.error,
        "tasks": {
            tid: {
                "status": t.status,
                "attempts": t.attempts,
                "duration_s": t.duration,
                "error": t.error,
                "cache_hit": t.cache_hit,
            }
            for tid, t in record.tasks.items()
        },
    }


def _show_human(record: Any) -> dict[str, Any]:
    """What ``show`` prints: local date-times and human durations; empty fields left out."""
    from ..formats import duration, when

    out: dict[str, Any] = {
        "run_id": record.id,
        "workflow": record.name,
        "status": record.status,
        "created": when(record.created_at),
        "started": when(record.started_at),
        "finished": when(record.finished_at),
        "took": duration(_span(record.started_at, record.finished_at)),
    }
    if record.error:
        out["error"] = record.error
    tasks: dict[str, Any] = {}
    for tid, t in record.tasks.items():
        row: dict[str, Any] = {
            "status": "cached" if t.cache_hit and t.status == "succeeded" else t.status,
            "attempts": t.attempts,
            "duration": duration(t.duration),
        }
        if t.error:
            row["error"] = t.error
        tasks[tid] = row
    out["tasks"] = tasks
    return out


def cmd_resume(args: argparse.Namespace) -> int:
    from ..engine import resume

    result = resume(args.run_id, db=args.db, executor=args.executor)
    if args.json:
        write_json(_run_json(result))
    else:
        _print_run_summary(result)
    return EXIT_OK if result.status == "succeeded" else EXIT_FAILED


def cmd_cancel(args: argparse.Namespace) -> int:
    from ..engine import cancel

    cancel(args.run_id, db=args.db)
    sys.stdout.write(f"cancel requested for run {args.run_id}\n")
    return EXIT_OK


def cmd_rm(args: argparse.Namespace) -> int:
    from ..engine import delete_run, delete_workflow, open_db
    from ..errors import SpecError

    if not args.ids:
        raise SpecError("name the runs to delete (or --workflow ID with workflow ids)")
    store = open_db(args.db)
    for item in args.ids:
        if args.workflow:
            delete_workflow(item, runs=args.with_runs, db=store)
            sys.stdout.write(f"deleted workflow {item}\n")
        else:
            delete_run(item, db=store)
            sys.stdout.write(f"deleted run {item}\n")
    return EXIT_OK


def cmd_schema(_: argparse.Namespace) -> int:
    from ..spec.schema import json_schema

    write_json(json_schema())
    return EXIT_OK


def cmd_backends(args: argparse.Namespace) -> int:
    from ..backends import list_backends

    infos = [_as_dict(b) for b in list_backends()]
    if args.json:
        write_json(infos)
        return EXIT_OK
    print_table(
        "quantum backends",
        ("name", "sdk", "state", "note"),
        (
            (
                str(info.get("name")),
                str(info.get("sdk", "")),
                _STATES.get(str(info.get("state")), str(info.get("state"))),
                str(info.get("note") or ""),
            )
            for info in infos
        ),
    )
    return EXIT_OK


_STATES = {
    "ready": "ready",
    "needs_credentials": "needs credentials",
    "sdk_missing": "SDK not installed",
    "unavailable": "unavailable",
}


def _as_dict(obj: Any) -> dict[str, Any]:
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "model_dump"):
        return dict(obj.model_dump())
    return dict(obj)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..api.serve import serve

    serve(
        host=args.host,
        port=args.port,
        token=args.token,
        store_url=args.db,
        allow_modules=tuple(args.allow_module),
        root=args.root,
    )
    return EXIT_OK


# ----------------------------------------------------------------------------- parser


class _VersionAction(argparse.Action):
    """``--version``: print ``quantumflow X.Y.Z`` and exit (the version is looked up only then)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        from .._version import package_version

        sys.stdout.write(f"{parser.prog} {package_version()}\n")  # stdout, as argparse's own
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    parser = argparse.ArgumentParser(
        prog="quantumflow", description="Design, run and monitor hybrid quantum workflows."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="print the version and exit"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=fn)
        return p

    p = add("validate", cmd_validate, "check a workflow file without running it")
    p.add_argument("path")
    p = add("run", cmd_run, "run a workflow file")
    p.add_argument("path")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--executor", default="threads", help="threads | processes | dask")
    p.add_argument("--address", default=None, help="Dask scheduler address (executor dask)")
    _db_json(p)
    p = add("runs", cmd_runs, "list runs, newest first")
    p.add_argument("--limit", type=int, default=50)
    _db_json(p)
    p = add("show", cmd_show, "show one run and its tasks")
    p.add_argument("run_id")
    _db_json(p)
    p = add("resume", cmd_resume, "continue an interrupted run from its last finished tasks")
    p.add_argument("run_id")
    p.add_argument("--executor", default="threads")
    _db_json(p)
    p = add("cancel", cmd_cancel, "ask a running run to stop")
    p.add_argument("run_id")
    p.add_argument("--db", default=None)
    p = add("rm", cmd_rm, "delete runs (or workflows) with their events and output files")
    p.add_argument("ids", nargs="*", metavar="ID", help="run ids (workflow ids with --workflow)")
    p.add_argument("--workflow", action="store_true", help="the ids are saved workflows")
    p.add_argument(
        "--with-runs", action="store_true", help="with --workflow: delete their runs too"
    )
    p.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    add("schema", cmd_schema, "print the WorkflowSpec JSON Schema")
    p = add("backends", cmd_backends, "list quantum backends and whether they are usable")
    p.add_argument("--json", action="store_true")
    p = add("serve", cmd_serve, "serve the REST API standalone (bearer-token auth)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--token", default=None, help="or QUANTUMFLOW_TOKEN")
    p.add_argument("--db", default=None)
    p.add_argument(
        "--allow-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="let tasks use functions of MODULE and its submodules (repeatable; "
        "quantumflow.library is always allowed; or QUANTUMFLOW_ALLOW_MODULES)",
    )
    p.add_argument(
        "--root", default=None, help="directory qasm_file paths must be under (default: .)"
    )
    _register_extra_commands(add)
    return parser


def _db_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def _register_extra_commands(add: Callable[..., Any]) -> None:
    """The cost estimator's commands (``estimate``, ``calibrate``, ``perf``)."""
    from .cost import register

    register(add)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quantumflow`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code: int = args.func(args)
    except QuantumFlowError as error:
        err(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_FAILED
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
