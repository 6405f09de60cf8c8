"""`k8slint fix`: certain fixes applied with ruamel.yaml round-trip, comments and layout kept.

registry   the @fixer("rule-id") registry and FixContext
apply      one text: findings -> fixer edits -> spliced text, verified, repeated
splice     carries ruamel's changed lines over to the original text
roundtrip  ruamel set up in the file's indentation style
files      atomic writes
run        files and folders: check, fix the files with findings, write
quoting, apiversion, env, grace, ports: the fixers
"""

from .apply import Change, TextFix, fix_text
from .registry import FIXERS, FixContext, fixable_rules, fixer, load_fixers
from .run import FixRun, fix_paths, unified_diff

__all__ = ["Change", "FIXERS", "FixContext", "FixRun", "TextFix", "fix_paths", "fix_text",
           "fixable_rules", "fixer", "load_fixers", "unified_diff"]
