"""The object graph: identities, effective namespaces, pod templates, label and name indexes.

Rules and the `explain` simulator read the same Graph and never change it.
"""

from __future__ import annotations

from collections import defaultdict
from sys import intern
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, TypeVar, cast

from .i18n import N_, _
from .k8s.kinds import (
    BUILTIN_GROUPS,
    CONTROLLER_POD_LABELS,
    POD_TEMPLATE_PATHS,
    RUN_TO_COMPLETION_KINDS,
    is_cluster_scoped,
    split_api_version,
)
from .k8s.references import CREATED_BY_ANNOTATION, Reference, created_names
from .k8s.references import extract as extract_references
from .k8s.skeleton import field_skeleton
from .k8s.tools import PATCH_FOLDER, patch_fragment, static_pod_file, tool_config
from .loader import Document, LoadResult
from .model import JSON, SUPPRESS_ANNOTATION, Hit, ObjectRef, Path, Severity
from .paths import as_path
from .selector import Selector, ValueTest, from_label_selector, from_map
from .units import Unit, Units

T = TypeVar("T")
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
# One empty list for every cached answer that is empty (no references, no selected
# workloads, a container list the pod lacks): the caches hand out their own lists, which
# callers read and never change.
_NONE: list[Any] = []


class NotAWorkload(LookupError):
    """Object.template on an object without a pod template: a check that reads it must be
    registered with workloads=True (the engine calls those only for objects that have one)."""


class Object:
    """One Kubernetes object of the input, with its effective identity."""

    __slots__ = ("doc", "base", "_data", "api_version", "group", "kind", "name", "namespace",
                 "generate_name", "ref", "_template", "order", "unit")

    def __init__(self, doc: Document, base: Path, data: JSON | None, namespace: str | None,
                 order: int, unit: Unit | None = None, summary: Summary | None = None) -> None:
        """`summary`: the object's summarize() when `data` is None (a frozen document's,
        not thawed to make its object)."""
        self.doc = doc
        self.unit = unit                         # the apply unit (k8slint.units); None: all input
        self.base = base
        self._data = data
        self.order = order                       # position in the input = creation order
        # False: not looked for yet; True: there is one, to make again (forgotten: see forget)
        self._template: PodTemplate | None | bool = False
        if summary is None:
            assert data is not None
            meta = self.metadata
            self.api_version, self.kind = data["apiVersion"], data["kind"]
            name, generate = meta.get("name"), meta.get("generateName")
        else:
            self.api_version, self.kind, name, generate = summary[:4]
            self._template = summary[5] or None
        self.group = intern(split_api_version(self.api_version)[0])   # one string per group, not per object
        self.name = name if isinstance(name, str) else ("" if name is None else str(name))
        self.generate_name = generate if isinstance(generate, str) else None
        self.namespace = namespace
        self.ref = ObjectRef(self.api_version, self.kind, namespace,
                             self.name or f"{self.generate_name or ''}<generated>")

    # --- reading -------------------------------------------------------------
    @property
    def data(self) -> JSON:
        """The object's mapping (a frozen document's is thawed when read: k8slint.frozen)."""
        data = self._data
        if data is None:
            node: Any = self.doc.data
            for step in self.base:
                node = node[step]
            self._data = data = node
        return data

    def place(self, namespace: str | None) -> None:
        """Set the effective namespace (graph.build, once a CRD of the input gave the scope)."""
        self.namespace = namespace
        self.ref = ObjectRef(self.api_version, self.kind, namespace,
                             self.name or f"{self.generate_name or ''}<generated>")

    def forget(self) -> None:
        """Let go of the data and pod template: its frozen document forgot them. Whether
        there is a pod template is still known."""
        self._data = None
        if self._template is not None and self._template is not False:
            self._template = True

    @property
    def metadata(self) -> JSON:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def labels(self) -> JSON:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def annotations(self) -> JSON:
        annotations = self.metadata.get("annotations")
        return annotations if isinstance(annotations, dict) else {}

    @property
    def identity(self) -> tuple[str, str, str | None, str]:
        return (self.group, self.kind, self.namespace, self.name)

    @property
    def file(self) -> str:
        return self.doc.file

    def get(self, *path: Any, default: Any = None) -> Any:
        """Value at a path of keys and indexes; `default` when any step is missing."""
        node: Any = self._data
        if node is None:
            node = self.data
        try:
            for step in path:
                if step.__class__ is int and node.__class__ is not list:
                    return default          # an index into a string or a mapping
                node = node[step]
        except (KeyError, IndexError, TypeError):
            return default
        return node

    @property
    def pod_template(self) -> PodTemplate | None:
        """The pod template of a workload (built-in, or any object with one at spec.template)."""
        template = self._template
        if template is False or template is True:
            template = self._template = _find_template(self)
        return template

    def note_template(self) -> None:
        """Look for the pod template now, keeping only whether there is one (has_pod_template
        then answers without thawing a frozen document)."""
        if self._template is False:
            self._template = _find_template(self) is not None or None

    @property
    def has_pod_template(self) -> bool:
        """Whether pod_template is not None (known without the data once looked for)."""
        return self._template is True or self.pod_template is not None

    @property
    def template(self) -> PodTemplate:
        """The pod template, for the checks registered with workloads=True (never missing
        there); NotAWorkload elsewhere."""
        template = self.pod_template
        if template is None:
            raise NotAWorkload(f"{self.kind}/{self.name} has no pod template")
        return template

    # --- reporting -----------------------------------------------------------
    def finding(self, path: Path | str, message: str, *, at: str = "key",
                severity: Severity | None = None, fix: str | None = None) -> Hit:
        return Hit(message=message, obj=self, path=as_path(path), at=at, severity=severity, fix=fix)

    def locate(self, path: Path = (), at: str = "key") -> tuple[int, int]:
        return self.doc.locate(self.base + tuple(path), at)

    def position(self, path: Path = (), at: str = "key") -> tuple[str, int, int]:
        """(file, line, column) of a node: the file that wrote it (a kustomize patch, say)."""
        return self.doc.position(self.base + tuple(path), at)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.namespace or ''}/{self.name}>"


