"""Well-known stateful images and where they keep their data.

A container's filesystem starts from its image each time the container is created (a
restart creates a new container), and an emptyDir lives and dies with its pod
(https://kubernetes.io/docs/concepts/storage/volumes/#emptydir): a database or broker whose
data directory is not on a persistent volume loses its data. Each entry names the image's
own documentation page, where the data directory is stated.

An image is matched by its repository path (registry left out), exactly or as the last
components of a longer path: `library/postgres` matches `postgres`, `docker.io/postgres`
and `mirror.gcr.io/library/postgres`. The workload annotation DATA_DIR_ANNOTATION and the
rule option `images` override the table (see stateful_image()).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..lazyre import lazy_compile
from .image import ImageError, parse_image

DATA_DIR_ANNOTATION = "k8slint.io/data-dir"      # `<annotation>` or `<annotation>.<container>`
NOT_STATEFUL = "none"                             # an annotation or option value: keeps no data


@dataclass(frozen=True)
class StatefulImage:
    name: str                             # what messages call it
    repositories: tuple[str, ...]         # repository paths without the registry
    data_dirs: tuple[str, ...]            # where it keeps its data (all of them needed)
    source: str                           # the image's documentation page
    servers: tuple[str, ...] = ()         # executables that start the server
    env: tuple[str, ...] = ()             # variables that move data_dirs (same order)
    flags: tuple[str, ...] = ()           # command-line flags that move the first data dir
    positional_after: str | None = None   # `minio server /data`: the dir follows this word
    needs_persistence: bool = False       # only stateful when persistence is switched on


IMAGES: tuple[StatefulImage, ...] = (
    # PGDATA; from PostgreSQL 18 the image uses /var/lib/postgresql/<major>/docker (postgres_dirs).
    StatefulImage("PostgreSQL", ("library/postgres", "postgis/postgis"), ("/var/lib/postgresql/data",),
                  "https://hub.docker.com/_/postgres", ("postgres", "docker-entrypoint.sh"), ("PGDATA",)),
    StatefulImage("MySQL", ("library/mysql", "mysql/mysql-server"), ("/var/lib/mysql",),
                  "https://hub.docker.com/_/mysql", ("mysqld", "docker-entrypoint.sh"), (), ("--datadir",)),
    StatefulImage("MariaDB", ("library/mariadb",), ("/var/lib/mysql",),
                  "https://hub.docker.com/_/mariadb", ("mariadbd", "mysqld", "docker-entrypoint.sh"), (),
                  ("--datadir",)),
    StatefulImage("MongoDB", ("library/mongo",), ("/data/db",),
                  "https://hub.docker.com/_/mongo", ("mongod", "docker-entrypoint.sh"), (), ("--dbpath",)),
    StatefulImage("Redis", ("library/redis",), ("/data",),
                  "https://hub.docker.com/_/redis", ("redis-server", "docker-entrypoint.sh"), (), ("--dir",),
                  needs_persistence=True),
    StatefulImage("Elasticsearch", ("library/elasticsearch", "elasticsearch/elasticsearch"),
                  ("/usr/share/elasticsearch/data",),
                  "https://www.elastic.co/guide/en/elasticsearch/reference/current/docker.html",
                  ("elasticsearch", "eswrapper", "docker-entrypoint.sh")),
    StatefulImage("OpenSearch", ("opensearchproject/opensearch",), ("/usr/share/opensearch/data",),
                  "https://opensearch.org/docs/latest/install-and-configure/install-opensearch/docker/",
                  ("opensearch", "opensearch-docker-entrypoint.sh")),
    StatefulImage("Cassandra", ("library/cassandra",), ("/var/lib/cassandra",),
                  "https://hub.docker.com/_/cassandra", ("cassandra", "docker-entrypoint.sh")),
    # etcd keeps its data in `${name}.etcd` in the working directory unless --data-dir says.
    StatefulImage("etcd", ("etcd-development/etcd", "coreos/etcd", "etcd"), ("/default.etcd",),
                  "https://etcd.io/docs/v3.5/op-guide/configuration/", ("etcd",), ("ETCD_DATA_DIR",),
                  ("--data-dir",)),
    StatefulImage("ZooKeeper", ("library/zookeeper",), ("/data", "/datalog"),
                  "https://hub.docker.com/_/zookeeper", ("zkServer.sh", "docker-entrypoint.sh"),
                  ("ZOO_DATA_DIR", "ZOO_DATA_LOG_DIR")),
    StatefulImage("Kafka", ("apache/kafka", "apache/kafka-native"), ("/tmp/kraft-combined-logs",),
                  "https://hub.docker.com/r/apache/kafka", ("kafka-server-start.sh", "run", "/etc/kafka/docker/run"),
                  ("KAFKA_LOG_DIRS",)),
    StatefulImage("Kafka", ("confluentinc/cp-kafka",), ("/var/lib/kafka/data",),
                  "https://docs.confluent.io/platform/current/installation/docker/config-reference.html",
                  ("kafka-server-start", "/etc/confluent/docker/run"), ("KAFKA_LOG_DIRS",)),
    StatefulImage("RabbitMQ", ("library/rabbitmq",), ("/var/lib/rabbitmq",),
                  "https://hub.docker.com/_/rabbitmq", ("rabbitmq-server", "docker-entrypoint.sh")),
    StatefulImage("MinIO", ("minio/minio",), (), "https://min.io/docs/minio/container/index.html",
                  ("minio",), ("MINIO_VOLUMES",), positional_after="server"),
    StatefulImage("ClickHouse", ("clickhouse/clickhouse-server", "yandex/clickhouse-server", "library/clickhouse"),
                  ("/var/lib/clickhouse",), "https://hub.docker.com/r/clickhouse/clickhouse-server",
                  ("clickhouse-server", "clickhouse", "/entrypoint.sh")),
)


def _matches(path: str, repository: str) -> bool:
    """`library/postgres` matches path `library/postgres` and `.../library/postgres`; a name
    without `/` only itself (registry.k8s.io/etcd, not bitnami/etcd)."""
    if "/" not in repository:
        return path == repository
    return path == repository or path.endswith("/" + repository)


def _option_matches(ref_repository: str, ref_path: str, key: str) -> bool:
    """A rule-option key: a repository with its registry (registry.example.com/team/pg), or
    without one (postgres, team/pg), matched like the table's."""
    try:
        wanted = parse_image(key)
    except ImageError:
        return False
    first = key.split("/", 1)[0]
    if "/" in key and ("." in first or ":" in first or first == "localhost"):
        return ref_repository == wanted.repository
    return _matches(ref_path, wanted.path)


