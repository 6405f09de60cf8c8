"""One kustomization, accumulated the way kustomize's KustTarget does it.

api/internal/target/kusttarget.go accumulateTarget: resources (files, folders, nested
kustomizations), generators, components, then the built-in transformers in the order of
kusttarget_configplugin.go configureBuiltinTransformers. Errors that would stop
`kustomize build` become error hits at the line that caused them; the build goes on
without the failing part so that the rest can still be checked.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from typing import Any, Protocol

import yaml

from .. import gitignore, listing, safe_yaml
from ..i18n import N_, _
from ..loader import decode, parse_text
from ..model import Hit, Severity
from . import fieldspec, fleet, generators, kustfile, repository, variables
from .positions import Pos, Positions
from .resource import Gvk, ResId, Resource


class Builder(Protocol):
    """What a target asks of the build that reads its files (build.Builder)."""

    positions: Positions
    incomplete: str | None
    custom_schema: str | None
    matched_targets: set[Pos]
    loosened_by: Any
    given: str | None

    @property
    def shared(self) -> Any: ...
    def hit(self, rule: str, at: Pos, message: str, severity: Severity | None = None) -> None: ...
    def loosen(self, path: str) -> None: ...
    def read(self, path: str) -> str | bytes | None: ...
    def load_resources(self, path: str, at: Pos) -> list[Resource]: ...
    def load_documents(self, path: str, at: Pos, patch: bool = False) -> list[tuple[Any, Pos]] | None: ...
    def inline_documents(self, target: Target, text: str, value_path: tuple[Any, ...]) -> list[tuple[Any, Pos]]: ...
    def target(self, folder: str, at: Pos, stack: tuple[str, ...], component: bool | None) -> Target | None: ...
    def nested(self, folder: str, at: Pos, stack: tuple[str, ...]) -> tuple[list[Resource], fieldspec.Config] | None: ...
    def snapshot(self, data: dict[Any, Any]) -> dict[tuple[Any, ...], Pos]: ...
    def record_overrides(self, res: Resource, before: dict[tuple[Any, ...], Pos], patch_at: Pos,
                         target: Target) -> None: ...
    def transform(self, target: Target, ra: list[Resource]) -> None: ...

RULE_ERROR = "kustomize-build"
RULE_UNMATCHED = "kustomize-patch-unmatched"
RULE_NOT_BUILT = "kustomize-not-built"
RULE_FROM_SCRIPT = "kustomize-load-restrictor-from-script"     # k8slint.kustomize.scripts

_REMOTE = re.compile(r"^(https?://|git@|ssh://|git::|github\.com/|gitlab\.com/|bitbucket\.org/|"
                     r"[a-z0-9.-]+\.[a-z]{2,}(:\d+)?/[^/]+/)|\?ref=|\.git(//|$)", re.IGNORECASE)
NOT_BUILT_FIELDS = {
    "helmCharts": N_("helmCharts (Helm charts are not rendered)"),
    "helmChartInflationGenerator": N_("helmChartInflationGenerator (Helm charts are not rendered)"),
    "helmGlobals": N_("helmGlobals"),
    "generators": N_("generators (plugins are not run)"),
    "validators": N_("validators (plugins are not run)"),
    "crds": N_("crds (custom field specs are not read)"),
    "openapi": N_("openapi (a custom schema is not read)"),
    "buildMetadata": N_("buildMetadata (no origin annotations or managed-by label added)"),
}


# Not built fields that would add objects, or field specs for other kinds (`crds:`):
# without them a patch or a transformer entry may match nothing here.
ADDS_OBJECTS = frozenset({"helmCharts", "helmChartInflationGenerator", "generators", "crds"})


class BuildError(Exception):
    """Stops one step of the build; reported at `at`."""

    def __init__(self, at: Pos, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def join(folder: str, path: str) -> str:
    """folder/path normalized, keeping a leading ./ as the loader shows paths found under "."."""
    joined = os.path.normpath(os.path.join(folder, path))
    if (folder == "." or folder.startswith("./")) and not joined.startswith(("..", os.sep)) and joined != ".":
        return "./" + joined
    return joined


def looks_remote(path: str) -> bool:
    return bool(_REMOTE.search(path))


class Target:
    """A kustomization folder being accumulated."""

    def __init__(self, builder: Builder, folder: str, file: str, data: dict[Any, Any], stack: tuple[str, ...]) -> None:
        self.builder = builder
        self.folder = folder
        self.file = file
        self.data = data
        self.stack = stack
        self.positions: Positions = builder.positions
        self.is_component = data.get("kind") == kustfile.COMPONENT_KIND
        self.config = fieldspec.Config()     # `configurations:` of this and the bases it uses

    # --- positions and hits in this kustomization ----------------------------
    def at(self, *path: Any, where: str = "value") -> Pos:
        """Where a field of this kustomization is written (its data never changes: found
        once per run, for every build that uses this kustomization)."""
        key = (self.file, path, where)
        found: Pos | None = self.builder.shared.located.get(key)
        if found is None:
            found = self.builder.shared.located[key] = \
                self.positions.locate(self.data, tuple(path), where) or (self.file, 1, 1)
        return found

    def hit(self, rule: str, at: Pos, message: str, severity: Severity | None = None) -> None:
        self.builder.hit(rule, at, message, severity)

    def error(self, at: Pos, message: str) -> None:
        self.hit(RULE_ERROR, at, message)

    def missing(self, why: str) -> None:
        """Objects kustomize would have are missing: a patch that matches nothing is then
        not a certain error."""
        self.builder.incomplete = self.builder.incomplete or why

    def made_before_building(self, file: str, at: Pos, what: str) -> bool:
        """A missing file that git ignores (a generated params.env, a .env of secrets) is made
        before building: one info, and the build marked incomplete; False for a file that
        is simply missing (an error for the caller to report)."""
        found = gitignore.ignored(file)
        if found is None:
            return self._copied_before_building(file, at, what)
        self.hit(RULE_NOT_BUILT, at, _("{what} {file} is not in the repository ({pattern} in {gitignore} ignores it): it is made before building, so what it holds is not checked; kustomize build fails until it exists").format(
            what=what, file=os.path.relpath(file), pattern=found.pattern, gitignore=os.path.relpath(found.gitignore)))
        self.missing(_("{file} is made before building").format(file=os.path.relpath(file)))
        return True

    def _copied_before_building(self, file: str, at: Pos, what: str) -> bool:
        """A missing file of a kustomization that the repository copies elsewhere to build it,
        beside the files it makes (k8slint.kustomize.repository.copied_by): one info."""
        copier = repository.copied_by(self.file) if self.builder.given is None else None
        if copier is None:
            return self._written_before_building(file, at, what)
        self.hit(RULE_NOT_BUILT, at, _("{what} {file} is not in the repository: {source}:{line} takes {kustomization} as a template and builds the copy beside the files it makes, so what they hold is not checked; kustomize build of this folder as it is fails").format(
            what=what, file=os.path.relpath(file), source=os.path.relpath(copier[0]), line=copier[1],
            kustomization=os.path.relpath(self.file)))
        self.missing(_("{file} is made where the kustomization is copied").format(file=os.path.relpath(file)))
        return True

    def _written_before_building(self, file: str, at: Pos, what: str) -> bool:
        """A missing file that a script beside it writes before it runs kustomize build (a Helm
        post-renderer: k8slint.kustomize.repository.written_by): one info."""
        writer = repository.written_by(file) if self.builder.given is None else None
        if writer is None:
            return self._generated_before_building(file, at, what)
        self.hit(RULE_NOT_BUILT, at, _("{what} {file} is not in the repository: {script}:{line} writes it before it runs kustomize build (a Helm post-renderer writes the chart's output there), so what it holds is not checked; kustomize build of this folder as it is fails").format(
            what=what, file=os.path.relpath(file), script=os.path.relpath(writer[0]), line=writer[1]))
        self.missing(_("{file} is written by a script before building").format(file=os.path.relpath(file)))
        return True

    def _generated_before_building(self, file: str, at: Pos, what: str) -> bool:
        """A missing ClusterServiceVersion base that a script generates with operator-sdk
        before it builds the folder (k8slint.kustomize.repository.csv_base_made_by): one info."""
        maker = repository.csv_base_made_by(file) if self.builder.given is None else None
        if maker is None:
            return False
        self.hit(RULE_NOT_BUILT, at, _("{what} {file} is not in the repository: {script}:{line} runs `operator-sdk generate kustomize manifests`, which writes it before the build, so what it holds is not checked; kustomize build of this folder as it is fails").format(
            what=what, file=os.path.relpath(file), script=os.path.relpath(maker[0]), line=maker[1]))
        self.missing(_("{file} is written by a script before building").format(file=os.path.relpath(file)))
        return True

    def field(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value

    def local(self, path: str) -> str:
        return join(self.folder, path)

    def within_root(self, path: str, at: Pos, what: str) -> None:
        """kustomize's default LoadRestrictionsRootOnly: files must be in or below the folder
        (nothing to check under LoadRestrictionsNone, nor when a script of the repository
        builds the folder so: k8slint.kustomize.scripts)."""
        if not self.builder.shared.restrict_loads:
            return
        if not path.startswith("..") and not os.path.isabs(path) and ".." not in path.split(os.sep) \
                and os.path.normpath(path).startswith(os.path.normpath(self.folder).rstrip(os.sep) + os.sep):
            if not listing.islink(path):
                return                      # below the folder as written (and no symlink)
        real, root = self.builder.shared.realpath(path), self.builder.shared.realpath(self.folder)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            if self.builder.loosened_by is not None:
                self.builder.loosen(path)
                return
            self.error(at, _("{what} {path} is outside the kustomization folder: kustomize build refuses it "
                             "(unless run with --load-restrictor LoadRestrictionsNone; when CI builds so, set "
                             "kustomize-load-restrictor: LoadRestrictionsNone in .k8slint.yaml)").format(
                what=what, path=os.path.relpath(path, self.folder)))

    # --- accumulation --------------------------------------------------------
    def accumulate(self, ra: list[Resource]) -> list[Resource]:
        self._fleet_chart_output()
        self._custom_schema()
        for name, what in NOT_BUILT_FIELDS.items():
            if self.data.get(name):
                self.hit(RULE_NOT_BUILT, self.at(name, where="key"), _("{what}: not built by k8slint; the objects checked may differ from kustomize's output").format(what=_(what)))
                if name in ADDS_OBJECTS:
                    self.missing(_("{name} of {file} is not built").format(name=name, file=os.path.relpath(self.file)))
        entries = [(p, ("resources", i)) for i, p in enumerate(self.field("resources", []))] + \
            [(p, ("bases", i)) for i, p in enumerate(self.field("bases", []))]
        for entry, path in entries:
            if isinstance(entry, str):
                self._resource(ra, entry, self.at(*path))
        self._configurations()
        self._generate(ra)
        for index, entry in enumerate(self.field("components", [])):
            if isinstance(entry, str):
                ra = self._component(ra, entry, self.at("components", index))
        self._transform(ra)
        self._merge_vars(ra)
        return ra

    def _custom_schema(self) -> None:
        """Remember the schema file of `openapi: {path: ...}`, which kustomize loads into kyaml's
        openapi package for the rest of the build, the first one set winning (api/krusty
        kustomizer.go Run and api/internal/target kusttarget.go accumulateDirectory call
        openapi.SetSchema; kyaml/openapi SetSchema: "this should only be set once"). Strategic
        merges then take lists' merge keys (x-kubernetes-patch-merge-key) from it."""
        openapi = self.data.get("openapi")
        path = openapi.get("path") if isinstance(openapi, dict) else None
        if isinstance(path, str) and path and self.builder.custom_schema is None:
            self.builder.custom_schema = os.path.relpath(self.local(path))

    def _fleet_chart_output(self) -> None:
        """A kustomization that Fleet builds over a chart's rendered output (k8slint.kustomize.fleet):
        one info, and the build marked incomplete (the chart's objects are not rendered)."""
        if len(self.stack) != 1 or self.builder.given is not None:
            return
        shared = self.builder.shared
        bundle = fleet.chart_post_renderer(self.folder, shared.fleet_bundles, shared.realpath)
        if bundle is None:
            return
        self.hit(RULE_NOT_BUILT, (self.file, 1, 1), _("Fleet builds this kustomization over the output of the Helm chart that {bundle} names ({manifests} first in resources): the chart is not rendered, so a patch that matches nothing here is not decided").format(
            bundle=os.path.relpath(bundle), manifests=fleet.MANIFESTS_FILE))
        self.missing(_("the chart of {bundle} is not rendered").format(bundle=os.path.relpath(bundle)))

    def _merge_vars(self, ra: list[Resource]) -> None:
        """ResAccumulator.MergeVars with this kustomization's vars (k8slint.kustomize.variables)."""
        entries = self.field("vars", [])
        merged = list(self.config.vars)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            try:
                var = variables.read(entry, self.at("vars", index))
                variables.merge(var, ra, tuple(merged))
            except variables.VarError as exc:
                self.error(exc.at, str(exc))
                continue
            merged.append(var)
        self.config = self.config.with_vars(tuple(merged[len(self.config.vars):]))

    def _resource(self, ra: list[Resource], entry: str, at: Pos) -> None:
        path = self.local(entry)
        if listing.isfile(path):
            self.within_root(path, at, _("resource file"))
            loaded = self.builder.load_resources(path, at)
            self.append_all(ra, loaded, at)
        elif listing.isdir(path):
            built = self.builder.nested(path, at, self.stack)
            if built is not None:
                self.append_all(ra, built[0], at)
                clash = variables.clash(self.config.vars, built[1].vars)
                if clash is not None:
                    self.error(at, _("var '{name}' already encountered: kustomize build fails").format(name=clash.name))
                self.config = self.config.merged(built[1])
            else:
                self.missing(_("{entry} cannot be built").format(entry=entry))
        elif looks_remote(entry):
            self.hit(RULE_NOT_BUILT, at, _("remote resource {entry} is not fetched (k8slint never uses the network): its objects are not checked").format(entry=entry))
            self.missing(_("the remote resource {entry} is not fetched").format(entry=entry))
        elif not self.made_before_building(path, at, _("resource")):
            self.error(at, _("resource {entry} does not exist: kustomize build fails (no file or folder {path})").format(entry=entry, path=os.path.relpath(path)))
            self.missing(_("{entry} does not exist").format(entry=entry))

    def _component(self, ra: list[Resource], entry: str, at: Pos) -> list[Resource]:
        path = self.local(entry)
        if not listing.isdir(path):
            if looks_remote(entry):
                self.hit(RULE_NOT_BUILT, at, _("remote component {entry} is not fetched: not built").format(entry=entry))
            else:
                self.error(at, _("component {entry} is not a folder: kustomize build fails").format(entry=entry))
            self.missing(_("the component {entry} is not built").format(entry=entry))
            return ra
        sub = self.builder.target(path, at, self.stack, component=True)
        if sub is None:
            return ra
        sub.config = self.config            # a component works on its user's accumulator
        ra = sub.accumulate(ra)
        self.config = sub.config
        return ra

    def _configurations(self) -> None:
        """builtinconfig.MakeTransformerConfig: each file's field specs join the defaults."""
        for index, entry in enumerate(self.field("configurations", [])):
            if not isinstance(entry, str):
                continue
            at = self.at("configurations", index)
            if looks_remote(entry):
                self.hit(RULE_NOT_BUILT, at, _("remote configurations file {entry} is not fetched "
                                               "(k8slint never uses the network): its field specs are not used").format(entry=entry))
                self.missing(_("the configurations file {entry} is not fetched").format(entry=entry))
                continue
            path = self.local(entry)
            self.within_root(path, at, _("configurations file"))
            text = self.builder.read(path) if os.path.isfile(path) else None
            if not isinstance(text, str):
                self.error(at, _("configurations file {entry} cannot be read: kustomize build fails").format(entry=entry))
                continue
            try:
                self.config = self.config.merged(fieldspec.read_config(safe_yaml.load(text)))
            except (yaml.YAMLError, ValueError) as exc:
                self.error(at, _("configurations file {entry}: {error}: kustomize build fails").format(entry=entry, error=exc))

    def append_all(self, ra: list[Resource], new: list[Resource], at: Pos) -> None:
        """resmap AppendAll: an id already present is an error."""
        present = {_key(r.cur_id()): r for r in ra} if new else {}
        for res in new:
            cur = res.cur_id()
            clash = present.get(_key(cur))
            if clash is not None:
                first = f"{clash.file}:{clash.line}"
                self.error(at, _("{cur} is defined twice (first in {first}): kustomize build fails with 'may not add resource with an already registered id'").format(cur=cur.show(), first=first))
                continue
            ra.append(res)
            present[_key(cur)] = res

    # --- generators ----------------------------------------------------------
    def _generate(self, ra: list[Resource]) -> None:
        global_options = self.field("generatorOptions", {})
        for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for index, args in enumerate(self.field(key, [])):
                if not isinstance(args, dict):
                    continue
                try:
                    res = self._generated(kind, args, (key, index), global_options)
                    self._absorb(ra, res, self.at(key, index))
                except (BuildError, generators.GeneratorError) as exc:
                    where = exc.at if isinstance(exc, BuildError) else self.at(key, index)
                    self.error(where, f"{key}: {exc}")

    def _generated(self, kind: str, args: dict[Any, Any], path: tuple[Any, ...], global_options: Any) -> Resource:
        entry_at = self.at(*path)
        name = args.get("name")
        if not isinstance(name, str) or not name:
            raise BuildError(entry_at, _("a {kind} generator needs a name").format(kind=kind))
        pos = self.positions
        data: dict[str, Any] = {"apiVersion": "v1", "kind": kind}
        pos.mark(data, entry_at)
        meta: dict[str, Any] = {}
        pos.set(data, "metadata", meta, entry_at)
        pos.set(meta, "name", name, self.at(*path, "name", where="key"), self.at(*path, "name"))
        namespace = args.get("namespace")
        if isinstance(namespace, str) and namespace:
            pos.set(meta, "namespace", namespace, self.at(*path, "namespace", where="key"),
                    self.at(*path, "namespace"))
        if kind == "Secret":
            secret_type = args.get("type") or "Opaque"
            type_at = self.at(*path, "type") if args.get("type") else entry_at
            pos.set(data, "type", str(secret_type), type_at)
        self._put_data(data, kind, name, self._pairs(args, path, kind), entry_at)
        options = _merge_options(args.get("options"), global_options)
        option_path = path + ("options",) if isinstance(args.get("options"), dict) else ("generatorOptions",)
        for field in ("labels", "annotations"):
            values = options.get(field)
            if isinstance(values, dict) and values:
                target = meta.setdefault(field, {})
                pos.ensure(target, self.at(*option_path, field))
                for k in sorted(values, key=str):
                    pos.set(target, k, str(values[k]), self.at(*option_path, field, k, where="key"),
                            self.at(*option_path, field, k))
        if options.get("immutable"):
            pos.set(data, "immutable", True, self.at(*option_path, "immutable"))
        res = Resource(data, entry_at, self.file, entry_at[1])
        res.needs_hash = not options.get("disableNameSuffixHash")
        behavior = args.get("behavior") or ""
        if behavior not in ("", "create", "merge", "replace"):
            # api/types/generationbehavior.go NewGenerationBehavior: any other word is
            # BehaviorUnspecified, which resource accumulation treats as create
            self.hit(RULE_ERROR, self.at(*path, "behavior"), _(
                "behavior {behavior!r} is not create, merge or replace: kustomize treats it as "
                "create, so this generator adds an object and merges into none").format(behavior=behavior),
                Severity.WARNING)
            behavior = ""
        res.behavior = str(behavior)
        return res

    def _put_data(self, data: dict[str, Any], kind: str, name: str,
                  pairs: list[tuple[str, str | bytes, Pos]], entry_at: Pos) -> None:
        """The generated object's data (and binaryData) from its key/value pairs: keys
        checked and unique, sorted; a Secret's values and a ConfigMap's non-UTF-8 ones
        base64-encoded."""
        pos = self.positions
        seen: set[str] = set()
        for key, __, at in pairs:
            generators.check_key(key, f"{kind} {name}")
            if key in seen:
                raise BuildError(at, _("{kind} {name} repeats the key {key!r}").format(kind=kind, name=name, key=key))
            seen.add(key)
        text_data: dict[str, Any] = {}
        binary_data: dict[str, Any] = {}
        text_at: dict[str, Pos] = {}
        for key, value, at in sorted(pairs, key=lambda p: p[0]):
            if kind == "Secret":
                text_data[key] = generators.encode_base64(value)
            elif isinstance(value, str):
                text_data[key] = value
            else:
                binary_data[key] = generators.encode_base64(value)
            text_at[key] = at
        if text_data or kind == "Secret":
            data_map: dict[str, Any] = {}
            pos.set(data, "data", data_map, entry_at)
            for key, value in text_data.items():
                pos.set(data_map, key, value, text_at[key])
        if binary_data:
            binary_map: dict[str, Any] = {}
            pos.set(data, "binaryData", binary_map, entry_at)
            for key, value in binary_data.items():
                pos.set(binary_map, key, value, text_at[key])

    def _pairs(self, args: dict[Any, Any], path: tuple[Any, ...], kind: str) -> list[tuple[str, str | bytes, Pos]]:
        """kv.go Load: env files, then literals, then files."""
        pairs: list[tuple[str, str | bytes, Pos]] = []
        envs = list(args.get("envs") or [])
        env_paths = [(e, (*path, "envs", i)) for i, e in enumerate(envs)]
        if args.get("env"):
            env_paths.append((args["env"], (*path, "env")))
        for env, where in env_paths:
            at = self.at(*where)
            if self._remote_input(str(env), at):
                continue
            file = self.local(str(env))
            text = self._read(file, at, _("env file"))
            if text is None:
                continue
            if isinstance(text, bytes):
                raise BuildError(at, _("env file {env} is not UTF-8 text").format(env=env))
            try:
                for key, value, line in generators.parse_env(text):
                    pairs.append((key, value, (file, line, 1)))
            except generators.GeneratorError as exc:
                raise BuildError(at, _("env file {env}: {exc}").format(env=env, exc=exc)) from None
        for index, literal in enumerate(args.get("literals") or []):
            at = self.at(*path, "literals", index)
            try:
                key, value = generators.parse_literal(str(literal))
            except generators.GeneratorError as exc:
                raise BuildError(at, str(exc)) from None
            pairs.append((key, value, at))
        for index, source in enumerate(args.get("files") or []):
            at = self.at(*path, "files", index)
            try:
                key, file_path = generators.parse_file_source(str(source))
            except generators.GeneratorError as exc:
                raise BuildError(at, str(exc)) from None
            if self._remote_input(file_path, at):
                continue
            content = self._read(self.local(file_path), at, _("file"))
            if content is not None:
                pairs.append((key, content, at))
        return pairs

    def _remote_input(self, path: str, at: Pos) -> bool:
        """A generator input that is an http(s) URL: kv.go reads it with the loader's Load,
        which fetches it (api/internal/loader/fileloader.go: IsRemoteFile, then
        httpClientGetContent). k8slint never uses the network: one info, what it holds left
        out, and the build marked incomplete."""
        if urllib.parse.urlsplit(path).scheme not in ("http", "https"):
            return False
        self.hit(RULE_NOT_BUILT, at, _("remote generator input {path} is not fetched (k8slint never uses the "
                                       "network): what it holds is not checked").format(path=path))
        self.missing(_("the remote generator input {path} is not fetched").format(path=path))
        return True

    def _read(self, file: str, at: Pos, what: str) -> str | bytes | None:
        """A generator input; None when git ignores it and it is missing (made before building)."""
        self.within_root(file, at, what)
        content = self.builder.read(file)
        if content is None and self.made_before_building(file, at, what):
            return None
        if content is None:
            raise BuildError(at, _("{what} {file} cannot be read: kustomize build fails").format(what=what, file=os.path.relpath(file)))
        return content

    def _absorb(self, ra: list[Resource], res: Resource, at: Pos) -> None:
        """reswrangler.go appendReplaceOrMerge."""
        cur = res.cur_id()
        matches = [r for r in ra if r.known_as(cur.name) and any(i.equals(cur) for i in r.any_ids())]
        if not matches:
            if res.behavior in ("merge", "replace") and self.builder.incomplete:
                # the object to merge into may be among those k8slint did not build (a remote
                # resource): kept as generated, as a patch on an incomplete build is
                self.hit(RULE_NOT_BUILT, at, _("{cur} to {behavior} is not among the objects k8slint built, but the "
                                               "build is incomplete ({incomplete}): not decided").format(
                    cur=cur.show(), behavior=res.behavior, incomplete=self.builder.incomplete))
                self.append_all(ra, [res], at)
                return
            if res.behavior in ("merge", "replace"):
                raise BuildError(at, _("{cur} does not exist: cannot {behavior} it").format(cur=cur.show(), behavior=res.behavior))
            self.append_all(ra, [res], at)
            return
        if len(matches) > 1:
            raise BuildError(at, _("several objects could take the merge of {cur}").format(cur=cur.show()))
        old = matches[0]
        if res.behavior not in ("merge", "replace"):
            raise BuildError(at, _("{cur} exists already: behavior must be merge or replace (it is {value})").format(cur=cur.show(), value=res.behavior or 'create'))
        self._copy_merge_metadata(res, old)
        if res.behavior == "merge":
            for field in ("data", "binaryData"):
                old_map = old.data.get(field)
                if not isinstance(old_map, dict) or not old_map:
                    continue
                new_map = res.data.get(field)
                if not isinstance(new_map, dict):
                    new_map = {}
                    self.positions.set(res.data, field, new_map, at)
                for key in old_map:
                    if key not in new_map:
                        self.positions.move(new_map, key, old_map[key], self.positions.key(old_map, key, at))
        ra[ra.index(old)] = res

    def _copy_merge_metadata(self, res: Resource, old: Resource) -> None:
        """resource.go CopyMergeMetaDataFieldsFrom: labels and annotations merged (the new
        ones win), the old name, namespace and build bookkeeping kept."""
        pos = self.positions
        meta = res.data.setdefault("metadata", {})
        for field in ("labels", "annotations"):
            old_values = old.metadata.get(field)
            if not isinstance(old_values, dict) or not old_values:
                continue
            new_values = meta.get(field)
            if not isinstance(new_values, dict):
                new_values = {}
                pos.move(meta, field, new_values, pos.key(old.metadata, field, old.origin))
            for key, value in old_values.items():
                if key not in new_values:
                    pos.move(new_values, key, value, pos.key(old_values, key, old.origin))
        pos.move(meta, "name", old.name, pos.key(old.metadata, "name", old.origin))
        if old.namespace:
            pos.move(meta, "namespace", old.namespace, pos.key(old.metadata, "namespace", old.origin))
        else:
            pos.delete(meta, "namespace")
        res.prev = list(old.prev)
        res.prefixes = list(old.prefixes)
        res.suffixes = list(old.suffixes)
        res.ref_vars = list(old.ref_vars)       # copyKustomizeSpecificFields
        # mergeStringMapsWithBuildAnnotations keeps the old object's build annotations, and
        # the hash flag only if the new one has it too.
        res.needs_hash = old.needs_hash and res.needs_hash

    # --- transformers --------------------------------------------------------
    def _transform(self, ra: list[Resource]) -> None:
        self.builder.transform(self, ra)


def _key(rid: ResId) -> tuple[Gvk, str, str]:
    """What ResId.equals compares."""
    return (rid.gvk, rid.name, rid.effective_namespace)


def _merge_options(local: Any, global_options: Any) -> dict[str, Any]:
    """types/generatoroptions.go MergeGlobalOptionsIntoLocal."""
    out: dict[str, Any] = dict(local) if isinstance(local, dict) else {}
    if not isinstance(global_options, dict):
        return out
    for field in ("labels", "annotations"):
        merged = dict(out.get(field) or {})
        for key, value in (global_options.get(field) or {}).items():
            merged.setdefault(key, value)
        if merged:
            out[field] = merged
    for flag in ("disableNameSuffixHash", "immutable"):
        if global_options.get(flag):
            out[flag] = True
    return out


def read_documents(name: str, text: str, positions: Positions) -> tuple[list[tuple[Any, Pos]], list[Hit]]:
    """Parse a text; every document with its position, positions recorded."""
    documents, hits = parse_text(name, text)
    out = []
    for doc in documents:
        positions.adopt(doc)
        out.append((doc.data, (name, doc.line, 1)))
    return out, hits


def decode_file(path: str, raw: bytes) -> str | None:
    text, _problem = decode(path, raw)
    return text



