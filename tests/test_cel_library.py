"""Conformance: the expressions of the Kubernetes CEL library tests give the results the
Kubernetes tests expect (tests/cel/k8s_library_cases.yaml, copied from kubernetes/apiserver
pkg/cel/library/*_test.go, Apache-2.0). Expressions of the libraries k8slint does not
support (format: its validate() returns an optional; type names of the Kubernetes object
types) must say so instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from k8slint.cel import CompileError, EvalError, Unsupported, available, compile_expression

pytestmark = pytest.mark.skipif(not available(), reason="cel extra not installed")

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cel" / "k8s_library_cases.yaml").read_text())
VARS: tuple[str, ...] = ()

# The Go expectations that are Kubernetes objects, as CEL expressions of the same value
# (the Go variables are defined at the top of each *_test.go function).
GO_VALUES = {
    "apiservercel.Quantity{Quantity: &twelveMi}": 'quantity("12Mi")',
    "ip:apiservercel.IP{Addr: ipv4Addr}": 'ip("192.168.0.1")',
    "ip:apiservercel.IP{Addr: ipv6Addr}": 'ip("2001:db8::68")',
    "cidr:apiservercel.IP{Addr: ipv4Addr}": 'ip("192.168.0.0")',
    "cidr:apiservercel.IP{Addr: ipv6Addr}": 'ip("2001:db8::")',
    "apiservercel.CIDR{Prefix: ipv4CIDR}": 'cidr("192.168.0.0/24")',
    "apiservercel.CIDR{Prefix: ipv6CIDR}": 'cidr("2001:db8::/32")',
    "apiservercel.CIDR{Prefix: netip.PrefixFrom(ipv4Addr, 24)}": 'cidr("192.168.0.0/24")',
    "apiservercel.CIDR{Prefix: netip.PrefixFrom(ipv6Addr, 32)}": 'cidr("2001:db8::/32")',
    'apiservercel.Semver{Version: semver.MustParse("1.2.3")}': 'semver("1.2.3")',
}


def _id(case: dict[str, Any]) -> str:
    return f"{case['lib']}:{case['name']}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_kubernetes_library_case(case: dict[str, Any]) -> None:
    expr = case["expr"]
    if case["lib"] == "format" or re.search(r"== (net|kubernetes)\.", expr):
        with pytest.raises(Unsupported):
            compile_expression(expr, VARS)
        return
    if "compile_error" in case:
        with pytest.raises(CompileError) as info:
            compile_expression(expr, VARS)
        for pattern in case["compile_error"]:
            # The Kubernetes object types are maps here (k8slint/cel/values.py), so the
            # compiler names them map(string, dyn).
            pattern = re.sub(r"net\.(IP|CIDR)|kubernetes\.\w+", r"map\\(string, dyn\\)", pattern)
            assert re.search(pattern, str(info.value)), (pattern, str(info.value))
        return
    program = compile_expression(expr, VARS)
    if "runtime_error" in case:
        with pytest.raises(EvalError) as info:
            program.evaluate({})
        # Go's inner parser messages (netip, blang/semver) are not reproduced word for
        # word: the Kubernetes part of the message, up to the parser's own, must match.
        expected = re.split(r": (ParseAddr|netip\.ParsePrefix)", case["runtime_error"])[0]
        assert str(info.value).startswith(expected) or re.search(case["runtime_error"], str(info.value)), \
            (case["runtime_error"], str(info.value))
        return
    if "go_value" in case:
        expected = GO_VALUES.get(f"{case['lib']}:{case['go_value']}") or GO_VALUES[case["go_value"]]
        same = compile_expression(f"({expr}) == ({expected})", VARS)
        assert same.evaluate({}) is True
        return
    result = program.evaluate({})
    assert result == case["value"] and type(result) is type(case["value"])


DOC_EXAMPLES: list[list[str]] = yaml.safe_load(
    (Path(__file__).parent / "cel" / "library_doc_examples.yaml").read_text())


@pytest.mark.parametrize("expr, expected", DOC_EXAMPLES, ids=[e[0] for e in DOC_EXAMPLES])
def test_library_doc_example(expr: str, expected: str) -> None:
    if expected == "error":
        with pytest.raises(EvalError):
            compile_expression(expr, VARS).evaluate({})
        return
    assert compile_expression(f"({expr}) == ({expected})", VARS).evaluate({}) is True


def test_libraries_follow_the_kubernetes_version() -> None:
    # k8s.io/apiserver/pkg/cel/environment/base.go: IP/CIDR from 1.30, semver from 1.33,
    # cel-go lists v3 from 1.34, the Kubernetes lists library's includes() from 1.37.
    assert compile_expression('ip("::1").family()', VARS, (1, 30)).evaluate({}) == 6
    for expr, version in (('ip("::1").family()', (1, 29)), ('semver("1.0.0").major()', (1, 32)),
                          ("[1].reverse()", (1, 33)), ("[1].includes(1)", (1, 36))):
        with pytest.raises(CompileError):
            compile_expression(expr, VARS, version)
