"""The built-in transformers of one kustomization, in kustomize's order
(api/internal/target/kusttarget_configplugin.go configureBuiltinTransformers):
patchesStrategicMerge, patches, namespace, namePrefix, nameSuffix, labels and commonLabels,
commonAnnotations, patchesJson6902, replicas, images, replacements."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any, Callable, cast

from ..i18n import _
from . import fieldspec, jsonpatch, labelselector, smp
from .positions import Pos
from .resource import Resource
from .target import RULE_NOT_BUILT, RULE_UNMATCHED, BuildError, looks_remote

if TYPE_CHECKING:
    from .target import Target

PREFIX_SKIP = (("", "CustomResourceDefinition"), ("apiregistration.k8s.io", "APIService"), ("", "Namespace"))
_PREFIX_SKIP_GROUP = {kind: group for group, kind in PREFIX_SKIP}     # kind -> group ("": any)
_IMAGE_TAIL = r"(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$"


class Patch:
    """A loaded patch: its documents (plain data with positions) and where it was written."""

    def __init__(self, docs: list[tuple[Any, Pos]], source: str, at: Pos) -> None:
        self.docs = docs
        self.source = source      # "file.yaml" or "an inline patch"
        self.at = at              # the kustomization line naming it


class Transformers:
    def __init__(self, target: Target) -> None:
        self.t = target
        self.positions = target.positions

    def run(self, ra: list[Resource]) -> None:
        steps: list[Callable[[list[Resource]], None]] = [
            self.patches_strategic_merge, self.patches, self.namespace, self.prefix_suffix,
            self.labels, self.annotations, self.patches_json6902, self.replicas, self.images,
            self.replacements, self.configured]
        for step in steps:
            step(ra)

    def _guard(self, at: Pos, action: Callable[[], None]) -> None:
        try:
            action()
        except BuildError as exc:
            self.t.error(exc.at, exc.message)
        except (smp.MergeError, jsonpatch.PatchError) as exc:
            schema = self.t.builder.custom_schema
            if schema is None:
                self.t.error(at, _("{exc}: kustomize build fails").format(exc=exc))
                return
            # The strategic merges before it took lists' merge keys from that schema, which
            # k8slint does not read: where kustomize merged a list by key, k8slint replaced it.
            self.t.hit(RULE_NOT_BUILT, at, _("{exc} in what k8slint built, but the build merges by the custom schema {schema} (openapi), which k8slint does not read: a list kustomize merges by key is replaced here; not decided").format(exc=exc, schema=schema))
        except (labelselector.SelectorError, re.error) as exc:
            self.t.error(at, _("{exc}: kustomize build fails").format(exc=exc))

    # --- loading patches -----------------------------------------------------
    def load_patch(self, entry: dict[Any, Any] | str, path: tuple[Any, ...], inline_key: str = "patch") -> Patch | None:
        t = self.t
        at = t.at(*path)
        text: Any
        if isinstance(entry, str):
            text, file_path = entry, None
        else:
            file_path = entry.get("path")
            text = entry.get(inline_key)
            if file_path and text:
                t.error(at, _("a patch has both path and patch: kustomize build fails"))
                return None
            if not file_path and not (isinstance(text, str) and text.strip()):
                t.error(at, _("a patch needs a path or a patch: kustomize build fails"))
                return None
        if file_path and looks_remote(str(file_path)):
            # api/loader fileloader.go Load: a URL is fetched over HTTP (examples/loadHttp)
            t.hit(RULE_NOT_BUILT, t.at(*path, "path"), _("remote patch {file_path} is not fetched (k8slint never uses the network): the build goes on without it").format(file_path=file_path))
            t.missing(_("the remote patch {file_path} is not fetched").format(file_path=file_path))
            return None
        if file_path:
            full = t.local(str(file_path))
            file_at = t.at(*path, "path")
            t.within_root(full, file_at, _("patch file"))
            docs = t.builder.load_documents(full, file_at, patch=True)
            if docs is None:
                if not t.made_before_building(full, file_at, _("patch file")):
                    t.error(file_at, _("patch file {file_path} does not exist: kustomize build fails").format(file_path=file_path))
                return None
            return Patch(docs, str(file_path), file_at)
        value_path = path if isinstance(entry, str) else (*path, inline_key)
        docs = t.builder.inline_documents(t, str(text), value_path)
        return Patch(docs, _("an inline patch"), t.at(*value_path))

    # --- strategic merge and JSON patches --------------------------------------
    def patches_strategic_merge(self, ra: list[Resource]) -> None:
        for index, entry in enumerate(self.t.field("patchesStrategicMerge", [])):
            if isinstance(entry, str):
                self._strategic_merge(ra, entry, ("patchesStrategicMerge", index))

    def _strategic_merge(self, ra: list[Resource], entry: str, path: tuple[Any, ...]) -> None:
        patch = self.load_patch(entry if _looks_inline(entry) else {"path": entry}, path)
        if patch is None:
            return
        for doc, doc_at in patch.docs:
            self._guard(doc_at, partial(self._smp_by_id, ra, doc, doc_at, patch))

    def patches(self, ra: list[Resource]) -> None:
        for index, entry in enumerate(self.t.field("patches", [])):
            if isinstance(entry, str):          # kustomize 3-4 (a warning): patchesStrategicMerge
                self._strategic_merge(ra, entry, ("patches", index))
            elif isinstance(entry, dict):
                path = ("patches", index)
                self._guard(self.t.at(*path), partial(self._patch_entry, ra, entry, path, True))

    def patches_json6902(self, ra: list[Resource]) -> None:
        for index, entry in enumerate(self.t.field("patchesJson6902", [])):
            if isinstance(entry, dict):
                path = ("patchesJson6902", index)
                self._guard(self.t.at(*path), partial(self._patch_entry, ra, entry, path, False))

    def _patch_entry(self, ra: list[Resource], entry: dict[Any, Any], path: tuple[Any, ...], general: bool) -> None:
        t = self.t
        target = entry.get("target")
        if not general and (not isinstance(target, dict) or not target.get("name")):
            raise BuildError(t.at(*path), _("a patchesJson6902 entry needs target.name: kustomize build fails"))
        patch = self.load_patch(entry, path)
        if patch is None or not patch.docs:
            return
        options = entry.get("options") if isinstance(entry.get("options"), dict) else {}
        is_json = isinstance(patch.docs[0][0], list)
        if not general and not is_json:
            raise BuildError(patch.at, _("a patchesJson6902 patch must be a list of operations"))
        if is_json:
            if len(patch.docs) != 1:
                raise BuildError(patch.at, _("a JSON patch must be one list of operations"))
            if not isinstance(target, dict):
                raise BuildError(t.at(*path), _("a JSON patch ({source}) needs a target: kustomize build fails").format(source=patch.source))
            selected = self._select(ra, target, t.at(*path, "target", where="key"), patch)
            ops, ops_at = patch.docs[0]
            positions = [self.positions.item(ops, i, ops_at) for i in range(len(ops))]
            for res in selected:
                held = general and self._hold_annotations(res, ops_at)
                if general:
                    res.store_previous_id()
                before = self._snapshot(res)
                try:
                    jsonpatch.apply(self.positions, res.data, ops, positions)
                finally:
                    if held and res.metadata.get("annotations") == {}:
                        self.positions.delete(res.metadata, "annotations")
                self._record_overrides(res, before, patch)
            return
        docs = [(d, a) for d, a in patch.docs if d is not None]
        for doc, __ in docs:
            if not isinstance(doc, dict):
                raise BuildError(patch.at, _("{source} is neither a strategic-merge patch nor a JSON patch").format(source=patch.source))
        if isinstance(target, dict):
            if len(docs) > 1:
                raise BuildError(patch.at, _("several strategic-merge patches in one entry cannot have a target: kustomize build fails"))
            selected = self._select(ra, target, t.at(*path, "target", where="key"), patch)
            for res in selected:
                self._apply_smp(ra, res, docs[0][0], patch, options)
            return
        for doc, doc_at in docs:
            self._smp_by_id(ra, doc, doc_at, patch, options)

    def _smp_by_id(self, ra: list[Resource], doc: Any, doc_at: Pos, patch: Patch,
                   options: dict[Any, Any] | None = None) -> None:
        if doc is None:
            return
        if not isinstance(doc, dict):
            raise BuildError(doc_at, _("{source}: a strategic-merge patch must be a mapping").format(source=patch.source))
        probe = Resource(doc, doc_at, doc_at[0], doc_at[1])
        wanted = probe.cur_id()
        if not wanted.gvk.kind:
            raise BuildError(doc_at, _("{source}: the patch has no kind: kustomize cannot tell which object it patches").format(source=patch.source))
        matches = [r for r in ra if r.known_as(wanted.name) and any(i.equals(wanted) for i in r.any_ids())]
        name_at = self.positions.locate(doc, ("metadata", "name"), "value") or doc_at
        if not matches and self.t.builder.incomplete:
            self.t.hit(RULE_NOT_BUILT, name_at, _("strategic-merge patch for {wanted} ({source}) matches nothing k8slint built, but the build is incomplete ({incomplete}): not decided").format(wanted=wanted.show(), source=patch.source, incomplete=self.t.builder.incomplete))
            return
        if not matches:
            near = [r for r in ra if r.kind == wanted.gvk.kind and r.name == wanted.name]
            hint = ""
            if near:
                other = near[0].cur_id()
                if other.gvk != wanted.gvk:
                    hint = _(" (there is {api_version} {kind}/{name}: the apiVersion must match too)").format(
                        api_version=other.gvk.api_version, kind=other.gvk.kind, name=other.name)
                else:
                    hint = _(" (there is one in namespace {namespace})").format(namespace=other.namespace or 'default')
            raise BuildError(name_at, _("strategic-merge patch for {wanted} ({source}) matches no resource: kustomize build fails{hint}").format(wanted=wanted.show(), source=patch.source, hint=hint))
        if len(matches) > 1:
            raise BuildError(name_at, _("strategic-merge patch for {wanted} matches {matches} resources: kustomize build fails").format(wanted=wanted.show(), matches=len(matches)))
        self._apply_smp(ra, matches[0], doc, patch, options or {})

    def _apply_smp(self, ra: list[Resource], res: Resource, doc: Any, patch: Patch, options: Any) -> None:
        """reswrangler ApplySmPatch + resource.go ApplySmPatch: the patch takes the target's
        apiVersion; name, kind and namespace stay unless the options allow a change."""
        pos = self.positions
        copy = pos.copy(doc)
        copy["apiVersion"] = res.data.get("apiVersion")
        allow_name = bool(options.get("allowNameChange"))
        allow_kind = bool(options.get("allowKindChange"))
        if allow_name or allow_kind:
            res.store_previous_id()
        meta = res.metadata
        kept = {k: (meta[k], pos.key(meta, k, res.origin)) for k in ("name", "namespace") if k in meta}
        kind = (res.data.get("kind"), pos.key(res.data, "kind", res.origin))
        api = smp.root_definition(str(res.data.get("apiVersion")), str(res.data.get("kind")))
        before = self._snapshot(res)
        merged = smp.merge_object(pos, res.data, copy, api)
        if merged is None or not merged:
            ra.remove(res)
            return
        if not allow_kind:
            pos.move(res.data, "kind", kind[0], kind[1])
        meta = res.data.setdefault("metadata", {})
        if not isinstance(meta, dict):
            return
        if not allow_name and "name" in kept:
            pos.move(meta, "name", kept["name"][0], kept["name"][1])
        if "namespace" in kept:
            pos.move(meta, "namespace", kept["namespace"][0], kept["namespace"][1])
        else:
            pos.delete(meta, "namespace")
        self._record_overrides(res, before, patch)

    def _hold_annotations(self, res: Resource, at: Pos) -> bool:
        """Give an object without annotations an empty map for a JSON patch of `patches`.

        api/internal/builtins/PatchTransformer.go transformJson6902 calls StorePreviousId
        first, which writes the internal.config.kubernetes.io/previous* annotations, so
        /metadata/annotations exists when the operations run (an `add` of
        /metadata/annotations/<key> succeeds) and is dropped again on output when only
        internal annotations remain. patchesJson6902 (PatchJson6902Transformer) does not.
        """
        meta = res.data.get("metadata")
        if not isinstance(meta, dict) or meta.get("annotations") is not None:
            return False
        self.positions.set(meta, "annotations", {}, at)
        return True

    def _snapshot(self, res: Resource) -> dict[Any, Any]:
        """(file, line) of every node of the object before a patch, by path."""
        return self.t.builder.snapshot(res.data)

    def _record_overrides(self, res: Resource, before: dict[Any, Any], patch: Patch) -> None:
        self.t.builder.record_overrides(res, before, patch.at, self.t)

    def _select(self, ra: list[Resource], target: dict[Any, Any], at: Pos, patch: Patch) -> list[Resource]:
        """reswrangler.go Select: group/version/kind/name/namespace are anchored regular
        expressions matched against the original and the current id; labelSelector and
        annotationSelector are label selectors."""
        def rx(name: str) -> re.Pattern[str] | None:
            value = target.get(name)
            return re.compile(f"^(?:{value})$") if value else None

        group, version, kind, name, namespace = (rx(n) for n in ("group", "version", "kind", "name", "namespace"))
        labels = labelselector.parse(str(target["labelSelector"])) if target.get("labelSelector") else None
        notes = labelselector.parse(str(target["annotationSelector"])) if target.get("annotationSelector") else None
        out = []
        for res in ra:
            cur, org = res.cur_id(), res.org_id()
            if namespace and not (namespace.match(org.effective_namespace) or namespace.match(cur.effective_namespace)):
                continue
            if name and not (name.match(org.name) or name.match(cur.name)):
                continue
            gvk = res.gvk
            if (group and not group.match(gvk.group)) or (version and not version.match(gvk.version)) \
                    or (kind and not kind.match(gvk.kind)):
                continue
            if labels is not None and not labels(_strings(res.labels())):
                continue
            if notes is not None and not notes(_strings(res.annotations())):
                continue
            out.append(res)
        if out:
            self.t.builder.matched_targets.add(at)
        elif self.t.builder.incomplete:
            self.t.hit(RULE_NOT_BUILT, at, _("patch target matches nothing k8slint built ({source}), but the build is incomplete ({incomplete}): not decided").format(source=patch.source, incomplete=self.t.builder.incomplete))
        else:
            shown = ", ".join(f"{k}: {v}" for k, v in target.items())
            self.t.hit(RULE_UNMATCHED, at, _("patch target {{{shown}}} matches no resource: the patch ({source}) does nothing (kustomize builds without it, silently)").format(shown=shown, source=patch.source))
        return out

    # --- namespace, names, labels, annotations -------------------------------
    def namespace(self, ra: list[Resource]) -> None:
        """builtins/NamespaceTransformer.go with filters/namespace/namespace.go."""
        namespace = self.t.field("namespace")
        if not isinstance(namespace, str) or not namespace:
            return
        at = self.t.at("namespace")
        pos = self.positions
        specs = self.t.config.of("namespace")

        def set_value(container: Any, key: Any) -> None:
            pos.set(container, key, namespace, pos.key(container, key, at)[0] if key in container else at, at)

        for res in ra:
            if not res.data:
                continue
            res.store_previous_id()
            gvk = res.gvk
            if not gvk.cluster_scoped:
                meta = res.data.get("metadata")
                if meta is None:
                    meta = {}
                    pos.set(res.data, "metadata", meta, at)
                if isinstance(meta, dict):
                    set_value(meta, "namespace")
            if res.kind in ("RoleBinding", "ClusterRoleBinding"):
                subjects = res.data.get("subjects")
                for subject in subjects if isinstance(subjects, list) else ():
                    if isinstance(subject, dict) and subject.get("name") == "default":
                        set_value(subject, "namespace")
            for spec in _applicable(specs, gvk):
                if spec.text == "metadata/name" and gvk.api_version != "v1":
                    continue
                fieldspec.walk(pos, res.data, spec, set_value, "scalar", at)
        seen: set[tuple[Any, ...]] = set()
        for cur in (r.cur_id() for r in ra):
            key = (cur.gvk, cur.name, cur.effective_namespace)          # what ResId.equals compares
            if key not in seen:
                seen.add(key)
            else:
                self.t.error(at, _("namespace {namespace} makes two objects {cur}: kustomize build fails (namespace transformation produces ID conflict)").format(namespace=namespace, cur=cur.show()))

    def prefix_suffix(self, ra: list[Resource]) -> None:
        """namePrefix and nameSuffix: kusttarget_configplugin.go runs PrefixTransformer and
        SuffixTransformer with the configuration's namePrefix and nameSuffix field specs."""
        for field, add_front in (("namePrefix", True), ("nameSuffix", False)):
            affix = self.t.field(field)
            if isinstance(affix, str) and affix:
                self._affix(ra, affix, self.t.config.of(field), add_front, self.t.at(field))

    def _affix(self, ra: list[Resource], affix: str, specs: Sequence[fieldspec.FieldSpec], add_front: bool,
               at: Pos) -> None:
        """builtins/PrefixTransformer.go (SuffixTransformer.go) Transform with filters/prefix:
        `affix` before (after) every scalar the field specs name, on each object whose
        original kind is not skipped; at metadata/name the object records the affix (name
        references follow it) and its previous id. An empty affix changes nothing."""
        if not affix:
            return
        pos = self.positions

        def put(container: Any, key: Any) -> None:
            value = container[key]
            if value is None or value.__class__ is dict or value.__class__ is list:
                return
            text = value if isinstance(value, str) else _go_text(value)
            pos.set(container, key, affix + text if add_front else text + affix, pos.key(container, key, at)[0], at)

        for res in ra:
            org = res.org_gvk()
            skip = _PREFIX_SKIP_GROUP.get(org.kind)         # Gvk.selected_by of each PREFIX_SKIP entry
            if skip is not None and (not skip or skip == org.group):
                continue
            for spec in specs:
                if not org.selected_by(spec.group, spec.version, spec.kind):
                    continue
                if spec.text == "metadata/name" and affix:
                    # resource.go appendCsvAnnotation keeps no empty affix
                    (res.prefixes if add_front else res.suffixes).append(affix)
                    res.store_previous_id()
                fieldspec.walk(pos, res.data, spec, put, "scalar", at)

    def _put_entries(self, ra: list[Resource], values: dict[Any, Any], specs: Sequence[fieldspec.FieldSpec],
                     where: Callable[[str], tuple[Pos, Pos]]) -> None:
        """filters/labels (and annotations): each key, in sorted order, at each field spec."""
        pos = self.positions
        applicable = [(res, _applicable(specs, res.gvk)) for res in ra]
        for key in sorted(values, key=str):
            value = values[key]
            text = value if isinstance(value, str) else ("" if value is None else _go_text(value))
            key_at, value_at = where(key)

            def put(container: Any, field: Any, k: str = str(key), v: str = text,
                    k_at: Pos = key_at, v_at: Pos = value_at) -> None:
                target = container[field]
                if target is None:
                    target = {}
                    pos.set(container, field, target, k_at)
                if isinstance(target, dict):
                    pos.set(target, k, v, k_at, v_at)

            for res, mine in applicable:
                for spec in mine:
                    fieldspec.walk(pos, res.data, spec, put, "map", key_at)

    def labels(self, ra: list[Resource]) -> None:
        t = self.t
        for index, entry in enumerate(t.field("labels", [])):
            if not isinstance(entry, dict) or not isinstance(entry.get("pairs"), dict):
                continue
            specs = tuple(fieldspec.make(f) for f in entry.get("fields") or [] if isinstance(f, dict))
            if entry.get("includeSelectors"):
                specs = fieldspec.merge(specs, self.t.config.of("commonLabels"))
            else:
                if entry.get("includeTemplates"):
                    specs = fieldspec.merge(specs, self.t.config.of("templateLabels"))
                if entry.get("includeVolumeClaimTemplates"):
                    specs = fieldspec.merge(specs, self.t.config.of("volumeClaimTemplateLabels"))
                specs = fieldspec.merge(specs, (fieldspec.make({"path": "metadata/labels", "create": True}),))
            self._put_entries(ra, entry["pairs"], specs,
                              partial(_label_at, t, index))
        common = t.field("commonLabels", {})
        if isinstance(common, dict) and common:
            self._put_entries(ra, common, self.t.config.of("commonLabels"),
                              lambda k: (t.at("commonLabels", k, where="key"), t.at("commonLabels", k)))

    def annotations(self, ra: list[Resource]) -> None:
        t = self.t
        common = t.field("commonAnnotations", {})
        if isinstance(common, dict) and common:
            self._put_entries(ra, common, self.t.config.of("commonAnnotations"),
                              lambda k: (t.at("commonAnnotations", k, where="key"),
                                         t.at("commonAnnotations", k)))

    # --- replicas and images -------------------------------------------------
    def replicas(self, ra: list[Resource]) -> None:
        """builtins/ReplicaCountTransformer.go: a name no resource has fails the build."""
        t = self.t
        pos = self.positions
        for index, entry in enumerate(t.field("replicas", [])):
            if not isinstance(entry, dict):
                continue
            name, count = entry.get("name"), entry.get("count")
            at = t.at("replicas", index, "count") if "count" in entry else t.at("replicas", index)
            if not isinstance(count, int) or isinstance(count, bool):
                try:
                    count = int(str(count))
                except ValueError:
                    t.error(at, _("replicas count {count!r} is not a number: kustomize build fails").format(count=count))
                    continue
            found = False
            specs = self.t.config.of("replicas")
            # the kinds the field specs select (None: one selects any kind), to pass over
            # the other objects of that name without making their ids
            kinds = None if any(not spec.kind for spec in specs) else {spec.kind for spec in specs}
            for res in ra:
                if not res.known_as(name):
                    continue                    # said without making ids (most objects)
                if kinds is not None and res.kind not in kinds and not any(prev[0] in kinds for prev in res.prev):
                    continue
                named = [i.gvk for i in res.any_ids() if i.name == name]
                if not named:
                    continue
                for spec in specs:
                    if any(gvk.selected_by(spec.group, spec.version, spec.kind) for gvk in named):
                        found = True
                        fieldspec.apply(pos, res.data, spec, partial(_set_count, pos, count, at), "scalar", at)
            if not found and t.builder.incomplete:
                t.hit(RULE_NOT_BUILT, t.at("replicas", index, "name"), _("replicas: {name} is not among the objects k8slint built ({incomplete}): not decided").format(name=name, incomplete=t.builder.incomplete))
            elif not found:
                t.error(t.at("replicas", index, "name"), _("replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet is named {name}: kustomize build fails").format(name=name))

    def images(self, ra: list[Resource]) -> None:
        """builtins/ImageTagTransformer.go: containers anywhere (the legacy filter), then
        the images field specs."""
        t = self.t
        updaters: list[_ImageUpdater] = []
        for index, entry in enumerate(t.field("images", []) + t.field("imageTags", [])):
            if not isinstance(entry, dict) or not entry.get("name"):
                continue
            key = "images" if index < len(t.field("images", [])) else "imageTags"
            local = index if key == "images" else index - len(t.field("images", []))
            value_field = next((f for f in ("newTag", "digest", "newName", "tagSuffix") if entry.get(f)), "name")
            at = t.at(key, local, value_field)
            matches = image_matcher(str(entry["name"]))
            if matches is None:
                continue
            updaters.append(_ImageUpdater(self.positions, entry, matches, at))
        if not updaters:
            return
        # Each entry in turn on each object, as kustomize runs one transformer per entry:
        # entries change only image strings, so an object's container lists and field
        # specs are found once for all entries.
        specs = self.t.config.of("images")
        for res in ra:
            if res.kind == "CustomResourceDefinition":
                continue
            lists = _container_lists(res.data)
            mine = _applicable(specs, res.gvk)
            for updater in updaters:
                for items in lists:
                    updater.containers(items)
                for spec in mine:
                    fieldspec.walk(self.positions, res.data, spec, updater.field, None, updater.at)

    # --- `transformers:` with built-in transformer configurations -------------
    def configured(self, ra: list[Resource]) -> None:
        """kusttarget.go configureExternalTransformers, after the built-in ones: a file (or
        inline YAML) configuring a built-in LabelTransformer, AnnotationsTransformer,
        PrefixTransformer, SuffixTransformer, PrefixSuffixTransformer or PatchTransformer
        is applied as configured; anything else is a plugin and is not run."""
        t = self.t
        for index, entry in enumerate(t.field("transformers", [])):
            at = t.at("transformers", index)
            if not isinstance(entry, str):
                continue
            if "\n" in entry.strip() or entry.strip().startswith("{"):
                docs = t.builder.inline_documents(t, entry, ("transformers", index))
            else:
                full = t.local(entry)
                if not os.path.isfile(full):
                    t.hit(RULE_NOT_BUILT, at, _("transformer {entry} (a plugin folder or a remote resource) is not run: not built").format(entry=entry))
                    continue
                t.within_root(full, at, _("transformer configuration"))
                docs = t.builder.load_documents(full, at, patch=True) or []
            for doc, doc_at in docs:
                self._configured_one(ra, doc, doc_at, at)

    def _configured_one(self, ra: list[Resource], doc: Any, doc_at: Pos, at: Pos) -> None:
        kind = doc.get("kind") if isinstance(doc, dict) else None
        if isinstance(doc, dict) and doc.get("apiVersion") == "builtin" and kind in _AFFIX_TRANSFORMERS:
            self._configured_affix(ra, doc, doc_at, str(kind))
            return
        if isinstance(doc, dict) and doc.get("apiVersion") == "builtin" and kind == "PatchTransformer":
            # builtins/PatchTransformer.go: what a `patches:` entry configures, written in a
            # file of its own; its fields are located in that file
            configured = Transformers(cast("Target", _ConfigView(self.t, doc, doc_at)))
            configured._guard(doc_at, partial(configured._patch_entry, ra, doc, (), True))
            return
        field = {"LabelTransformer": "labels", "AnnotationsTransformer": "annotations"}.get(str(kind))
        if not isinstance(doc, dict) or doc.get("apiVersion") != "builtin" or field is None:
            self.t.hit(RULE_NOT_BUILT, doc_at, _("transformer {value} is a plugin (or a built-in transformer k8slint does not configure): not run, not built").format(value=kind or '?'))
            return
        values = doc.get(field)
        specs = [fieldspec.make(s) for s in doc.get("fieldSpecs") or [] if isinstance(s, dict)]
        if not isinstance(values, dict) or not values or not specs:
            return
        pos = self.positions
        self._put_entries(ra, values, specs,
                          lambda k: (pos.key(values, k, doc_at)[0], pos.value(values, k, doc_at)))

    def _configured_affix(self, ra: list[Resource], doc: dict[Any, Any], doc_at: Pos, kind: str) -> None:
        """A configured PrefixTransformer, SuffixTransformer or PrefixSuffixTransformer
        (builtinhelpers/builtins.go: the last runs the first two with the same configuration)."""
        specs = doc.get("fieldSpecs")
        if not isinstance(specs, list):
            # PrefixTransformerPlugin.Config: "fieldSpecs is not expected to be nil"
            self.t.error(doc_at, _("{kind} has no fieldSpecs: kustomize build fails").format(kind=kind))
            return
        made = [fieldspec.make(s) for s in specs if isinstance(s, dict)]
        pos = self.positions
        for field, add_front in (("prefix", True), ("suffix", False)):
            if kind in (f"{field.capitalize()}Transformer", "PrefixSuffixTransformer"):
                affix = doc.get(field)
                text = affix if isinstance(affix, str) else ("" if affix is None else _go_text(affix))
                at = pos.value(doc, field, doc_at) if field in doc else doc_at
                self._affix(ra, text, made, add_front, at)

    # --- replacements ----------------------------------------------------------
    def replacements(self, ra: list[Resource]) -> None:
        entries = self.t.field("replacements", [])
        if entries:
            from .replacements import apply_replacements

            apply_replacements(self.t, ra, entries)


