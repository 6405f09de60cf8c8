"""Container images: references the kubelet cannot pull, tags that move, pull policies.

Facts: k8s/image.py (reference grammar), k8s/defaults.py image_pull_policy (Always for
:latest or no tag, else IfNotPresent; a digest-only reference gets IfNotPresent,
CORRECTIONS.md), pkg/apis/core/validation validateContainerCommon (image required, no
leading or trailing whitespace), pkg/kubelet/images/image_manager.go (InvalidImageName,
ErrImageNeverPull).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, NamedTuple

from ..engine import CheckContext, check, last_arguments
from ..graph import Object, PodTemplate
from ..i18n import _
from ..k8s.defaults import image_pull_policy
from ..k8s.image import ImageError, ImageRef, moving_tag, parse_image, uppercase_registry
from ..k8s.podvalidation import pod_spec_validated, rejected
from ..model import JSON, Hit, Path


class ContainerImage(NamedTuple):
    container: JSON
    path: Path
    shown: str                   # 'web', or the container's index when it has no name
    image: str


# Istio's sidecar injector replaces `image: auto` of container istio-proxy with the proxy's
# image when it creates the pod, the usual way to install a gateway: "The auto image is a
# placeholder" (https://istio.io/latest/docs/reference/config/analysis/ist0146/). No image.
ISTIO_PROXY, ISTIO_AUTO_IMAGE = "istio-proxy", "auto"


@last_arguments
def _images(template: PodTemplate) -> list[ContainerImage]:
    """Each container with a string image; read once per object for the three rules (the
    engine runs each object's checks one after another)."""
    found = []
    for container, path, __ in template.all_containers():
        image = container.get("image")
        if isinstance(image, str):
            name = container.get("name")
            if image == ISTIO_AUTO_IMAGE and name == ISTIO_PROXY:
                continue
            found.append(ContainerImage(container, path, f"'{name}'" if isinstance(name, str) else str(path[-1]),
                                        image))
    return found


@lru_cache(maxsize=8192)         # three rules read each image; repositories reuse images
def _parse(image: str) -> ImageRef | ImageError:
    try:
        return parse_image(image)
    except ImageError as exc:
        return exc


def _parsed(image: str) -> ImageRef | None:
    ref = _parse(image)
    return ref if isinstance(ref, ImageRef) else None


@check("image-invalid", workloads=True)
def image_invalid(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    # pkg/apis/core/validation validateContainerCommon: Required, for pods and templates alike
    # (the API's doc calls the field optional for config tools, not for the server). A custom
    # workload's template is often partial: its operator adds the image (CloudNativePG Pooler).
    builtin = pod_spec_validated(obj.kind, obj.group) or (obj.kind, obj.group) == ("StatefulSet", "apps")
    for container, path, _list in template.all_containers() if builtin else ():
        if container.get("image") is None:
            name = container.get("name")
            yield obj.finding(path + (("name",) if "name" in container else ()),
                              _("container {name} has no image: {kind} (image: Required value)").format(
                                  name=f"'{name}'" if isinstance(name, str) else str(path[-1]),
                                  kind=rejected(obj.kind, obj.group, 'the object')), at="value")
    for __, path, name, image in _images(template):
        where = path + ("image",)
        if not image:
            yield obj.finding(where, _("image of container {name} is empty: {kind} (image: Required "
                                       "value)").format(name=name, kind=rejected(obj.kind, obj.group, 'the object')),
                              at="value")
            continue
        if image != image.strip():
            # Whitespace is checked for Pods only (pkg/apis/core/validation
            # validateContainersOnlyForPod): a workload is accepted, the pods it creates are not.
            effect = (_("the API server rejects the Pod") if obj.kind == "Pod" and obj.group == "" else
                      _("the API server accepts the {kind} but rejects every pod created from it "
                        "(FailedCreate events, no pods)").format(kind=obj.kind))
            yield obj.finding(where, _("image {image!r} of container {name} has leading or trailing "
                                       "whitespace: {effect} (must not have leading or trailing "
                                       "whitespace)").format(image=image, name=name, effect=effect),
                              at="value")
            continue
        ref = _parse(image)
        if isinstance(ref, ImageError):
            yield obj.finding(where, _("image {image!r} of container {name} cannot be pulled: {ref}; the "
                                       "kubelet reports InvalidImageName and the container never starts").format(image=image, name=name, ref=ref),
                              at="value")
            continue
        if uppercase_registry(ref, image):
            yield obj.finding(where, _("image {image!r} of container {name}: the kubelet takes "
                                       "{domain!r} for a registry host (the first part has capitals), so "
                                       "the pull fails; repository names are lower case").format(image=image, name=name, domain=ref.domain), at="value")


def _effective_policy(container: JSON, image: str) -> tuple[str, bool]:
    """(policy, explicit?)."""
    policy = container.get("imagePullPolicy")
    if isinstance(policy, str) and policy:
        return policy, True
    return image_pull_policy(image), False


@check("image-latest-tag", workloads=True)
def image_latest_tag(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, path, name, image in _images(template):
        ref = _parsed(image)
        if ref is None or ref.digest is not None or ref.tag not in (None, "latest"):
            continue
        policy, explicit = _effective_policy(container, image)
        said = _("no tag, which means :latest") if ref.tag is None else ":latest"
        how = f"imagePullPolicy {policy}" if explicit else \
            _("imagePullPolicy {policy} by default").format(policy=policy)
        yield obj.finding(path + ("image",),
                          _("image {image} of container {name} has {said}: nodes run whatever latest was "
                            "when they pulled ({how}), so pods of one rollout can differ and a rollback "
                            "cannot bring the old image back").format(image=image, name=name, said=said, how=how), at="value")


@check("image-pull-policy", workloads=True)
def image_pull_policy_check(ctx: CheckContext, obj: Object) -> Iterator[Hit]:
    template = obj.template
    for container, path, name, image in _images(template):
        ref = _parsed(image)
        if ref is None:
            continue
        policy, explicit = _effective_policy(container, image)
        at: Path = path + ("imagePullPolicy",) if explicit else path + ("image",)
        if policy == "Never":
            yield obj.finding(at, _("container {name} has imagePullPolicy: Never: the kubelet never "
                                    "pulls {image}, so its pods start only on nodes that already have it "
                                    "(ErrImageNeverPull elsewhere)").format(name=name, image=image), at="value")
        elif policy == "IfNotPresent" and ref.digest is None and moving_tag(ref.tag):
            how = _("set") if explicit else _("the default for a tagged image")
            yield obj.finding(at, _("image {image} of container {name} uses tag {value}, which is "
                                    "usually moved to new builds, with imagePullPolicy IfNotPresent "
                                    "({how}): nodes that already pulled it keep running their old copy").format(image=image, name=name, value=ref.tag or '(none)', how=how), at="value")

