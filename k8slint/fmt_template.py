"""Manifests that Go code fills with fmt.Sprintf before use: `name: %s`, `storage: %d`.

A value that is a printf verb alone (`%s`, `%d`, `%v`, `%q`, quoted or not) is a hole for
fmt.Sprintf to fill (https://pkg.go.dev/fmt). Unquoted it is not even YAML (`%` cannot start
a plain scalar), quoted it is a name no object can have. Such a file is a template when Go
code reads it: a `//go:embed` directive of the repository takes it (topolvm's
test/e2e/clone_test.go embeds testdata/cloning/clone-pvc-template.yaml and passes it to
fmt.Sprintf with the names of each test), or it lies below a `testdata` folder, which the go
tool leaves to tests (https://pkg.go.dev/cmd/go#hdr-Test_packages).
"""

from __future__ import annotations

import os

from .lazyre import lazy_compile

# A printf verb that is a whole value after `key:` or `- `, maybe quoted, maybe with flags,
# width and precision: %s, %d, %v, %q, %5.2f, %x.
PRINTF_VALUE = lazy_compile(r"""(?m)(?::|^[ \t]*-)[ \t]+(["']?)%[-+# 0]*\d*(?:\.\d+)?[sdvqfgxt]\1[ \t]*(?:#.*)?\r?$""")


def filled_by(path: str, text: str) -> str | None:
    """What fills the file's printf verbs (`FILE:LINE` of the go:embed directive, or the
    testdata folder), when it is a Go fmt template; None otherwise."""
    if "%" not in text or PRINTF_VALUE.search(text) is None or not os.path.isfile(path):
        return None             # text that is no file on disk (stdin, an editor's name): nothing around it is read
    from .kustomize import repository  # only for a file with such values (off the start-up path)

    real = os.path.realpath(path)
    embedded = repository.embedded_by(real)
    if embedded is not None:
        return f"{os.path.relpath(embedded[0])}:{embedded[1]}"
    if "testdata" in os.path.dirname(real).split(os.sep):
        return "testdata"
    return None
