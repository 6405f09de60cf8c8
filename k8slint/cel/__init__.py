"""CEL with the Kubernetes libraries, evaluated offline (docs/cel.md).

`compile_expression` compiles once per (expression, variables, Kubernetes version) and
caches; `Program.evaluate` runs it over plain Python data. The runtime is optional:
`available()` is False without the `cel` extra, and callers say so once.
"""

from __future__ import annotations

from .runtime import (
    UNAVAILABLE,
    Bound,
    CelError,
    CompileError,
    EvalError,
    Program,
    Unsupported,
    available,
    bind,
    compile_expression,
)

__all__ = ["UNAVAILABLE", "Bound", "CelError", "CompileError", "EvalError", "Program", "Unsupported",
           "available", "bind", "compile_expression"]