def container_name(container: JSON) -> str:
    name = container.get("name")
    return name if isinstance(name, str) else "?"


def container_anchor(container: JSON, path: Path) -> Path:
    """Where a finding about a whole container points: its name (its most recognisable
    line) when it has one."""
    return path + ("name",) if "name" in container else path


class ContainerRef(NamedTuple):
    """One well-formed container of a pod template: the mapping, its path in the owner and
    the list it is in (initContainers, containers or ephemeralContainers)."""

    container: JSON
    path: Path
    list_name: str

    @property
    def name(self) -> str:
        return container_name(self.container)

    @property
    def anchor(self) -> Path:
        return container_anchor(self.container, self.path)

    @property
    def list_index(self) -> int:
        """Its index in its list (the last step of its path)."""
        return int(self.path[-1])

    @property
    def is_sidecar(self) -> bool:
        """An init container with restartPolicy: Always runs beside the app containers
        (restartable init containers, on by default from 1.29)."""
        return self.list_name == "initContainers" and self.container.get("restartPolicy") == "Always"


class PodTemplate:
    """A pod template (or a Pod) inside an owner object; paths are relative to the owner.

    Read-only views computed once: checks ask for them on every object."""

    __slots__ = ("owner", "path", "metadata", "labels", "spec", "spec_path", "_containers", "_apps")

    def __init__(self, owner: Object, path: Path) -> None:
        self.owner = owner
        self.path = path                 # path of the PodTemplateSpec ((), for a Pod)
        meta = owner.get(*path, "metadata")
        self.metadata: JSON = meta if isinstance(meta, dict) else {}
        labels = self.metadata.get("labels")
        self.labels: JSON = labels if isinstance(labels, dict) else {}
        spec = owner.get(*path, "spec")
        self.spec: JSON = spec if isinstance(spec, dict) else {}
        self.spec_path: Path = path + ("spec",)
        self._containers: dict[str, list[ContainerRef]] = {}
        self._apps: list[ContainerRef] | None = None

    def _list(self, list_name: str) -> list[ContainerRef]:
        found = self._containers.get(list_name)
        if found is None:
            items = self.spec.get(list_name)
            found = [] if not isinstance(items, list) else [
                ContainerRef(c, self.spec_path + (list_name, i), list_name)
                for i, c in enumerate(items) if isinstance(c, dict)]
            self._containers[list_name] = found = found or _NONE     # most pods lack two of the lists
        return found

    def containers(self, lists: Iterable[str] = ("containers",)) -> Iterator[ContainerRef]:
        """Each well-formed container in the given lists."""
        for list_name in lists:
            yield from self._list(list_name)

    def all_containers(self) -> Iterator[ContainerRef]:
        return self.containers(CONTAINER_LISTS)

    def declared_containers(self) -> list[ContainerRef]:
        """Init containers, then containers: what the API server validates as such."""
        return self._list("initContainers") + self._list("containers")

    def app_containers(self) -> list[ContainerRef]:
        """Containers that run for the pod's life: regular containers, then restartable
        sidecars. Plain init containers run to completion first and are not app containers.
        Cached: read it, never change it."""
        if self._apps is None:
            sidecars = [c for c in self._list("initContainers") if c.is_sidecar]
            self._apps = self._list("containers") + sidecars if sidecars else self._list("containers")
        return self._apps

    @property
    def long_running(self) -> bool:
        """Pods meant to run forever: not Jobs/CronJobs (nor a PodTemplate object, which
        runs nothing), not restartPolicy Never/OnFailure."""
        if self.owner.kind in RUN_TO_COMPLETION_KINDS or self.owner.kind == "PodTemplate":
            return False
        return bool(self.spec.get("restartPolicy", "Always") == "Always")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PodTemplate) and other.owner is self.owner and other.path == self.path

    def __hash__(self) -> int:
        return hash((id(self.owner), self.path))


