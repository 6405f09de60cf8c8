"""Names the controllers generate, made stable (pkg/controller/controller_utils.go
ComputeHash; staging/src/k8s.io/apiserver/pkg/storage/names/generate.go).

The real values depend on a Go struct hash and on random characters; we make stable ones
of the same shape from the input, and the assumptions say they are illustrative.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go: the alphabet of generateName
# suffixes and of SafeEncodeString (no vowels, no 0/1/3).
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
GENERATE_SUFFIX_LENGTH = 5             # storage/names/generate.go randomLength
GENERATE_PREFIX_MAX = 58               # maxGeneratedNameLength = 63 - 5


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: each byte mapped to ALPHANUMS[byte % 27]."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in text.encode())


def fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def pod_template_hash(template: Any, collision_count: int = 0) -> str:
    """`SafeEncodeString(fmt.Sprint(hasher.Sum32()))` as controller_utils.go ComputeHash does.

    The decimal digits map into [4-9bcdf] only, 1-10 characters. We hash canonical JSON of
    the template instead of Go's struct dump, so the value is stable but not the real one."""
    canonical = json.dumps(template, sort_keys=True, separators=(",", ":"), default=str)
    digest = fnv32a(canonical.encode() + (str(collision_count).encode() if collision_count else b""))
    return safe_encode(str(digest))


def generated_name(prefix: str, *seed: Any) -> str:
    """`<prefix><5 chars>` as the API server makes it for generateName, stable per seed."""
    digest = hashlib.sha256("\x00".join(str(s) for s in (prefix,) + seed).encode()).digest()
    suffix = "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in digest[:GENERATE_SUFFIX_LENGTH])
    return prefix[:GENERATE_PREFIX_MAX] + suffix


def cronjob_job_name(cronjob: str, scheduled_unix: int) -> str:
    """pkg/controller/cronjob/utils.go getJobName: `<cronjob>-<minutes since the epoch>`."""
    return f"{cronjob}-{scheduled_unix // 60}"
