"""The Kubernetes quantity grammar (apimachinery resource/quantity.go), exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from k8slint.k8s.quantity import QuantityError, format_quantity, parse_quantity, quantity_value


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("1", 1), ("100m", Fraction(1, 10)), ("0.1", Fraction(1, 10)), ("1.5", Fraction(3, 2)),
    ("1Ki", 1024), ("1Mi", 2 ** 20), ("1Gi", 2 ** 30), ("1Ti", 2 ** 40), ("1Pi", 2 ** 50), ("1Ei", 2 ** 60),
    ("1k", 1000), ("1M", 10 ** 6), ("1G", 10 ** 9), ("1T", 10 ** 12), ("1P", 10 ** 15), ("1E", 10 ** 18),
    ("1n", Fraction(1, 10 ** 9)), ("1u", Fraction(1, 10 ** 6)), ("1e3", 1000), ("1E3", 1000),
    ("1e-3", Fraction(1, 1000)), ("1e+3", 1000), ("+1", 1), ("-1", -1), ("1.", 1), (".5", Fraction(1, 2)),
    ("0.5Gi", 2 ** 29), ("007", 7), ("1024Mi", 2 ** 30), ("12e6", 12 * 10 ** 6),
    # Go's scanner also takes these (all zero).
    (".", 0), ("+", 0), ("-", 0), ("Gi", 0),
])
def test_valid(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", [
    "", "1 ", " 1", "1 Gi", "1MB", "1mi", "1gi", "1Kib", "1KI", "1e", "1e3.5", "1.5.5", "0x10", "1,5",
    "abc", "1Mi5", "1.0.0", "--1", "1e+", "1b", "1i",
])
def test_invalid(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_suffix_and_format_errors_say_which():
    with pytest.raises(QuantityError, match="suffix 'mi'"):
        parse_quantity("512mi")
    with pytest.raises(QuantityError, match="regular expression"):
        parse_quantity("512MB")


def test_yaml_numbers_and_other_types():
    assert quantity_value(2) == 2
    assert quantity_value(0.5) == Fraction(1, 2)
    assert quantity_value(1e9) == 10 ** 9
    for bad in (True, None, [], {}, float("nan")):
        with pytest.raises(QuantityError):
            quantity_value(bad)


def test_comparisons_are_exact():
    assert parse_quantity("1Gi") == parse_quantity("1024Mi")
    assert parse_quantity("1G") < parse_quantity("1Gi")
    assert parse_quantity("500m") == parse_quantity("0.5")
    assert parse_quantity("0.1") + parse_quantity("0.2") == parse_quantity("300m")


def test_format():
    assert format_quantity(Fraction(1, 4), "cpu") == "250m"
    assert format_quantity(Fraction(2), "cpu") == "2"
    assert format_quantity(Fraction(2 ** 30), "bytes") == "1Gi"
    assert format_quantity(Fraction(1000), "bytes") == "1000"
