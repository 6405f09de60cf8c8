"""Container image references, read as the kubelet reads them.

Source: github.com/distribution/reference (regexp.go grammar, normalize.go
ParseNormalizedNamed and splitDockerDomain, reference.go NameTotalLengthMax) and
github.com/opencontainers/go-digest (algorithm.go: sha256/sha384/sha512, lower-case hex of
fixed length). The kubelet parses `image` with ParseNormalizedNamed before pulling; a
failure is the InvalidImageName state: the container never starts.

    reference        := name [ ":" tag ] [ "@" digest ]
    name             := [domain "/"] path-component ["/" path-component]*
    domain           := host [":" port]      host: DNS-like components, IPv4 or [IPv6]
    path-component   := [a-z0-9]+ (separator [a-z0-9]+)*    separator: [_.] | "__" | "-"+
    tag              := [\\w][\\w.-]{0,127}
    digest           := algorithm ":" hex    algorithm: [A-Za-z][A-Za-z0-9]* ([+._-] ...)*
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lazyre import lazy_compile

DEFAULT_DOMAIN = "docker.io"
NAME_TOTAL_LENGTH_MAX = 255
# go-digest: the algorithms the kubelet's runtime can verify, and their hex lengths.
DIGEST_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128}

_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_HOST = r"(?:" + _DOMAIN_NAME + "|" + _IPV6 + ")"
_DOMAIN = _HOST + r"(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

DOMAIN_RE = re.compile(_DOMAIN + r"\Z")
PATH_RE = re.compile(_PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*\Z")
TAG_RE = re.compile(_TAG + r"\Z", re.ASCII)
DIGEST_RE = lazy_compile(_DIGEST + r"\Z")
IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}\Z")
_WHITESPACE = re.compile(r"\s")


class ImageError(ValueError):
    """Not an image reference the kubelet can pull; the message says why."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    domain: str              # registry host, docker.io when the name has none
    path: str                # repository path inside the registry (library/ added for docker.io)
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"

    @property
    def pinned(self) -> bool:
        """A digest names one exact image; a tag can be moved to another."""
        return self.digest is not None


def parse_image(image: str) -> ImageRef:
    """Split and validate an image string; ImageError says what the kubelet rejects."""
    if not image:
        raise ImageError("the image is empty")
    if _WHITESPACE.search(image):
        raise ImageError("it contains whitespace")
    rest, digest = image, None
    if "@" in rest:
        rest, _, digest = rest.partition("@")
        _check_digest(digest)
    name, tag = rest, None
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        name, tag = rest[:colon], rest[colon + 1:]
        if not TAG_RE.match(tag):
            raise ImageError(f"tag {tag!r} is not valid (letters, digits, '_', '.', '-'; "
                             "at most 128; not starting with '.' or '-')")
    if not name:
        raise ImageError("the repository name is empty")
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        raise ImageError(f"the repository name is longer than {NAME_TOTAL_LENGTH_MAX} characters")
    domain, path = _split_domain(name)
    if domain != DEFAULT_DOMAIN and not DOMAIN_RE.match(domain):
        raise ImageError(f"registry {domain!r} is not a valid host[:port]")
    if not PATH_RE.match(path):
        if PATH_RE.match(path.lower()):
            raise ImageError(f"repository name {path!r} must be lowercase")
        raise ImageError(f"repository name {path!r} is not valid (lower-case letters, digits, "
                         "and single '.', '_', '__' or '-' runs between them)")
    if IDENTIFIER_RE.match(name):
        raise ImageError("a 64-character hex string is an image ID, not a repository name")
    return ImageRef(domain, path, tag, digest)


def _split_domain(name: str) -> tuple[str, str]:
    """splitDockerDomain: the first component is a registry when it has '.' or ':', is
    'localhost', or has upper-case letters."""
    first, sep, remainder = name.partition("/")
    if not sep or ("." not in first and ":" not in first and first != "localhost"
                   and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain = first
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def _check_digest(digest: str) -> None:
    if not DIGEST_RE.match(digest):
        raise ImageError(f"digest {digest!r} is not algorithm:hex")
    algorithm, _, hex_part = digest.partition(":")
    length = DIGEST_HEX_LENGTH.get(algorithm)
    if length is None:
        raise ImageError(f"digest algorithm {algorithm!r} is not supported (sha256, sha384, sha512)")
    if len(hex_part) != length or hex_part != hex_part.lower():
        raise ImageError(f"a {algorithm} digest is {length} lower-case hex characters, "
                         f"not {len(hex_part)}" + ("" if hex_part == hex_part.lower() else " with capitals"))


def uppercase_registry(ref: ImageRef, image: str) -> bool:
    """The first component has capitals and no '.': the kubelet takes it for a registry
    host (MyOrg/app -> registry "MyOrg"), which is almost never what was meant."""
    first = image.split("/", 1)[0]
    return ref.domain == first and first.lower() != first and "." not in first and ":" not in first


# Tags that are moved to new images by convention: a node that pulled one keeps running
# its cached copy under IfNotPresent. A version with fewer than three numbers (python:3,
# nginx:1.27) follows new patch releases.
MOVING_TAGS = frozenset({
    "latest", "stable", "main", "master", "develop", "dev", "edge", "nightly", "canary",
    "beta", "alpha", "next", "current", "lts", "release", "snapshot", "head", "trunk",
    "mainline", "unstable", "testing", "rolling",
})
_SHORT_VERSION = re.compile(r"v?\d{1,3}(?:\.\d+)?(?:-[a-z][\w.-]*)?\Z", re.ASCII)


def moving_tag(tag: str | None) -> bool:
    """True for no tag, conventional moving names and major or major.minor versions."""
    if tag is None:
        return True
    lower = tag.lower()
    if lower in MOVING_TAGS or lower.endswith(("-latest", "-snapshot", "-nightly")):
        return True
    return bool(_SHORT_VERSION.match(lower))