def _find_template(obj: Object) -> PodTemplate | None:
    path = template_path(obj.group, obj.kind, obj.get)
    return None if path is None else PodTemplate(obj, path)


def template_path(group: str, kind: str, get: Callable[..., Any]) -> Path | None:
    """Where an object's pod template is (`get` reads the object's data by path), or None."""
    path = POD_TEMPLATE_PATHS.get(kind)
    if path is not None and group in ("", "apps", "batch", "extensions"):
        return path if path == () or isinstance(get(*path), dict) else None
    # Workload-like custom resources (Argo Rollout, Knative, OpenKruise): a PodTemplateSpec
    # at spec.template with containers.
    if isinstance(get("spec", "template", "spec", "containers"), list):
        return ("spec", "template")
    return None


class Graph:
    """Indexes over the objects of one run."""

    def __init__(self, objects: list[Object], default_namespace: str = "default",
                 units: Units | None = None, annotated: list[Object] | None = None) -> None:
        self.objects = objects
        self._annotated = annotated
        self.default_namespace = default_namespace
        self.units: list[Unit] = units.units if units is not None else []
        self._by_kind: dict[str, list[Object]] = defaultdict(list)
        self._by_identity: dict[tuple[str, str, str | None, str], Object | list[Object]] = {}
        for obj in objects:
            self._by_kind[obj.kind].append(obj)
            if obj.name:
                _add(self._by_identity, obj.identity, obj)
        self._label_index: dict[str | None, dict[tuple[str, str], list[Object]]] | None = None
        self._workloads_by_ns: dict[str | None, list[Object]] | None = None
        # built on first use by the wiring queries (each caller names its index's type)
        self._indexes: dict[str, dict[Any, Any]] = {}
        self._last_answers: dict[str, tuple[Object, Any]] = {}     # see _last

    def release(self) -> None:
        """Drop the pod templates the objects cached: each refers back to its object, and a
        graph let go while the cyclic GC is paused (loader.gc_paused) is then still freed
        by reference counting (k8slint.early builds one per chunk of files)."""
        for obj in self.objects:
            obj._template = False

    @property
    def annotated(self) -> list[Object]:
        """The objects with the suppression annotation (model.SUPPRESS_ANNOTATION), in order."""
        if self._annotated is None:
            self._annotated = [o for o in self.objects if SUPPRESS_ANNOTATION in o.annotations]
        return self._annotated

    def forget_answers(self) -> None:
        """Drop what the queries remembered (the label index, selectors, selections, the
        objects' pod templates): asked again, they compute the same answers. The checks are
        done with them, and a run's findings still to come need the room."""
        self.release()
        self._indexes = {}
        self._label_index = None
        self._workloads_by_ns = None
        self._last_answers = {}

    # --- lookup --------------------------------------------------------------
    def of_kind(self, *kinds: str) -> list[Object]:
        if len(kinds) == 1:
            return self._by_kind.get(kinds[0], [])
        return [o for o in self.objects if o.kind in kinds]

    def kinds(self) -> set[str]:
        return set(self._by_kind)

    def get(self, kind: str, namespace: str | None, name: str, group: str | None = None) -> Object | None:
        """First object of that kind and name (any group unless given)."""
        if group is not None:
            found = _all(self._by_identity.get((group, kind, namespace, name)))
            return found[0] if found else None
        for obj in self._by_kind.get(kind, ()):
            if obj.name == name and obj.namespace == namespace:
                return obj
        return None

    def same_identity(self, obj: Object) -> list[Object]:
        """Objects with obj's identity in obj's apply unit (obj included), input order; each
        kustomize build is its own unit (k8slint.kustomize.document.BuiltDocument.unit)."""
        return self.local(obj, _all(self._by_identity.get(obj.identity)))

    def in_namespace(self, kind: str, namespace: str | None) -> list[Object]:
        return [o for o in self._by_kind.get(kind, ()) if o.namespace == namespace]

    def namespaces(self) -> set[str]:
        return {o.namespace for o in self.objects if o.namespace}

    # --- apply units (k8slint.units) ----------------------------------------
    # Conflicts are judged inside one unit: the selection queries below (selected_by,
    # workloads_behind, services_in_front, same_identity) answer for the object's own unit.
    # Lookups that only silence a "missing" finding search the whole input, which may be
    # deployed to the same cluster (selected_anywhere, named, provided_by).
    @property
    def several_units(self) -> bool:
        return len(self.units) > 1

    def local(self, obj: Object, others: Iterable[Object]) -> list[Object]:
        """The objects of `others` in the same apply unit as `obj`."""
        others = list(others)
        if not self.several_units:
            return others
        unit = obj.unit
        return [o for o in others if o.unit is unit]

    def lookup(self, obj: Object, found: list[Object]) -> tuple[list[Object], bool]:
        """(objects, local): those of obj's unit when there are any, else all of `found`
        with local False (another unit has them: enough to silence "missing", never to
        judge their content against obj)."""
        mine = self.local(obj, found)
        return (mine, True) if mine or not found else (found, False)

    # --- workloads and selectors ---------------------------------------------
    def workloads(self, namespace: str | None = None) -> list[Object]:
        """Objects with a pod template (Pods included), in input order."""
        if self._workloads_by_ns is None:
            by_ns: dict[str | None, list[Object]] = defaultdict(list)
            for obj in self.objects:
                if obj.has_pod_template and obj.kind != "PodTemplate":
                    by_ns[obj.namespace].append(obj)
            self._workloads_by_ns = by_ns
        if namespace is None:
            return [o for group in self._workloads_by_ns.values() for o in group]
        return self._workloads_by_ns.get(namespace, [])

    def _index(self) -> dict[str | None, dict[tuple[str, str], list[Object]]]:
        if self._label_index is None:
            index: dict[str | None, dict[tuple[str, str], list[Object]]] = defaultdict(lambda: defaultdict(list))
            for workload in self.workloads():
                for key, value in self._match_inputs(workload)[0].items():
                    index[workload.namespace][(key, value)].append(workload)
            self._label_index = index
        return self._label_index

    def workloads_selected(self, namespace: str | None, selector: Selector | None) -> list[Object]:
        """Workloads whose pods (as their controllers create them) match the selector."""
        if selector is None:
            return []
        candidates = self.workloads(namespace)
        index = self._index().get(namespace, {})
        for key, value in selector.equalities():
            if _is_controller_label(key):
                continue
            narrowed = index.get((key, value), [])
            if len(narrowed) < len(candidates):
                candidates = narrowed
        return [w for w in candidates if selector.matches(*self._match_inputs(w))]

    def _match_inputs(self, workload: Object) -> tuple[dict[str, str], Mapping[str, ValueTest]]:
        """pod_labels and controller_label_values of a workload, computed once."""
        inputs = self._indexes.setdefault("match_inputs", {})
        pair = inputs.get(workload)
        if pair is None:
            pair = inputs[workload] = (pod_labels(workload), controller_label_values(workload))
        return pair

    # Selectors of the common kinds, parsed the way the API reads each shape.
    # --- wiring queries shared by the selector/reference rules and `explain` ---
    # Each builds its index on first use, so a run that needs none pays nothing.
    def named(self, kind: str, namespace: str | None, name: str) -> list[Object]:
        """Objects of that kind (any group), namespace and name, in input order (read it,
        never change it). Through the identity index, group by group: an index of its own
        would hold a key and an entry per object."""
        groups = self._groups_of(kind)
        if len(groups) == 1:
            return _all(self._by_identity.get((groups[0], kind, namespace, name)))
        found = [o for group in groups for o in _all(self._by_identity.get((group, kind, namespace, name)))]
        return sorted(found, key=_input_order) if len(found) > 1 else found

    def _groups_of(self, kind: str) -> tuple[str, ...]:
        """The API groups of the objects of a kind."""
        groups: dict[str, tuple[str, ...]] = self._indexes.setdefault("groups_of", {})
        found = groups.get(kind)
        if found is None:
            found = groups[kind] = tuple(dict.fromkeys(o.group for o in self._by_kind.get(kind, ())))
        return found

    def names_in(self, kind: str, namespace: str | None, near: Object | None = None) -> list[str]:
        """Names of the objects of that kind in a namespace (None: cluster-scoped), input
        order; with `near`, only those of near's apply unit."""
        if near is not None and self.several_units:
            return [o.name for o in self.local(near, self._by_kind.get(kind, ()))
                    if o.namespace == namespace and o.name]
        return self._kind_namespaces().get((kind, namespace), [])

    def selector_of(self, obj: Object) -> Selector | None:
        """object_selector(obj), remembered for the last object asked (see _last)."""
        return self._last("selector_of", obj, object_selector)

    def selected_by(self, obj: Object) -> list[Object]:
        """Workloads of obj's apply unit whose pods the object's own selector selects
        (Service, PDB, NetworkPolicy podSelector, workload controller); [] when none."""
        if not self.several_units:
            return self.selected_anywhere(obj)
        cache: dict[Object, list[Object]] = self._indexes.setdefault("selected_by", {})
        if obj not in cache:
            cache[obj] = self.local(obj, self.selected_anywhere(obj))
        return cache[obj]

    def selected_anywhere(self, obj: Object) -> list[Object]:
        """Like selected_by, in the whole input: enough to silence "selects nothing" (read
        it, never change it). Kept for every object asked (the label index's users ask for
        all Services and budgets, and their own checks again): a lone workload as itself."""
        cache: dict[Object, Object | list[Object]] = self._indexes.setdefault("selected_anywhere", {})
        if obj not in cache:
            selected = self.workloads_selected(obj.namespace, self.selector_of(obj))
            cache[obj] = selected[0] if len(selected) == 1 else selected or _NONE
        return _all(cache[obj])

    def workloads_behind(self, service: Object) -> list[Object]:
        """Workloads of the Service's apply unit whose pods are its endpoints ([] without a selector)."""
        return self.selected_by(service)

    def services_in_front(self, workload: Object) -> list[Object]:
        """Services of the workload's apply unit whose selector selects its pods (through
        the label index)."""
        index: dict[Object, list[Object]] = self._index_of("services_in_front")
        return index.get(workload, [])

    def references_from(self, obj: Object) -> list[Reference]:
        """By-name references out of the object (k8s/references.py): read it, never change
        it (remembered for the last object asked, see _last)."""
        return self._last("references_from", obj, _references_from)

    def _last(self, query: str, obj: Object, answer: Callable[[Object], T]) -> T:
        """answer(obj), remembered for the last object `query` was asked about: the engine
        runs all checks of one object back to back, so they compute it once, and the
        answers for every object (some 400 bytes each) are not held all at once."""
        last = self._last_answers.get(query)
        if last is not None and last[0] is obj:
            return cast(T, last[1])
        found = answer(obj)
        self._last_answers[query] = (obj, found)
        return found

    def references_to(self, obj: Object) -> list[tuple[Object, Reference]]:
        """(source, reference) pairs naming this object, in input order."""
        index: dict[tuple[str, str | None, str], list[tuple[Object, Reference]]] = \
            self._index_of("references_to")
        return index.get((obj.kind, obj.namespace, obj.name), [])

    def resolve(self, ref: Reference) -> list[Object]:
        """The objects a reference names (group-agnostic: kinds are rarely ambiguous)."""
        return self.named(ref.kind, ref.namespace, ref.name)

    def provided_by(self, kind: str, namespace: str | None, name: str) -> Object | None:
        """The object that defines (kind, namespace, name), or the custom resource whose
        controller creates it (a SealedSecret for its Secret); None when the input has neither."""
        found = self.named(kind, namespace, name)
        if found:
            return found[0]
        created: dict[tuple[str, str | None, str], Object] = self._index_of("created")
        return created.get((kind, namespace, name))

    def custom_resources(self, namespace: str | None) -> list[Object]:
        """Custom resources without a pod template in a namespace: their operators may
        create pods, Services or Secrets the input does not show."""
        index: dict[str | None, list[Object]] = self._index_of("custom_resources")
        return index.get(namespace, [])

    def _kind_namespaces(self) -> dict[tuple[str, str | None], list[str]]:
        return self._index_of("kind_namespaces")

    def _index_of(self, name: str) -> dict[Any, Any]:
        index = self._indexes.get(name)
        if index is None:
            index = self._indexes[name] = getattr(self, "_build_" + name)()
        return index

    def _build_kind_namespaces(self) -> dict[tuple[str, str | None], list[str]]:
        index: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for obj in self.objects:
            if obj.name:
                index[(obj.kind, obj.namespace)].append(obj.name)
        return dict(index)

    def _build_created(self) -> dict[tuple[str, str | None, str], Object]:
        index: dict[tuple[str, str | None, str], Object] = {}
        for obj in self.objects:
            if obj.group not in BUILTIN_GROUPS or (obj.group, obj.kind) in CREATED_BY_ANNOTATION:
                for created_kind, name in created_names(obj.group, obj.kind, obj.data):
                    index.setdefault((created_kind, obj.namespace, name), obj)
        return index

    def _build_custom_resources(self) -> dict[str | None, list[Object]]:
        index: dict[str | None, list[Object]] = defaultdict(list)
        for obj in self.objects:
            if obj.group not in BUILTIN_GROUPS and not obj.has_pod_template \
                    and obj.kind != "CustomResourceDefinition":
                index[obj.namespace].append(obj)
        return dict(index)

    def _build_services_in_front(self) -> dict[Object, list[Object]]:
        index: dict[Object, list[Object]] = defaultdict(list)
        for service in self.of_kind("Service"):
            for selected in self.workloads_behind(service):
                index[selected].append(service)
        return dict(index)

    def _build_references_to(self) -> dict[tuple[str, str | None, str], list[tuple[Object, Reference]]]:
        index: dict[tuple[str, str | None, str], list[tuple[Object, Reference]]] = defaultdict(list)
        for source in self.objects:
            for ref in self.references_from(source):
                index[(ref.kind, ref.namespace, ref.name)].append((source, ref))
        return dict(index)


