"""``ungp usb build``: put everything a bare Debian 12 machine needs into one kit folder."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import docker

from ..images.user import read_built_images
from . import openpgp, signing
from .archives import archive_name, save_image
from .debs import download_debs
from .errors import KitError
from .hub_image import build_hub_image
from .manifest import sign_kit

# What the kit's parts are called in reports (folder of the kit -> part).
PARTS = ("debs", "images", "data", "courses", "certification")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "ungp_*")


@dataclass
class KitReport:
    kit: Path
    fingerprint: str
    images: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    openpgp_fingerprint: str = ""  # the same key as gpgv names it (a check by hand)

    def sizes(self) -> dict[str, int]:
        """Bytes per part and in total (what the organiser needs to pick a stick)."""
        sizes = {part: _du(self.kit / part) for part in PARTS}
        sizes["total"] = _du(self.kit)
        return sizes


def build_kit(
    out: Path,
    client: docker.DockerClient,
    project_root: Path,
    state_path: Path,
    data_scale: str = "small",
    wheel_dir: Path | None = None,
    on_step: Callable[[str, int, int], None] = lambda text, done, total: None,
) -> KitReport:
    """Write the kit into `out` (made empty first); return where, what and how long."""
    user_tag = read_built_images(state_path).get("user")
    if not user_tag:
        raise KitError("no user image is recorded: run `ungp images build` first, then retry.")
    if out.exists() and any(out.iterdir()):
        if not (out / "kit.json").exists():
            raise KitError(f"{out} is not empty and is not a kit: choose an empty folder.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "kit.json").write_text("{}\n")  # marks the folder as a kit (rebuilt on the next run)
    cache = state_path / "usb"
    logs = state_path / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    wheel_dir = wheel_dir or state_path / "wheelhouse"
    seconds: dict[str, float] = {}
    steps = ["debs", "hub image", "images", "data", "courses", "manifest"]

    def step(name: str) -> float:
        on_step(name, steps.index(name), len(steps))
        return time.monotonic()

    started = step("debs")
    debs = download_debs(client, cache, logs)
    shutil.copytree(debs, out / "debs", ignore=shutil.ignore_patterns(".complete"))
    seconds["debs"] = time.monotonic() - started

    started = step("hub image")
    hub_tag = build_hub_image(client, project_root, state_path, wheel_dir)
    seconds["hub image"] = time.monotonic() - started

    started = step("images")
    images = {"hub": hub_tag, "user": user_tag}
    for tag in images.values():
        save_image(tag, out / "images" / archive_name(tag))
    (out / "images" / "TAGS").write_text(
        "".join(f"{archive_name(tag)} {tag}\n" for tag in images.values())
    )
    seconds["images"] = time.monotonic() - started

    started = step("data")
    _build_data(out / "data", data_scale)
    seconds["data"] = time.monotonic() - started

    started = step("courses")
    shutil.copytree(project_root / "courses", out / "courses", ignore=SKIP)
    shutil.copytree(project_root / "certification", out / "certification", ignore=SKIP)
    kit_files = resources.files("ungp_hub.usb") / "kit"
    for name in ("install", "README.txt", "roster.example.csv"):
        (out / name).write_bytes((kit_files / name).read_bytes())
    (out / "install").chmod(0o755)
    (out / "kit.json").write_text(
        json.dumps({"images": images, "data_scale": data_scale, "made": _now()}, indent=2) + "\n"
    )
    seconds["courses"] = time.monotonic() - started

    started = step("manifest")
    key = signing.signing_key(state_path / "secrets")
    sign_kit(out, key)
    pem = signing.public_pem(key)
    seconds["manifest"] = time.monotonic() - started
    on_step("done", len(steps), len(steps))
    return KitReport(out, signing.fingerprint(pem), images, seconds, openpgp.fingerprint(key))


def _build_data(out: Path, scale: str) -> None:
    from ungp_catalogs.build import build_catalog
    from ungp_catalogs.errors import CatalogError

    try:
        build_catalog(out, scale=scale)
    except CatalogError as error:
        raise KitError(f"building the catalogue data failed: {error}") from None


def _du(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
