"""Calls that share the SDK workers, and big simulations that run alone.

Several SDK workers run small circuits side by side, but two big statevector simulations
at once would split the cores between them and could together outgrow the memory each
was checked against on its own. :class:`SharedOrAlone` lets ordinary calls overlap and
makes a wide one wait until the others are done, then keeps the others out until it is:
wide circuits get every core, one after another, as with a single worker.
:func:`runs_alone` says which calls are big (:data:`ALONE_QUBITS` qubits or more).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..spec import QuantumTask

#: A circuit this wide simulates alone: every core, and memory no other call shares. Below
#: it simulators do not split a statevector between threads (Aer's default
#: ``statevector_parallel_threshold`` is 14), so such calls lose nothing sharing the cores.
ALONE_QUBITS = 14


def runs_alone(tasks: Sequence[QuantumTask]) -> bool:
    """Whether any of ``tasks`` has a circuit of :data:`ALONE_QUBITS` qubits or more.

    Reads circuits the engine has already parsed (cached per source); a circuit built by a
    user callable is never called here (the worker builds it) and counts as small.
    """
    return any(_qubits(task) >= ALONE_QUBITS for task in tasks)


def _qubits(task: QuantumTask) -> int:
    from ..circuits.sources import load_circuit

    if task.circuit.callable is not None:
        return 0
    try:
        return load_circuit(task.circuit).num_qubits
    except Exception:  # a bad circuit fails in the worker, with its own message
        return 0


class SharedOrAlone:
    """A lock that ordinary holders share and an ``alone`` holder has to itself."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._alone = False

    @contextmanager
    def hold(self, *, alone: bool) -> Iterator[None]:
        """Hold the lock, shared or alone, for the ``with`` block."""
        with self._cond:
            if alone:
                self._cond.wait_for(lambda: not self._alone and self._shared == 0)
                self._alone = True
            else:
                self._cond.wait_for(lambda: not self._alone)
                self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                if alone:
                    self._alone = False
                else:
                    self._shared -= 1
                self._cond.notify_all()
