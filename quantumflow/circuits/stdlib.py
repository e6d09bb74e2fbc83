"""The gate library: names the parser accepts and how they map onto the IR vocabulary.

Gates of ``qelib1.inc`` and ``stdgates.inc`` that are not in :data:`ir.GATES` are either
renamings (:data:`ALIASES`) or written out here in OpenQASM (:data:`PRELUDE`) and inlined
like user gates. Each prelude definition is checked against Qiskit's matrix in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .ir import Angle, Expr

_HALF_PI = math.pi / 2


def _neg(a: Angle) -> Angle:
    return -a if isinstance(a, float) else Expr("neg", (a,))


def _u2(p: list[Angle]) -> list[Angle]:
    return [_HALF_PI, p[0], p[1]]


def _cu3(p: list[Angle]) -> list[Angle]:
    return [*p, 0.0]


def _same(p: list[Angle]) -> list[Angle]:
    return p


def _drop(p: list[Angle]) -> list[Angle]:
    return []


#: source name -> (IR name, number of source params, param transform)
ALIASES: dict[str, tuple[str, int, Callable[[list[Angle]], list[Angle]]]] = {
    "U": ("u", 3, _same), "u3": ("u", 3, _same), "u2": ("u", 2, _u2),
    "u1": ("p", 1, _same), "phase": ("p", 1, _same), "u0": ("id", 1, _drop),
    "CX": ("cx", 0, _same), "cnot": ("cx", 0, _same), "i": ("id", 0, _same),
    "cphase": ("cp", 1, _same), "cu1": ("cp", 1, _same), "cu3": ("cu", 3, _cu3),
    "toffoli": ("ccx", 0, _same), "fredkin": ("cswap", 0, _same),
}  # fmt: skip

PRELUDE = """
gate csx a,b { h b; cp(pi/2) a,b; h b; }
gate cs a,b { cp(pi/2) a,b; }
gate csdg a,b { cp(-pi/2) a,b; }
gate rzx(t) a,b { h b; cx a,b; rz(t) b; cx a,b; h b; }
gate ecr a,b { rzx(pi/4) a,b; x a; rzx(-pi/4) a,b; }
gate iswap a,b { s a; s b; h a; cx a,b; cx b,a; h b; }
gate dcx a,b { cx a,b; cx b,a; }
gate xx_plus_yy(t,b) q0,q1 { rz(b) q0; rz(-pi/2) q1; sx q1; rz(pi/2) q1; s q0; cx q1,q0;
  ry(-t/2) q1; ry(-t/2) q0; cx q1,q0; sdg q0; rz(-pi/2) q1; sxdg q1; rz(pi/2) q1; rz(-b) q0; }
gate xx_minus_yy(t,b) q0,q1 { rz(-b) q1; rz(-pi/2) q0; sx q0; rz(pi/2) q0; s q1; cx q0,q1;
  ry(t/2) q0; ry(-t/2) q1; cx q0,q1; sdg q1; rz(-pi/2) q0; sxdg q0; rz(pi/2) q0; rz(b) q1; }
gate rccx a,b,c { u(pi/2,0,pi) c; p(pi/4) c; cx b,c; p(-pi/4) c; cx a,c; p(pi/4) c; cx b,c;
  p(-pi/4) c; u(pi/2,0,pi) c; }
gate rc3x a,b,c,d { u(pi/2,0,pi) d; p(pi/4) d; cx c,d; p(-pi/4) d; u(pi/2,0,pi) d; cx a,d;
  p(pi/4) d; cx b,d; p(-pi/4) d; cx a,d; p(pi/4) d; cx b,d; p(-pi/4) d; u(pi/2,0,pi) d;
  p(pi/4) d; cx c,d; p(-pi/4) d; u(pi/2,0,pi) d; }
"""
