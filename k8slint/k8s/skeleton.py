"""Documents that list a kind's fields with empty values: a reference of the fields, not an
object to apply.

testkube's pkg/mcp/tools/schemas/workflow_schema.yaml writes every field of a TestWorkflow
with its zero value (`""`, `0`, `false`, `[]`, `{}`) under a comment that describes it, and
`metadata: {}`; its MCP server embeds the file (pkg/mcp/tools/schema_tools.go, `//go:embed`)
and hands it to an agent as the description of the kind (tool get_workflow_schema). No
object meant to exist has no name and only empty values: such a document is not applied.
"""

from __future__ import annotations

from typing import Any

MIN_FIELDS = 20           # empty values a reference lists at least (a stub has a few)
_ENVELOPE = ("apiVersion", "kind", "metadata")


def field_skeleton(data: dict[str, Any]) -> int:
    """The number of empty values of a document that sets no metadata and nothing but empty
    values, when there are at least MIN_FIELDS of them; else 0."""
    meta = data.get("metadata")
    if meta is not None and meta != {}:
        return 0
    count = 0
    stack: list[Any] = [v for k, v in data.items() if k not in _ENVELOPE]
    while stack:
        value = stack.pop()
        if isinstance(value, dict) and value:
            stack.extend(value.values())
        elif isinstance(value, list) and value:
            stack.extend(value)
        elif value in ("", 0, None, [], {}):
            count += 1                           # False == 0: empty too
        else:
            return 0
    return count if count >= MIN_FIELDS else 0