# An index of objects by a key that most objects have alone (identity, name): the one
# object itself, a list only for a key that several share (some 90 bytes less per object).
def _add(index: dict[Any, Object | list[Object]], key: Any, obj: Object) -> None:
    found = index.get(key)
    if found is None:
        index[key] = obj
    elif isinstance(found, list):
        found.append(obj)
    else:
        index[key] = [found, obj]


def _references_from(obj: Object) -> list[Reference]:
    template = obj.pod_template
    spec_path = template.spec_path if template is not None else None
    return list(extract_references(obj.kind, obj.data, obj.namespace, spec_path)) or _NONE


def _input_order(obj: Object) -> int:
    return obj.order


def _all(found: Object | list[Object] | None) -> list[Object]:
    """The objects of an index entry (see _add), in input order."""
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def object_selector(obj: Object) -> Selector | None:
    """The selector an object uses to pick pods, read the way its API reads it.

    Service: a plain map (none: endpoints by hand). PodDisruptionBudget: a LabelSelector;
    empty selects every pod in policy/v1 and none in policy/v1beta1. NetworkPolicy:
    `podSelector`, empty selects every pod. Workloads: their controller selector.
    """
    kind = obj.kind
    if kind == "Service":
        return service_selector(obj)
    if kind == "PodDisruptionBudget":
        selector = from_label_selector(obj.get("spec", "selector"))
        if selector is not None and selector.empty and obj.api_version == "policy/v1beta1":
            return None
        return selector
    if kind == "NetworkPolicy":
        raw = obj.get("spec", "podSelector")
        return from_label_selector(raw if raw is not None else {})
    if obj.has_pod_template and kind != "Pod":
        return workload_selector(obj)
    return None


