"""Jinja2 templates: manifests that Ansible (its `template` module, the kubernetes.core.k8s
module's `template:` parameter, Molecule scenarios), j2cli and the like render before they
are applied.

A file is one when its `{{ }}` break the YAML or stand in an object's identity (the loader's
_looks_templated) and it has Jinja's own syntax: a statement tag (`{% if %}`, `{% for %}`,
https://jinja.palletsprojects.com/en/stable/templates/#list-of-control-structures), or an
expression with a filter (`{{ x | bool }}`), a quoted string, a call or a conditional
expression (`{{ 'v1' if cond else 'v1beta1' }}`), which neither a sed-style `{{VAR}}` nor
Argo's `{{inputs.parameters.x}}` has; Go templates (`{{ .Values.x }}`, `{{ $x := }}`) are
helm-template's own. A file in an Ansible role's `templates/` or `tasks/` folder (the role
has tasks/main.yml, https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse_roles.html#role-directory-structure)
is one too when `{{ }}` break its YAML: Ansible renders what the k8s module's `template:`
names from there, so `name: {{ kiali_vars.deployment.instance_name }}` is a variable, not
the mapping YAML reads. Such a file is reported once and not checked as objects.
"""

from __future__ import annotations

import os

from . import listing
from .lazyre import lazy_compile

# a statement tag: `{%` (or `{%-`) and a Jinja keyword
_STATEMENT = lazy_compile(r"\{%[-+]?\s*(?:if|elif|else|endif|for|endfor|set|endset|macro|endmacro|call|endcall"
                        r"|filter|endfilter|include|import|from|block|endblock|extends|with|endwith)\b")
# an expression `{{ ... }}` that is not Go's (no leading `.` or `$`), not Argo's `{{=expr}}`
# and not GitHub Actions' `${{ }}`, holding a filter, a quoted string, a call or `if ... else`
_EXPRESSION = lazy_compile(r"(?<!\$)\{\{-?\s*(?![.$=/])([^{}\n]*)\}\}")
_JINJA_ONLY = lazy_compile(r"\|\s*[A-Za-z_]\w*|'[^'\n]*'|\b[A-Za-z_]\w*\(|\bif\b.+\belse\b")
_ROLE_FOLDERS = frozenset({"templates", "tasks"})


def has_statements(text: str) -> bool:
    """Whether a text has a Jinja statement tag, which no Go template or placeholder has."""
    return "{%" in text and _STATEMENT.search(text) is not None


def is_template(path: str, text: str) -> bool:
    """Whether a file whose `{{ }}` break the YAML, and that is no Go template, is a Jinja
    template (see the module docstring)."""
    if has_statements(text):
        return True
    if any(_JINJA_ONLY.search(m.group(1)) for m in _EXPRESSION.finditer(text)):
        return True
    return path != "-" and in_ansible_role(os.path.dirname(os.path.abspath(path)))


def in_ansible_role(folder: str) -> bool:
    """Whether a folder is, or lies in, the templates/ or tasks/ folder of an Ansible role
    (a folder with tasks/main.yml or tasks/main.yaml)."""
    parts = folder.split(os.sep)
    for index in range(len(parts) - 1, 0, -1):
        if parts[index] in _ROLE_FOLDERS and _is_role(os.sep.join(parts[:index]) or os.sep):
            return True
    return False


def _is_role(folder: str) -> bool:
    tasks = os.path.join(folder, "tasks")
    return listing.isfile(os.path.join(tasks, "main.yml")) or listing.isfile(os.path.join(tasks, "main.yaml"))