class _ConfigView:
    """A transformer configuration document seen as the Target that the patch code reads:
    its fields are located in its own file; everything else is the kustomization's."""

    def __init__(self, target: Target, doc: dict[Any, Any], doc_at: Pos) -> None:
        self._target = target
        self._doc = doc
        self._doc_at = doc_at
        self.file = doc_at[0]

    def at(self, *path: Any, where: str = "value") -> Pos:
        return self._target.positions.locate(self._doc, tuple(path), where) or self._doc_at

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


_IMAGE_TAIL_RE = re.compile(_IMAGE_TAIL)
_AFFIX_TRANSFORMERS = frozenset({"PrefixTransformer", "SuffixTransformer", "PrefixSuffixTransformer"})
_REGEX_SYNTAX = frozenset("^$*+?{}[]\\|()")


@lru_cache(maxsize=1024)
def image_matcher(name: str) -> Callable[[str], bool] | None:
    """image.go IsImageMatched: does an image value match `^name(:tag)?(@digest)?$` (the
    name is a regular expression)? None when the name is no valid expression. A name
    without regex syntax but dots (which match any character but a newline) is matched
    without compiling it: most names are, and each differs."""
    if not _REGEX_SYNTAX.intersection(name):
        size = len(name)
        parts: list[tuple[int, str]] = []
        offset = 0
        for part in name.split("."):
            parts.append((offset, part))
            offset += len(part) + 1
        dots = [offset - 1 for offset, __ in parts[1:]]
        tail = _IMAGE_TAIL_RE.match

        def literal(value: str) -> bool:
            if len(value) < size:
                return False
            for start, part in parts:
                if not value.startswith(part, start):
                    return False
            for dot in dots:
                if value[dot] == "\n":
                    return False
            return tail(value, size) is not None
        return literal
    try:
        pattern = re.compile("^" + name + _IMAGE_TAIL)
    except re.error:
        return None
    return lambda value: pattern.match(value) is not None