def pod_labels(workload: Object) -> dict[str, str]:
    """The pod template's labels as text: the template's own mapping when they are all text
    already (the graph caches them per workload: no copy), else a copy. Never change it."""
    template = workload.pod_template
    if template is None:
        return {}
    labels = template.labels
    if all(k.__class__ is str and v.__class__ is str for k, v in labels.items()):
        return labels
    return {str(k): v if isinstance(v, str) else str(v) for k, v in labels.items()}


def _is_controller_label(key: str) -> bool:
    return any(key in keys for keys in CONTROLLER_POD_LABELS.values())


def controller_label_values(workload: Object) -> Mapping[str, ValueTest]:
    """Labels the workload's controller adds to its pods, with a test of their values."""
    keys = CONTROLLER_POD_LABELS.get(workload.kind)
    if not keys:
        return {}
    if workload.kind not in ("StatefulSet", "Job", "CronJob"):      # no test depends on the name
        shared = _ANY_VALUES.get(workload.kind)
        if shared is None:
            shared = _ANY_VALUES[workload.kind] = MappingProxyType({key: _any_value for key in keys})
        return shared
    tests: dict[str, ValueTest] = {key: _any_value for key in keys}
    if workload.kind == "StatefulSet":
        prefix = workload.name + "-"
        tests["statefulset.kubernetes.io/pod-name"] = lambda v: _is_ordinal_name(v, prefix)
        tests["apps.kubernetes.io/pod-index"] = lambda v: v.isdigit()
    if workload.kind in ("Job", "CronJob"):
        job = workload.name
        if workload.kind == "Job":
            tests["job-name"] = tests["batch.kubernetes.io/job-name"] = lambda v: v == job
        else:
            tests["job-name"] = tests["batch.kubernetes.io/job-name"] = \
                lambda v: v.startswith(job + "-")
    return tests


