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

The root `catalog.yaml` a container sees is not the data directory's (which lists every
domain: plain `intake.open_catalog` would list a hidden domain and fail on it) but one written
for the user's visibility set, next to the view (`<view>-catalogs/<set>.yaml`, one file per
set, not inside the view so no container sees another set's file). It lists the visible
domains and names each hidden one under `metadata.not_mounted` with whom to ask.

Mounts are decided when the server starts. A rebuilt domain shows up in running servers (the
build keeps each domain folder and swaps its contents), a newly added one after a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings

import fnmatch
import logging
import os
import tempfile
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


def _root_doc(data_dir: Path) -> dict[str, Any]:
    """The data directory's root catalogue, parsed ({} if it is not built or unreadable)."""
    root = data_dir / "catalog.yaml"
    if not root.is_file():
        return {}
    try:
        doc = yaml.safe_load(root.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        log.error("Cannot read %s (%s): no data is mounted; rebuild the catalogue", root, error)
        return {}
    return doc if isinstance(doc, dict) else {}


def _access_of(doc: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for name, body in (doc.get("sources") or {}).items():
        access = ((body or {}).get("metadata") or {}).get("access") or "restricted"
        out[str(name)] = str(access)
    return out


def domain_access(data_dir: Path) -> dict[str, str]:
    """Domain name -> access level, from the root catalogue (empty if it is not built)."""
    return _access_of(_root_doc(data_dir))


def visible_root(
    doc: Mapping[str, Any], visible: Iterable[str], restricted_groups: Mapping[str, list[str]]
) -> dict[str, Any]:
    """The root catalogue `doc` cut down to the `visible` domains.

    Each hidden domain stays named (title, task team, the groups that may read it) under
    `metadata.not_mounted`, where Intake does not list it, so people know it exists and whom
    to ask (as DATA.md does) and listing the catalogue never fails on it.
    """
    keep = set(visible)
    sources = doc.get("sources") or {}
    hidden = {}
    for name, body in sources.items():
        if name in keep:
            continue
        md = (body or {}).get("metadata") or {}
        groups = list(restricted_groups.get(name, []))
        hidden[name] = {
            "title": md.get("title", ""),
            "task_team": md.get("task_team", ""),
            "access": md.get("access") or "restricted",
            "readable_by_groups": groups,
            "ask": (
                "ask a hub admin to add you to a group that may read it"
                + (f" ({', '.join(groups)})" if groups else " (no group may read it on this hub)")
            ),
        }
    metadata = dict(doc.get("metadata") or {})
    if hidden:
        metadata["not_mounted"] = hidden
    return {
        **doc,
        "metadata": metadata,
        "sources": {k: v for k, v in sources.items() if k in keep},
    }


def _write_if_changed(path: Path, text: str) -> None:
    """Replace `path` atomically unless it already holds `text`.

    A file bind mount keeps the inode it was given, so a running container keeps the old
    (whole) file and the next start gets the new one; concurrent spawns never see half a file.
    """
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def roots_dir(view_dir: Path) -> Path:
    """Where the per-visibility-set root catalogues live: beside the view, never inside it."""
    return view_dir.with_name(f"{view_dir.name}-catalogs")


def write_visible_root(
    view_dir: Path,
    doc: Mapping[str, Any],
    visible: Iterable[str],
    restricted_groups: Mapping[str, list[str]],
) -> Path:
    """Write (if changed) the root catalogue of one visibility set and return its path."""
    visible = sorted(set(visible))
    access = _access_of(doc)
    restricted = [d for d in visible if access.get(d) != "open"]
    name = "+".join(["open", *restricted])
    folder = roots_dir(view_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    text = yaml.safe_dump(
        visible_root(doc, visible, restricted_groups),
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    _write_if_changed(path, text)
    return path


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
    `view_dir`, the placeholder tree is (re)made there and mounted at `mount_path` itself,
    and the root catalogue mounted is the one of the user's visibility set (see the module
    docstring); without it, the data directory's own root (listing every domain) is mounted.
    """
    data = Path(data_dir)
    groups = list(groups)
    volumes: dict[str, dict[str, Any]] = {}
    doc = _root_doc(data)
    access = _access_of(doc)
    if view_dir is not None:
        prepare_view(Path(view_dir), access)
        volumes[str(view_dir)] = {"bind": mount_path, "mode": "ro"}
    if not access:
        log.warning("No catalogue in %s: run `ungp catalog build`; no data mounted", data)
        return volumes
    visible = []
    for domain, level in sorted(access.items()):
        folder = data / domain
        if not folder.is_dir():
            continue
        if level == "open" or allowed(domain, groups, restricted_groups):
            volumes[str(folder)] = {"bind": f"{mount_path}/{domain}", "mode": "ro"}
            visible.append(domain)
    for name in ROOT_FILES:
        if (data / name).is_file():
            volumes[str(data / name)] = {"bind": f"{mount_path}/{name}", "mode": "ro"}
    if view_dir is not None:
        root = write_visible_root(Path(view_dir), doc, visible, restricted_groups)
        del volumes[str(data / "catalog.yaml")]
        volumes[str(root)] = {"bind": f"{mount_path}/catalog.yaml", "mode": "ro"}
    return volumes


def data_view_path(settings: Settings) -> str:
    """Placeholders for the per-domain data mounts; in the state folder, since the data
    folder may be read-only media (the USB kit)."""
    return str(settings.state_dir / "data-view")


def restricted_groups(settings: Settings) -> dict[str, list[str]]:
    """Which groups get which restricted catalogue domains mounted (`data.restricted_groups`)."""
    groups = settings.get("data.restricted_groups") or {}
    return {name: list(domains) for name, domains in groups.items()}