def find_image(image: str, extra: Mapping[str, str | None] | None = None) -> tuple[StatefulImage | None, str | None]:
    """(table entry, tag) for an image reference; a rule-option entry (repository -> data
    directory, or None / "none" for "keeps no data") wins over the table."""
    try:
        ref = parse_image(image)
    except ImageError:
        return None, None
    for key, directory in (extra or {}).items():
        if _option_matches(ref.repository, ref.path, str(key)):
            if directory is None or directory == NOT_STATEFUL:
                return None, ref.tag
            return StatefulImage(str(key), (str(key),), (str(directory),),
                                 "rule-options images of data-dies-with-pod"), ref.tag
    for entry in IMAGES:
        if any(_matches(ref.path, r) for r in entry.repositories):
            return entry, ref.tag
    return None, ref.tag


_MAJOR = re.compile(r"(\d+)")


def postgres_dirs(tag: str | None) -> tuple[str, ...]:
    """PGDATA of the postgres image by tag: /var/lib/postgresql/data up to 17, from 18
    /var/lib/postgresql/<major>/docker (https://hub.docker.com/_/postgres, PGDATA). An
    unversioned tag (latest, alpine) may be either: both are accepted."""
    found = _MAJOR.match(tag or "")
    if found is None:
        return ("/var/lib/postgresql/data", "/var/lib/postgresql/18/docker")
    major = int(found.group(1))
    return (f"/var/lib/postgresql/{major}/docker",) if major >= 18 else ("/var/lib/postgresql/data",)


def flag_value(words: Sequence[str], flag: str) -> str | None:
    """The value of `--flag value` or `--flag=value` among command words."""
    for i, word in enumerate(words):
        if word == flag and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(flag + "="):
            return word[len(flag) + 1:]
    return None


def covers(mount_path: str, directory: str) -> bool:
    """A volume mounted at mount_path holds directory (the same path or a parent of it)."""
    mount = mount_path.rstrip("/") or "/"
    target = directory.rstrip("/") or "/"
    return target == mount or target.startswith(mount if mount == "/" else mount + "/")


_PERSISTENCE_ARG = lazy_compile(r"--appendonly\s+yes\b|--save\s+(?!\"\"|''|\s*$)\S")
_PERSISTENCE_CONF = lazy_compile(r"^\s*(appendonly\s+yes\b|save\s+(?!\"\"|'')\S)", re.MULTILINE)


def redis_persistence_in_args(words: Sequence[str]) -> bool:
    """`--appendonly yes` or `--save <rule>` on the command line (https://hub.docker.com/_/redis)."""
    return bool(_PERSISTENCE_ARG.search(" ".join(words)))


def redis_persistence_in_config(text: str) -> bool:
    """`appendonly yes` or a non-empty `save` line in a redis.conf."""
    return bool(_PERSISTENCE_CONF.search(text))
