"""Run settings: .k8slint.yaml / [tool.k8slint] and CLI flags resolved into one Config.

A config file is validated by the JSON Schema shipped beside this module
(config_schema.json, by k8slint.config_schema), then its rule ids are checked against the
known rules; any mistake is a ConfigError naming the closest valid key, which the CLI turns
into exit 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .globs import path_matches
from .i18n import N_, _
from .k8s.versions import LATEST, Version
from .model import CATEGORIES, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from .custom import CustomRule

CONFIG_NAMES = (".k8slint.yaml", ".k8slint.yml")


@dataclass
class Config:
    kubernetes_version: Version = LATEST
    namespace: str = "default"
    fail_on: Severity | None = Severity.ERROR       # None: never fail
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    only: list[str] | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    pod_security_level: str = "none"
    jobs: int | None = None          # processes for large inputs; None: all cores when large
    severity: dict[str, Severity] = field(default_factory=dict)   # rule id -> replacement
    exclude: list[str] = field(default_factory=list)              # path globs never loaded
    ignore: dict[str, list[str]] = field(default_factory=dict)    # path glob -> rules/categories
    custom_rules: list[CustomRule] = field(default_factory=list)
    apply_units: dict[str, str] = field(default_factory=dict)     # path glob -> tree|folder|file
    one_unit: bool = False           # all input is one apply unit (--one-unit)
    lang: str | None = None          # output language (en, ko); None: --lang or the locale
    schema_locations: list[str] = field(default_factory=list)     # k8slint.schema_locations
    # kustomize build --load-restrictor: LoadRestrictionsNone lets kustomizations read files
    # outside their folder (api/krusty/options.go, LoadRestrictionsRootOnly by default);
    # None (not configured): as the repository's build scripts say (k8slint.kustomize.scripts)
    kustomize_load_restrictor: str | None = None
    root: str | None = None          # folder that relative globs start from (the config's)
    source: str | None = None        # the config file, for messages

    def ignored_rules(self, file: str) -> set[str]:
        """Rule ids and categories the per-path `ignore` lists silence for this file."""
        names: set[str] = set()
        for pattern, rules in self.ignore.items():
            if path_matches(file, pattern, self.root):
                names.update(rules)
        return names

    def excluded(self, file: str) -> bool:
        return any(path_matches(file, pattern, self.root) for pattern in self.exclude)


# --- finding and reading the file ----------------------------------------------------

def find_config(start: str | os.PathLike[str] = ".") -> Path | None:
    """The nearest .k8slint.yaml, or pyproject.toml with [tool.k8slint], from start upwards."""
    folder = os.path.realpath(start)            # os.path: a run without a config imports no pathlib
    while True:
        for name in CONFIG_NAMES:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                return _as_path(path)
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return _as_path(pyproject)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _as_path(path: str) -> Path:
    from pathlib import Path

    return Path(path)


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return False
    return re.search(r"^\[tool\.k8slint(\]|\.)", text, re.M) is not None


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The raw mapping of a .k8slint.yaml or of pyproject.toml's [tool.k8slint]."""
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if path.name == "pyproject.toml":
        import tomllib
        try:
            data = tomllib.loads(text).get("tool", {}).get("k8slint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(_("{path}: invalid TOML: {error}").format(path=path, error=exc)) from None
    else:
        import yaml

        from . import safe_yaml
        try:
            data = safe_yaml.load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(_("{path}: invalid YAML: {error}").format(path=path, error=exc)) from None
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(_("{path}: the configuration must be a mapping of keys").format(path=path))
    return data


def load_config(path: str | os.PathLike[str], base: Config | None = None) -> Config:
    """A Config from a file; relative paths in it start at the file's folder."""
    data = read_config_file(path)
    root = os.path.dirname(os.path.realpath(path))
    return from_mapping(data, source=str(path), root=root, base=base)


def resolve(config_file: str | None = None, *, use_files: bool = True,
            start: str | os.PathLike[str] = ".") -> Config:
    """The run's Config before CLI flags: --config FILE, else the nearest config file."""
    if config_file:
        return load_config(config_file)
    found = find_config(start) if use_files else None
    return load_config(found) if found else Config()


def check_names(names: Iterable[str], valid: Iterable[str], where: str, source: str,
                categories: bool = True) -> None:
    """Every name must be a rule id (or a category): else a ConfigError with a suggestion."""
    valid = set(valid) | (set(CATEGORIES) if categories else set())
    for name in names:
        if name not in valid:
            text = (_("{source}: unknown rule or category {name!r} in {where}") if categories
                    else _("{source}: unknown rule {name!r} in {where}"))
            from .config_schema import did_you_mean

            raise ConfigError(text.format(source=source, name=name, where=where)
                              + did_you_mean(name, valid, N_("valid names")))


# --- mapping -> Config -----------------------------------------------------------------

def from_mapping(data: Mapping[str, Any], *, source: str = "configuration", root: str | None = None,
                 base: Config | None = None) -> Config:
    """Validate a config mapping (the file's keys) and apply it over `base`."""
    from .config_schema import did_you_mean, validate_schema  # with a config only
    from .k8s.versions import parse_version
    from .rules import builtin_rules

    validate_schema(dict(data), source)
    config = base or Config()
    config.root, config.source = root, source
    if "kubernetes-version" in data:
        try:
            config.kubernetes_version = parse_version(data["kubernetes-version"])
        except ValueError as exc:
            raise ConfigError(f"{source}: kubernetes-version: {exc}") from None
    config.namespace = data.get("namespace", config.namespace)
    if "fail-on" in data:
        config.fail_on = None if data["fail-on"] == "never" else Severity.parse(data["fail-on"])
    config.pod_security_level = data.get("pod-security-level", config.pod_security_level)
    config.lang = data.get("lang", config.lang)

    if data.get("custom-rules") or data.get("rules-dirs"):
        from .custom import load_rules_dir, parse_custom_rule
        custom = [parse_custom_rule(rule, f"{source}: custom-rules[{i}]")
                  for i, rule in enumerate(data.get("custom-rules", []))]
        for folder in data.get("rules-dirs", []):
            custom.extend(load_rules_dir(os.path.join(root or ".", folder)))
        config.custom_rules = [*config.custom_rules, *custom]
    rules = {**builtin_rules(), **{c.meta.id: c.meta for c in config.custom_rules}}
    check_custom_ids(config.custom_rules, builtin_rules())
    for location in data.get("schema-locations", []):
        # relative to the config file's folder, like rules-dirs; `bundled` is a name
        relative = location != "bundled" and not os.path.isabs(location) and "://" not in location
        config.schema_locations.append(os.path.join(root or ".", location) if relative else location)

    for key in ("enable", "disable"):
        check_names(data.get(key, []), rules, key, source)
        setattr(config, key, [*getattr(config, key), *data.get(key, [])])
    check_names(data.get("severity", {}), rules, "severity", source, categories=False)
    config.severity.update({k: Severity.parse(v) for k, v in data.get("severity", {}).items()})
    config.exclude = [*config.exclude, *data.get("exclude", [])]
    for pattern, names in data.get("ignore", {}).items():
        check_names(names, rules, f"ignore[{pattern!r}]", source)
        config.ignore.setdefault(pattern, []).extend(names)
    config.apply_units.update(data.get("apply-units", {}))
    config.kustomize_load_restrictor = data.get("kustomize-load-restrictor", config.kustomize_load_restrictor)
    for rule, options in data.get("rule-options", {}).items():
        check_names([rule], rules, "rule-options", source, categories=False)
        known = rules[rule].options
        for name in options:
            if name not in known:
                hint = did_you_mean(name, known, N_("options")) if known else _(" (the rule has no options)")
                raise ConfigError(_("{source}: unknown option {name!r} of rule {rule}").format(
                    source=source, name=name, rule=rule) + hint)
        config.options.setdefault(rule, {}).update(options)
    return config


def check_custom_ids(custom: Iterable[CustomRule], builtin: Mapping[str, Any]) -> None:
    seen: dict[str, str] = {}
    for rule in custom:
        rid = rule.meta.id
        if rid in builtin:
            raise ConfigError(_("{source}: custom rule id {rule!r} is a built-in rule; pick another id")
                              .format(source=rule.meta.source, rule=rid))
        if rid in seen:
            raise ConfigError(_("{source}: custom rule {rule!r} is also defined in {other}").format(
                source=rule.meta.source, rule=rid, other=seen[rid]))
        seen[rid] = rule.meta.source
