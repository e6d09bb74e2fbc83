"""The native module (layer 0, Rust: ``rust/qflow-py``), read through two small facades:

- :mod:`.scheduler` — the scheduler: ``Dag`` (graph algorithms, HEFT plan), ``Dispatcher``
  (the ready queue, retries, timeouts, cancellation, driven by tokio), outcome codes, and
  ``precise_timers`` (an engine thread's timer slack);
- :mod:`.json` — ``plain_json``, the store's JSON writer for plain data (decides nothing).

The compiled extension is ``_core`` (its stub, ``_core.pyi``, is checked by stubtest).
"""