# kind -> controller label tests of a kind whose tests do not depend on the workload
_ANY_VALUES: dict[str, Mapping[str, ValueTest]] = {}


def _is_ordinal_name(value: str, prefix: str) -> bool:
    """`<prefix><ordinal>` with a decimal ordinal without leading zeros (db-0, db-12)."""
    ordinal = value[len(prefix):]
    return value.startswith(prefix) and ordinal.isascii() and ordinal.isdigit() \
        and (ordinal == "0" or ordinal[0] != "0")


def _any_value(_: str) -> bool:
    return True


def workload_selector(obj: Object) -> Selector | None:
    """spec.selector of a controller: LabelSelector for apps/batch, a map for RC."""
    raw = obj.get("spec", "selector")
    if obj.kind == "ReplicationController":
        return from_map(raw)
    return from_label_selector(raw)


def service_selector(service: Object) -> Selector | None:
    """A Service's selector; None when it has none (endpoints by hand, ExternalName)."""
    if service.get("spec", "type") == "ExternalName":
        return None
    raw = service.get("spec", "selector")
    if not raw:
        return None
    return from_map(raw)


def build(load_result: LoadResult, default_namespace: str = "default",
          units: Units | None = None) -> tuple[Graph, list[Hit]]:
    """Objects from loaded documents (List kinds flattened), with effective namespaces and
    apply units. Tool configurations and the documents of kustomize patch files are not
    objects (units.not_objects)."""
    hits: list[Hit] = []
    objects: list[Object] = []
    not_objects = units.not_objects if units is not None else {}
    scopes: dict[tuple[str, str], str] = {}
    annotated: list[Object] = []            # read here: a frozen document is thawed already
    for doc in load_result.documents:
        if doc.file in not_objects:
            continue
        summary = getattr(doc, "summary", None)    # a frozen document's (k8slint.frozen)
        if summary is not None:
            objects.append(_summarized(doc, summary, default_namespace, len(objects), units, annotated))
            continue
        data = doc.data
        if data is None:
            continue
        found = _objects_of(doc, data, hits)
        scopes.update(crd_scopes(d for __, d in found))
        for base, item in found:
            obj = Object(doc, base, item, _namespace(item, default_namespace, {}), len(objects),
                         units.unit_of(doc) if units is not None else None)
            objects.append(obj)
            if SUPPRESS_ANNOTATION in obj.annotations:
                annotated.append(obj)
            hold = getattr(doc, "hold", None)      # a frozen document's (k8slint.frozen)
            if hold is not None:
                hold(obj)
                obj.note_template()
    if scopes:                    # a CRD of the input decides its kinds' scope (wherever it is)
        for obj in objects:
            if (obj.group, obj.kind) in scopes:
                obj.place(_namespace(obj.data, default_namespace, scopes))
    return Graph(objects, default_namespace, units, annotated), _one_per_file(hits)


