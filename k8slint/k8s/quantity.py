"""Kubernetes resource quantities, parsed exactly the way the API server parses them.

Source: k8s.io/apimachinery/pkg/api/resource/quantity.go (parseQuantityString,
ParseQuantity) and suffix.go (newSuffixer, interpret). Grammar:

    <quantity>     ::= <signedNumber><suffix>
    <signedNumber> ::= <number> | "+" <number> | "-" <number>
    <number>       ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <suffix>       ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>     ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>    ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>   (integer exponent)

The scanner is lenient where Go's is: "1." and ".5" parse, and so do "+", "-", "." and a
suffix alone ("Gi"), all zero. Values are exact Fractions; Kubernetes rounds up to the
milli (or nano) unit when it stores them, which never changes a comparison that matters here.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12,
                    "P": 15, "E": 18}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")     # what the Go scanner takes as suffix letters
_DIGITS = frozenset("0123456789")
_SIMPLE = re.compile(r"([0-9]+)(m|k|M|G|T|Ki|Mi|Gi|Ti|)\Z")
_COMMON = {**{k: (10, DECIMAL_SUFFIXES[k]) for k in ("m", "k", "M", "G", "T", "")},
           **{k: (2, BINARY_SUFFIXES[k]) for k in ("Ki", "Mi", "Gi", "Ti")}}


class QuantityError(ValueError):
    """Not a quantity; the message is the API server's reason."""


@lru_cache(maxsize=4096)          # manifests repeat a few values ("100m", "128Mi") many times
def parse_quantity(text: str) -> Fraction:
    """The exact value of a quantity string; QuantityError when the API server refuses it."""
    if not text:
        raise QuantityError("quantities must match the regular expression "
                            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    simple = _SIMPLE.match(text)
    if simple:                     # the common forms, without the general scanner
        base, exponent = _COMMON[simple.group(2)]
        return int(simple.group(1)) * Fraction(base) ** exponent
    sign, number, suffix = _scan(text)
    exponent_base, exponent = _interpret(text, suffix)
    whole, _, frac = number.partition(".")
    value = Fraction(int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac))
    value *= Fraction(exponent_base) ** exponent
    return -value if sign == "-" else value


def _scan(text: str) -> tuple[str, str, str]:
    """(sign, number, suffix) as parseQuantityString splits them."""
    pos, end = 0, len(text)
    sign = ""
    if text[0] in "+-":
        sign, pos = text[0], 1
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end and text[pos] == ".":
        pos += 1
        while pos < end and text[pos] in _DIGITS:
            pos += 1
    number = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise QuantityError("quantities must match the regular expression "
                            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    return sign, number, text[suffix_start:]


def _interpret(text: str, suffix: str) -> tuple[int, int]:
    if suffix in DECIMAL_SUFFIXES:
        return 10, DECIMAL_SUFFIXES[suffix]
    if suffix in BINARY_SUFFIXES:
        return 2, BINARY_SUFFIXES[suffix]
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if body.isdigit() and body.isascii():
            exponent = int(digits)
            if -(2 ** 31) <= exponent < 2 ** 31:      # Go reads it into an int32
                return 10, exponent
    raise QuantityError(f"unable to parse quantity's suffix {suffix!r} in {text!r}")


def quantity_value(value: Any) -> Fraction:
    """A manifest value as a quantity: a string, or a YAML number (kubectl sends it as a
    JSON number, which the API server reads as quantity text). Booleans, null and other
    types are refused, as the API server refuses them."""
    if isinstance(value, bool) or value is None:
        raise QuantityError(f"{_show(value)} is not a quantity")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QuantityError(f"{value} is not a quantity")
        return parse_quantity(repr(value))
    if isinstance(value, str):
        return parse_quantity(value)
    raise QuantityError(f"a {type(value).__name__} is not a quantity")


def _show(value: Any) -> str:
    return "null" if value is None else str(value).lower()


def format_quantity(value: Fraction, unit: str = "") -> str:
    """A readable form for messages: cpu in cores or millicores, memory with a binary suffix."""
    if unit == "cpu":
        milli = value * 1000
        if milli.denominator == 1 and milli % 1000:
            return f"{milli.numerator}m"
        return _plain(value)
    if unit == "bytes" and value.denominator == 1 and value > 0:
        for suffix, power in sorted(BINARY_SUFFIXES.items(), key=lambda s: -s[1]):
            if value % (1 << power) == 0:
                return f"{value // (1 << power)}{suffix}"
    return _plain(value)


def _plain(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"
