"""`k8slint lsp`: a Language Server (pygls) over stdio.

- diagnostics for open YAML/JSON files on open, save and change (debounced), each file
  checked with the other manifests of its folder so cross-object rules see their partners;
- hover on a finding: the rule explained, as `k8slint rules show` does;
- code actions: the certain fix of a finding (and all of a file's, as source.fixAll), a
  `# k8slint: ignore[rule]` comment above the line, or the rule added to the object's
  `k8slint.io/ignore` annotation;
- command `k8slint.explain` (argument: the document URI): the control-plane dry run of the
  file, as Markdown.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..model import Finding, Severity
from ..version import HOMEPAGE, __version__
from . import diagnostics as diag

DEBOUNCE_SECONDS = 0.15
EXPLAIN_COMMAND = "k8slint.explain"
SOURCE = "k8slint"
SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error,
            Severity.WARNING: types.DiagnosticSeverity.Warning,
            Severity.INFO: types.DiagnosticSeverity.Information}


class K8slintServer(LanguageServer):
    """The server and what it remembers per open document: its last findings."""

    def __init__(self) -> None:
        super().__init__("k8slint", __version__)
        self.findings: dict[str, list[Finding]] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}

    def open_texts(self) -> dict[str, str]:
        return {diag.uri_to_path(uri): doc.source
                for uri, doc in self.workspace.text_documents.items()}

    def lint(self, uri: str) -> list[types.Diagnostic]:
        """Check one document now and publish its diagnostics."""
        path = diag.uri_to_path(uri)
        if not path.lower().endswith(diag.YAML_SUFFIXES):
            return []
        document = self.workspace.get_text_document(uri)
        findings = diag.file_findings(path, self.open_texts(), diag.file_config(path))
        self.findings[uri] = findings
        lines = document.source.splitlines()
        result = [to_diagnostic(f, lines) for f in findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=result, version=document.version))
        return result

    def schedule(self, uri: str, delay: float) -> None:
        """Lint after `delay` seconds unless another change comes first."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            self.lint(uri)

        self.pending[uri] = asyncio.get_running_loop().create_task(later())


def to_diagnostic(finding: Finding, lines: list[str]) -> types.Diagnostic:
    span = diag.finding_span(finding, lines)
    message = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=span.line, character=span.start),
                          end=types.Position(line=span.line, character=span.end)),
        message=message, severity=SEVERITY[finding.severity], code=finding.rule, source=SOURCE,
        code_description=types.CodeDescription(href=f"{HOMEPAGE}/blob/main/docs/rules.md#{finding.rule}"))


def create_server() -> K8slintServer:
    server = K8slintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: K8slintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: K8slintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: K8slintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: K8slintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.findings.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: K8slintServer, params: types.HoverParams) -> types.Hover | None:
        return hover_for(ls, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
    def code_action(ls: K8slintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(ls, params.text_document.uri, params.range)

    @server.command(EXPLAIN_COMMAND)
    def explain(ls: K8slintServer, *args: Any) -> str:
        return explain_markdown(ls, str(args[0]) if args else "")

    return server


def _at(findings: list[Finding], lines: list[str], line: int, start: int, end: int) -> list[Finding]:
    """The findings whose range touches [start, end] on a line (or the whole line)."""
    found = []
    for finding in findings:
        span = diag.finding_span(finding, lines)
        if span.line == line and span.start <= end and start <= span.end:
            found.append(finding)
    return found


def hover_for(ls: K8slintServer, uri: str, position: types.Position) -> types.Hover | None:
    from ..report.rule_help import rule_help
    from ..rules import builtin_rules

    lines = ls.workspace.get_text_document(uri).source.splitlines()
    here = _at(ls.findings.get(uri, []), lines, position.line, position.character, position.character)
    if not here:
        return None
    rules = builtin_rules()
    parts = []
    for rule in dict.fromkeys(f.rule for f in here):
        meta = rules.get(rule)
        if meta is not None:
            parts.append(f"```text\n{rule_help(meta)}```")
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                   value="\n\n".join(parts)))


def _replace(uri: str, version: int | None, before: str, after: str) -> types.WorkspaceEdit:
    first, end, text = diag.changed_lines(before, after)
    edit = types.TextEdit(range=types.Range(start=types.Position(line=first, character=0),
                                            end=types.Position(line=end, character=0)), new_text=text)
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document,
                                                                        edits=[edit])])


def code_actions(ls: K8slintServer, uri: str, where: types.Range) -> list[types.CodeAction]:
    document = ls.workspace.get_text_document(uri)
    text, lines = document.source, document.source.splitlines()
    findings = ls.findings.get(uri, [])
    path = diag.uri_to_path(uri)
    config = diag.file_config(path)
    here = _at(findings, lines, where.start.line, where.start.character, where.end.character) \
        if where.start.line == where.end.line else \
        [f for f in findings if where.start.line <= f.line - 1 <= where.end.line]
    actions: list[types.CodeAction] = []
    for finding in here:
        diagnostic = to_diagnostic(finding, lines)
        fixed = diag.fixed_text(text, [finding], config)
        if fixed is not None:
            actions.append(types.CodeAction(
                title=f"Fix: {finding.fix or finding.rule}", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic], is_preferred=True,
                edit=_replace(uri, document.version, text, fixed)))
        line, insert = diag.suppression_edit(finding, lines)
        position = types.Position(line=line, character=0)
        edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=insert)
        actions.append(types.CodeAction(
            title=f"Ignore {finding.rule} on this line", kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            edit=types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=document.version),
                edits=[edit])])))
        annotated = diag.annotation_text(text, finding)
        if annotated is not None and finding.object is not None:
            actions.append(types.CodeAction(
                title=f"Ignore {finding.rule} on {finding.object} (k8slint.io/ignore annotation)",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                edit=_replace(uri, document.version, text, annotated)))
    fixed_all = diag.fixed_text(text, findings, config) if findings else None
    if fixed_all is not None:
        actions.append(types.CodeAction(title="Apply every certain k8slint fix in this file",
                                        kind=types.CodeActionKind.SourceFixAll,
                                        edit=_replace(uri, document.version, text, fixed_all)))
    return actions


def explain_markdown(ls: K8slintServer, uri: str) -> str:
    """`k8slint explain` of the document as it is in the editor (unsaved text included)."""
    import tempfile

    from ..simulate import explain
    from ..simulate.render.markdown import render_markdown

    document = ls.workspace.get_text_document(uri)
    name = os.path.basename(diag.uri_to_path(uri)) or "manifest.yaml"
    with tempfile.TemporaryDirectory(prefix="k8slint-lsp-") as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(document.source)
        timeline = explain([path])
    text: str = render_markdown(timeline)
    return text


def main() -> None:
    server = create_server()
    diag.warm_up()           # before the first request is read: `initialize` waits for it
    server.start_io()