class _ImageUpdater:
    def __init__(self, positions: Any, entry: dict[Any, Any], matches: Callable[[str], bool], at: Pos) -> None:
        self.positions = positions
        self.entry = entry
        self.matches = matches
        self.at = at

    def containers(self, items: list[Any]) -> None:
        for item in items:
            if isinstance(item, dict) and "image" in item:
                self.field(item, "image")

    def field(self, container: Any, key: Any) -> None:
        value = container[key]
        if not isinstance(value, str) or not self.matches(value):
            return
        new = update_image(value, self.entry)
        if new != value:
            self.positions.set(container, key, new, self.positions.key(container, key, self.at)[0], self.at)


def _label_at(t: Target, index: int, key: Any) -> tuple[Pos, Pos]:
    return (t.at("labels", index, "pairs", key, where="key"), t.at("labels", index, "pairs", key))


def _set_count(positions: Any, count: int, at: Pos, container: Any, key: Any) -> None:
    positions.set(container, key, count, positions.key(container, key, at)[0], at)


def update_image(value: str, entry: dict[Any, Any]) -> str:
    """filters/imagetag/updater.go SetImageValue."""
    name, tag, digest = split_image(value)
    if entry.get("newName"):
        name = str(entry["newName"])
    new_tag, new_digest, suffix = (str(entry.get(k) or "") for k in ("newTag", "digest", "tagSuffix"))
    if new_tag and new_digest:
        tag, digest = new_tag, new_digest
    elif new_tag:
        tag, digest = new_tag, ""
    elif new_digest:
        tag, digest = "", new_digest
    elif suffix:
        tag, digest = tag + suffix, ""
    if tag:
        name += ":" + tag
    if digest:
        name += "@" + digest
    return name