# What build reads of a document that is one plain object (summarize): apiVersion, kind,
# metadata's name, generateName and namespace as written, whether it has a pod template and
# whether it has the suppression annotation.
Summary = tuple[str, str, Any, Any, Any, bool, bool]


def summarize(doc: Document) -> Summary | None:
    """What build needs of `doc` to make its object without reading the document again (a
    frozen one, k8slint.frozen); None unless it is one plain object of a built-in scope (no
    List, CRD, tool configuration or static Pod: build reads those whole)."""
    data = doc.data
    if not isinstance(data, dict) or not _is_object(data):
        return None
    api_version, kind = data["apiVersion"], data["kind"]
    if kind == "CustomResourceDefinition" or (kind.endswith("List") and isinstance(data.get("items"), list)) \
            or tool_config(api_version, kind) is not None or static_pod_file(doc.file, data) \
            or field_skeleton(data) or patch_fragment(doc.file, data):
        return None
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    annotations = meta.get("annotations")

    def get(*path: Any) -> Any:
        node: Any = data
        for step in path:
            node = node.get(step) if isinstance(node, dict) else None
        return node

    return (api_version, kind, meta.get("name"), meta.get("generateName"), meta.get("namespace"),
            template_path(split_api_version(api_version)[0], kind, get) is not None,
            isinstance(annotations, dict) and SUPPRESS_ANNOTATION in annotations)


def _summarized(doc: Any, summary: Summary, default_namespace: str, order: int, units: Units | None,
                annotated: list[Object]) -> Object:
    """The object of a frozen document from its summary (the document stays frozen)."""
    api_version, kind, namespace = summary[0], summary[1], summary[4]
    if is_cluster_scoped(kind, split_api_version(api_version)[0], {}):
        namespace = None
    elif not (isinstance(namespace, str) and namespace):
        namespace = default_namespace
    obj = Object(doc, (), None, namespace, order, units.unit_of(doc) if units is not None else None, summary)
    doc.hold(obj)
    doc.summary = None                  # read once: kept, it would cost its room all run
    if summary[6]:
        annotated.append(obj)
    return obj


