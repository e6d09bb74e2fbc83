"""The built-in library of classical steps: plain, importable functions.

A task may name one by its short name (``fn: parity`` is ``fn:
quantumflow.library.postprocess:parity``); the short names are listed once, in
:data:`quantumflow.executors.functions.LIBRARY`, where a task's ``fn`` is resolved. The
library sits above the executors (layer 3): ``minimize`` resolves its objective through the
same resolver as any task, so the same trust rules apply.
"""
