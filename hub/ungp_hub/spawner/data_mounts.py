"""Which parts of the data directory a user's container sees: access levels by mounting.

The catalogue's access unit is a domain directory (`<data>/<domain>/`, holding the domain's
catalogue and files). Mounting the whole data directory would show every domain to everyone,
so each container gets nested read-only bind mounts instead: the root `catalog.yaml` and
`DATA.md`, every `open` domain, and a `restricted` domain only when one of the user's groups
matches a pattern the site settings list for it (`data.restricted_groups`). What is not
mounted does not exist in the container, and `ungp_catalogs` skips a restricted domain whose
directory is absent, so the root catalogue keeps working.

Nested mountpoints need a parent: a "view" directory holding only empty placeholders (a
folder per catalogued domain, empty catalog.yaml and DATA.md) is bind-mounted read-only at the
mount path first, so /srv/data itself is read-only and a hidden domain is an empty folder.

Mounts are decided when the server starts. A rebuilt domain shows up in running servers (the
build keeps each domain folder and swaps its contents), a newly added one after a restart.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("ungp_hub")

ROOT_FILES = ("catalog.yaml", "DATA.md")


def allowed(domain: str, groups: Iterable[str], restricted_groups: Mapping[str, list[str]]) -> bool:
    """True if one of `groups` matches a pattern (fnmatch: "instructors:*") for `domain`."""
    patterns = list(restricted_groups.get(domain, []))
    return any(fnmatch.fnmatchcase(g, p) for g in groups for p in patterns)


def domain_access(data_dir: Path) -> dict[str, str]:
    """Domain name -> access level, from the root catalogue (empty if it is not built)."""
    root = data_dir / "catalog.yaml"
    if not root.is_file():
        return {}
    try:
        doc = yaml.safe_load(root.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        log.error("Cannot read %s (%s): no data is mounted; rebuild the catalogue", root, error)
        return {}
    out = {}
    for name, body in (doc.get("sources") or {}).items():
        access = ((body or {}).get("metadata") or {}).get("access") or "restricted"
        out[str(name)] = str(access)
    return out


def prepare_view(view_dir: Path, domains: Iterable[str]) -> None:
    """Create the placeholder tree the per-domain mounts are nested in (idempotent)."""
    view_dir.mkdir(parents=True, exist_ok=True)
    for name in ROOT_FILES:
        (view_dir / name).touch(exist_ok=True)
    for domain in domains:
        (view_dir / domain).mkdir(exist_ok=True)


def data_volumes(
    data_dir: str | Path,
    mount_path: str,
    groups: Iterable[str],
    restricted_groups: Mapping[str, list[str]],
    view_dir: str | Path | None = None,
) -> dict[str, dict[str, Any]]:
    """DockerSpawner `volumes` entries (host path -> bind, mode ro) for one user.

    A domain listed without an access level counts as restricted (fail closed); folders
    under the data directory that the root catalogue does not list are not mounted. With
    `view_dir`, the placeholder tree is (re)made there and mounted at `mount_path` itself.
    """
    data = Path(data_dir)
    groups = list(groups)
    volumes: dict[str, dict[str, Any]] = {}
    access = domain_access(data)
    if view_dir is not None:
        prepare_view(Path(view_dir), access)
        volumes[str(view_dir)] = {"bind": mount_path, "mode": "ro"}
    if not access:
        log.warning("No catalogue in %s: run `ungp catalog build`; no data mounted", data)
        return volumes
    for name in ROOT_FILES:
        if (data / name).is_file():
            volumes[str(data / name)] = {"bind": f"{mount_path}/{name}", "mode": "ro"}
    for domain, level in sorted(access.items()):
        folder = data / domain
        if not folder.is_dir():
            continue
        if level == "open" or allowed(domain, groups, restricted_groups):
            volumes[str(folder)] = {"bind": f"{mount_path}/{domain}", "mode": "ro"}
    return volumes
