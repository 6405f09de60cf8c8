"""The Kubernetes quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...k8s.quantity import QuantityError, parse_quantity
from ..values import QUANTITY, unwrap, wrap
from .decl import Decl, member, overload

_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def _q(value: Fraction) -> dict[str, Any]:
    # The canonical form "num/den" makes CEL map equality the quantity's Cmp == 0 (Equal).
    return wrap(QUANTITY, f"{value.numerator}/{value.denominator}")


def _value(arg: Any) -> Fraction:
    return Fraction(unwrap(arg, QUANTITY))


def quantity(text: str) -> dict[str, Any]:
    try:
        return _q(parse_quantity(text))
    except QuantityError as exc:
        raise ValueError(str(exc)) from None


def is_quantity(text: str) -> bool:
    try:
        parse_quantity(text)
    except QuantityError:
        return False
    return True


def _as_integer(arg: Any) -> int:
    value = _value(arg)
    if value.denominator != 1 or not _INT64[0] <= value.numerator <= _INT64[1]:
        raise ValueError("cannot convert value to integer")
    return value.numerator


def _is_integer(arg: Any) -> bool:
    value = _value(arg)
    return value.denominator == 1 and _INT64[0] <= value.numerator <= _INT64[1]


def _cmp(left: Any, right: Any) -> int:
    a, b = _value(left), _value(right)
    return (a > b) - (a < b)


def _sign(arg: Any) -> int:
    value = _value(arg)
    return (value > 0) - (value < 0)


def declarations() -> list[Decl]:
    q, s, i, b, d = "quantity", "string", "int", "bool", "double"
    return [
        overload("quantity", "string_to_quantity", [s], q, quantity),
        overload("isQuantity", "is_quantity_string", [s], b, is_quantity),
        overload("sign", "quantity_sign", [q], i, _sign),
        member("isGreaterThan", "quantity_is_greater_than", [q, q], b, lambda a, o: _cmp(a, o) == 1),
        member("isLessThan", "quantity_is_less_than", [q, q], b, lambda a, o: _cmp(a, o) == -1),
        member("compareTo", "quantity_compare_to", [q, q], i, _cmp),
        member("asApproximateFloat", "quantity_get_float", [q], d, lambda a: float(_value(a))),
        member("asInteger", "quantity_get_int", [q], i, _as_integer),
        member("isInteger", "quantity_is_integer", [q], b, _is_integer),
        member("add", "quantity_add", [q, "dyn"], q, _add),
        member("sub", "quantity_sub", [q, "dyn"], q, lambda a, o: _add(a, o, -1)),
    ]


def _add(arg: Any, other: Any, sign: int = 1) -> dict[str, Any]:
    # One overload for quantity and int operands (quantity_add / quantity_add_int): the
    # runtime dispatches on the receiver's kind only, which is a map for both.
    value = Fraction(other) if isinstance(other, int) and not isinstance(other, bool) else _value(other)
    return _q(_value(arg) + sign * value)