def _objects_of(doc: Document, data: Any, hits: list[Hit]) -> list[tuple[Path, JSON]]:
    """The objects of a document (a List's items) with their paths in it; what is not an
    object is a hit."""
    if not isinstance(data, dict):
        message = (_("document is a list, not a Kubernetes object; skipped") if isinstance(data, list)
                   else _("document is a single value, not a Kubernetes object; skipped"))
        hits.append(Hit(message=message, file=doc.file, line=doc.line, rule="not-kubernetes"))
        return []
    if not _is_object(data):
        hits.append(Hit(message=_(_NO_KIND), file=doc.file, line=doc.line, rule="not-kubernetes"))
        return []
    tool = tool_config(data["apiVersion"], data["kind"])
    if tool is not None:
        message = _("{kind} ({api_version}) is a {tool}, not a Kubernetes object: not checked").format(
            kind=data["kind"], api_version=data["apiVersion"], tool=_(tool))
        hits.append(Hit(message=message, file=doc.file, line=doc.line, rule="not-kubernetes"))
        return []
    if static_pod_file(doc.file, data):
        message = _("Pod {name} (kube-system) is a kubeadm patch or static Pod manifest of a control-plane "
                    "component, read from disk by kubeadm or the kubelet, not applied: not checked")
        hits.append(Hit(message=message.format(name=data["metadata"]["name"]), file=doc.file, line=doc.line,
                        rule="not-kubernetes"))
        return []
    empty = field_skeleton(data)
    if empty:
        message = _("{kind} ({api_version}) has no name and lists {count} fields, all empty: a reference of "
                    "the kind's fields, not an object to apply: not checked")
        hits.append(Hit(message=message.format(kind=data["kind"], api_version=data["apiVersion"], count=empty),
                        file=doc.file, line=doc.line, rule="not-kubernetes"))
        return []
    if patch_fragment(doc.file, data):
        message = _("{kind} without metadata.name in a {folder} folder is a patch that a tool merges into "
                    "another manifest, not an object applied as it is: not checked").format(
            kind=data["kind"], folder=PATCH_FOLDER)
        hits.append(Hit(message=message, file=doc.file, line=doc.line, rule="not-kubernetes"))
        return []
    items = data.get("items")
    if not (data["kind"].endswith("List") and isinstance(items, list)):
        return [((), data)]
    found: list[tuple[Path, JSON]] = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and _is_object(item):
            found.append((("items", i), item))
        else:
            line, column = doc.locate(("items", i))
            hits.append(Hit(message=_("List item has no apiVersion and kind; skipped"),
                            file=doc.file, line=line, column=column, rule="not-kubernetes"))
    return found


def _namespace(data: JSON, default_namespace: str, scopes: dict[tuple[str, str], str]) -> str | None:
    """The effective namespace of an object: None for a cluster-scoped kind."""
    if is_cluster_scoped(data["kind"], split_api_version(data["apiVersion"])[0], scopes):
        return None
    meta = data.get("metadata")
    ns = meta.get("namespace") if isinstance(meta, dict) else None
    return ns if isinstance(ns, str) and ns else default_namespace


_NO_KIND = N_("document has no apiVersion and kind; not a Kubernetes object, skipped")


def _one_per_file(hits: list[Hit]) -> list[Hit]:
    """The first of the documents without apiVersion and kind of each file: a JSON-lines
    log (ECK's `go test -json` stream) has thousands."""
    seen: set[str | None] = set()
    out = []
    for hit in hits:
        if hit.message == _(_NO_KIND):
            if hit.file in seen:
                continue
            seen.add(hit.file)
        out.append(hit)
    return out


def _is_object(data: JSON) -> bool:
    return isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str) \
        and bool(data["apiVersion"]) and bool(data["kind"])


def crd_scopes(datas: Iterable[JSON]) -> dict[tuple[str, str], str]:
    """(group, kind) -> scope ("Cluster" or "Namespaced") by the CRDs among `datas`."""
    scopes: dict[tuple[str, str], str] = {}
    for data in datas:
        if data.get("kind") != "CustomResourceDefinition":
            continue
        spec = data.get("spec")
        if not isinstance(spec, dict):
            continue
        names = spec.get("names")
        if isinstance(names, dict) and isinstance(names.get("kind"), str):
            scopes[(str(spec.get("group", "")), names["kind"])] = str(spec.get("scope", "Namespaced"))
    return scopes