def split_image(image: str) -> tuple[str, str, str]:
    """api/internal/image/image.go Split: name, tag, digest (a registry port is not a tag)."""
    slash = image.find("/")
    search, offset = (image[slash:], slash) if slash > 0 else (image, 0)
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        at += offset
        return image[:at], "", image[at + 1:]
    if at >= 0 and colon >= 0:
        at += offset
        colon += offset
        return image[:colon], image[colon + 1:at], image[at + 1:]
    colon += offset
    return image[:colon], image[colon + 1:], ""


def _container_lists(node: Any) -> list[list[Any]]:
    """filters/imagetag/legacy.go: every `containers` and `initContainers` list, at any
    depth (the legacy filter visits them depth first; the order does not change what an
    image update does)."""
    found: list[list[Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.__class__ is dict:
            for key, value in current.items():
                if value.__class__ is dict:
                    stack.append(value)
                elif value.__class__ is list:
                    stack.append(value)
                    if key == "containers" or key == "initContainers":
                        found.append(value)
        else:
            stack.extend(item for item in current if item.__class__ is dict or item.__class__ is list)
    return found


_APPLICABLE: dict[tuple[int, Any], tuple[Any, list[fieldspec.FieldSpec]]] = {}


def _applicable(specs: Any, gvk: Any) -> list[fieldspec.FieldSpec]:
    """The specs of a tuple that apply to a kind (remembered per tuple and kind; the tuple
    is kept beside its answer, so a reused id() never matches)."""
    key = (id(specs), gvk)
    found = _APPLICABLE.get(key)
    if found is not None and found[0] is specs:
        return found[1]
    answer = [s for s in specs if s.applies_to(gvk)]
    if isinstance(specs, tuple):
        if len(_APPLICABLE) > 4096:
            _APPLICABLE.clear()
        _APPLICABLE[key] = (specs, answer)
    return answer


def _strings(mapping: dict[Any, Any]) -> dict[str, str]:
    return {str(k): _go_text(v) for k, v in mapping.items()}


def _go_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _looks_inline(entry: str) -> bool:
    """types/patchstrategicmerge: an entry that parses as an object is an inline patch,
    anything else names a file."""
    text = entry.strip()
    return "\n" in text or text.startswith("{") or ("kind:" in text and ":" in text)


def relpath(path: str) -> str:
    return os.path.relpath(path)
