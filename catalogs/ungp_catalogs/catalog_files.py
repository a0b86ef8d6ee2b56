"""Reading and writing the catalogue YAML files.

Layout of a data directory (the root catalogue is the documented entry point):

    <data>/catalog.yaml              root: one sub-catalogue per domain
    <data>/<domain>/catalog.yaml     the domain's entries (Intake v1 YAML)
    <data>/<domain>/<entry>/...      the entry's files

The files are plain Intake v1 catalogues, so `intake.open_catalog(...)` reads them without
this package's help except for the reader class named in each entry's `driver:`. This module
also parses them itself (for `validate`, `list`, `show`) so that a malformed file is reported
with its path and line, which neither PyYAML's nor Intake's errors do reliably.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import BuildError, CatalogNotFound, MalformedCatalog, UnknownEntry

if TYPE_CHECKING:
    from .context import BuildContext
    from .source import VerifiedSource

ROOT_FILE = "catalog.yaml"
DOMAIN_FILE = "catalog.yaml"
DRIVER = "ungp_catalogs.source.VerifiedSource"


def dump_yaml(data: Any, path: Path) -> None:
    text = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_domain_catalog(ctx: BuildContext) -> Path:
    d = ctx.domain
    sources: dict[str, Any] = {}
    for builder in ctx.entries:
        rec = builder.record
        args: dict[str, Any] = {"entry": rec.name, "format": rec.format}
        if rec.read_options:
            args["read_options"] = rec.read_options
        sources[rec.name] = {
            "description": rec.description,
            "driver": DRIVER,
            "args": args,
            "metadata": rec.to_metadata(),
        }
    doc = {
        "metadata": {
            "version": 1,
            "title": d.title,
            "description": d.description,
            "domain": d.name,
            "task_team": d.task_team,
            "generator": d.module,
            "generator_version": d.version,
            "scale": ctx.scale,
            "seed": ctx.seed,
            "access": domain_access(ctx),
        },
        "sources": sources,
    }
    path = ctx.domain_dir / DOMAIN_FILE
    dump_yaml(doc, path)
    return path


def domain_access(ctx: BuildContext) -> str:
    """A domain directory is the unit the hub mounts, so all its entries share one access level."""
    levels = sorted({b.record.access for b in ctx.entries})
    if len(levels) > 1:
        raise BuildError(
            f"domain '{ctx.domain.name}' mixes open and restricted entries; access is enforced "
            "by mounting whole domain directories, so put restricted entries in their own domain"
        )
    return levels[0]


def write_root_catalog(data_dir: Path) -> Path:
    """(Re)write the root from every domain catalogue present, so partial rebuilds keep it whole."""
    sources: dict[str, Any] = {}
    for sub in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = sub / DOMAIN_FILE
        if not path.is_file():
            continue
        md = load_yaml(path).get("metadata", {}) or {}
        sources[sub.name] = {
            "description": md.get("description", ""),
            "driver": "yaml_file_cat",
            "args": {"path": "{{ CATALOG_DIR }}/" + f"{sub.name}/{DOMAIN_FILE}"},
            "metadata": {k: md.get(k) for k in ("title", "task_team", "access", "scale", "seed")},
        }
    doc = {
        "metadata": {
            "version": 1,
            "title": "ungp-hub data catalogue",
            "description": (
                "Trusted data of the UN Global Platform task teams. Every entry carries its "
                "provenance, licence, method notes and the sha256 of each file; reading an "
                "entry verifies the checksums first."
            ),
        },
        "sources": sources,
    }
    root = data_dir / ROOT_FILE
    dump_yaml(doc, root)
    return root


def load_yaml(path: Path) -> dict[str, Any]:
    """Parse a catalogue file; syntax errors become MalformedCatalog naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogNotFound(str(path)) from None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise MalformedCatalog(str(path), line, str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:
        raise MalformedCatalog(str(path), None, str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise MalformedCatalog(str(path), 1, "expected a mapping with a 'sources:' mapping")
    return data


def _line_of(path: Path, key: str) -> int | None:
    """Line of the first `key:` mapping key in the file (for errors about its content)."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if getattr(k, "value", None) == key:
                    return k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return None


@dataclass
class CatalogEntry:
    """One entry as found in a domain catalogue file."""

    name: str
    domain: str
    catalog_path: Path
    description: str
    metadata: dict[str, Any]
    args: dict[str, Any]

    @property
    def catalog_dir(self) -> Path:
        return self.catalog_path.parent

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.metadata["files"]

    def source(self) -> VerifiedSource:
        from .source import VerifiedSource

        md = dict(self.metadata, catalog_dir=str(self.catalog_dir))
        return VerifiedSource(**self.args, metadata=md)

    def read(self) -> Any:
        return self.source().read()


def _check_entry(path: Path, name: str, body: Any) -> None:
    if not isinstance(body, dict):
        raise MalformedCatalog(str(path), _line_of(path, name), f"entry '{name}' is not a mapping")
    md = body.get("metadata")
    files = md.get("files") if isinstance(md, dict) else None
    ok = isinstance(files, list) and all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), str)
        for f in files
    )
    if not ok:
        raise MalformedCatalog(
            str(path),
            _line_of(path, name),
            f"entry '{name}' needs metadata.files: a list of {{path, sha256, bytes, rows}}",
        )
    if not isinstance(body.get("args"), dict):
        raise MalformedCatalog(str(path), _line_of(path, name), f"entry '{name}' has no args")


def root_path(location: Path | str) -> Path:
    """Accept a data directory or the root catalogue file itself."""
    location = Path(location)
    return location / ROOT_FILE if location.is_dir() else location


def load_entries(location: Path | str, strict: bool = False) -> dict[str, CatalogEntry]:
    """Every entry of every domain under a root catalogue, by entry name.

    A restricted domain whose directory is not mounted (the user is not allowed to see it) is
    skipped, unless `strict` (validation on the hub host, where everything must be present).
    """
    root = root_path(location)
    if not root.is_file():
        raise CatalogNotFound(str(root))
    entries: dict[str, CatalogEntry] = {}
    for domain, body in load_yaml(root)["sources"].items():
        rel = str((body or {}).get("args", {}).get("path", ""))
        rel = rel.replace("{{ CATALOG_DIR }}", str(root.parent)).replace(
            "{{CATALOG_DIR}}", str(root.parent)
        )
        if not rel:
            raise MalformedCatalog(str(root), _line_of(root, domain), f"'{domain}' has no path")
        path = Path(rel)
        restricted = ((body or {}).get("metadata") or {}).get("access") == "restricted"
        if restricted and not strict and not path.is_file():
            continue
        for name, entry in load_yaml(path)["sources"].items():
            _check_entry(path, name, entry)
            entries[name] = CatalogEntry(
                name=name,
                domain=domain,
                catalog_path=path,
                description=entry.get("description", ""),
                metadata=entry["metadata"],
                args=entry["args"],
            )
    return entries


def find_entry(location: Path | str, name: str) -> CatalogEntry:
    entries = load_entries(location)
    if name not in entries:
        raise UnknownEntry(name, difflib.get_close_matches(name, list(entries), n=3, cutoff=0.5))
    return entries[name]
