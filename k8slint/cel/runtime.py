"""Compiling and evaluating CEL expressions with the Kubernetes environment.

The runtime is cel-expr-python (the C++ CEL implementation; docs/cel.md says why). It is
an optional dependency (`pip install k8slint[cel]`): `available()` says whether it is
installed, and nothing here imports it before it is needed.

An environment is built once per (variables, Kubernetes version) and every expression is
compiled once per environment (`compile_expression` caches both), as the API server
compiles a policy once when it is created (k8s.io/apiserver/pkg/admission/plugin/cel
compile.go CompileCELExpression).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..i18n import N_
from ..k8s.versions import LATEST, Version

UNAVAILABLE = N_("CEL is not installed: install k8slint[cel] (the cel-expr-python package) "
               "to evaluate ValidatingAdmissionPolicies and CRD validation rules")

# Status prefixes the C++ runtime puts in front of its messages ("INVALID_ARGUMENT: ...").
_STATUS = re.compile(r"^[A-Z_]+: ")
_TRAILER = re.compile(r" \[[A-Z_]+\]$")


class CelError(Exception):
    """An expression failed; the message is the runtime's, without its status code."""


class CompileError(CelError):
    """The expression does not compile (the API server refuses the object carrying it)."""


class Unsupported(CelError):
    """The expression uses a CEL feature k8slint's runtime lacks (docs/cel.md lists them)."""


class EvalError(CelError):
    """The expression compiled but its evaluation failed."""


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        import cel_expr_python.cel  # noqa: F401
    except ImportError:
        return False
    return True


def clean_message(text: str) -> str:
    text = _TRAILER.sub("", _STATUS.sub("", text.strip()))
    return text


@dataclass(frozen=True)
class Program:
    """One compiled expression, bound to the environment it was compiled in."""

    source: str
    expression: Any          # cel_expr_python.cel.Expression

    def evaluate(self, variables: Mapping[str, Any] | Bound) -> Any:
        """The result as plain Python values; EvalError when evaluation fails."""
        from cel_expr_python import cel

        try:
            if isinstance(variables, Bound):
                value = self.expression.eval(variables.activation)
            else:
                value = self.expression.eval(data=dict(variables))
        except (RuntimeError, TypeError, ValueError) as exc:
            raise EvalError(clean_message(str(exc))) from None
        if value.type() == cel.Type.ERROR:
            raise EvalError(clean_message(str(value.value())))
        try:
            return value.plain_value()
        except TypeError:            # an optional value: only its presence can be read here
            raise EvalError("the expression returned an optional value, which k8slint "
                            "cannot read") from None


@dataclass(frozen=True)
class Bound:
    """Variables converted once for several expressions of one environment."""

    activation: Any          # cel_expr_python.cel.Activation


def bind(data: Mapping[str, Any], variables: tuple[str, ...], version: Version = LATEST) -> Bound:
    return Bound(environment(variables, version).Activation(dict(data)))


@lru_cache(maxsize=64)
def environment(variables: tuple[str, ...], version: Version = LATEST) -> Any:
    """The CEL environment of the API server at `version`, with these variables (dyn)."""
    from cel_expr_python import cel

    from .library import extensions

    return cel.NewEnv(variables={name: cel.Type.DYN for name in variables},
                      extensions=extensions(version))


@lru_cache(maxsize=8192)
def compile_expression(source: str, variables: tuple[str, ...],
                       version: Version = LATEST) -> Program:
    """Compile once and cache; CompileError with the compiler's message, or Unsupported."""
    from .unsupported import unsupported_reason

    env = environment(variables, version)
    try:
        return Program(source, env.compile(source))
    except RuntimeError as exc:
        message = clean_message(str(exc))
        reason = unsupported_reason(source, message)
        if reason:
            raise Unsupported(reason) from None
        raise CompileError(_first_error(message)) from None


def _first_error(message: str) -> str:
    """The compiler's message without the source excerpt it appends."""
    lines = [line for line in message.splitlines() if line.strip()]
    errors = [line.removeprefix("ERROR: ").replace("<input>:", "") for line in lines
              if line.startswith("ERROR:")]
    return "; ".join(errors) if errors else message
