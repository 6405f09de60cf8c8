"""No function in k8slint/ runs over 60 lines unless its def line says why (`# long: ...`):
long functions get split along Kubernetes' own seams (docs/architecture.md)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

LIMIT = 60


def long_functions(source: str, limit: int = LIMIT) -> list[tuple[int, str, int]]:
    """(line, name, length) of each function longer than `limit` lines, def line to last
    line, whose def line has no `# long:` reason."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit and "# long:" not in lines[node.lineno - 1]:
                found.append((node.lineno, node.name, length))
    return found


def test_no_function_over_60_lines_without_a_reason():
    too_long = [f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
                for path in sorted((ROOT / "k8slint").rglob("*.py"))
                for line, name, length in long_functions(path.read_text(encoding="utf-8"))]
    assert not too_long, too_long


def test_the_length_check_sees_a_long_function_and_its_reason():
    body = "".join(f"    x = {i}\n" for i in range(60))
    assert long_functions(f"def f():\n{body}") == [(1, "f", 61)]
    assert long_functions(f"def f():  # long: one table\n{body}") == []
    assert long_functions(f"class C:\n    def m(self):\n{body.replace('    ', '        ')}") == [(2, "m", 61)]
    assert long_functions("def f():\n" + "".join(f"    x = {i}\n" for i in range(59))) == []  # 60 lines
