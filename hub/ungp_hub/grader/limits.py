"""What one sandbox may use, read from the site settings (section ``grader``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import UserError
from ..images.user import read_built_images
from ..settings import Settings
from ..spawner.data_mounts import data_volumes

UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class GraderSetupError(UserError, RuntimeError):
    """The grader cannot start (no image, no Docker); the message says what to do."""

    status = 503


def memory_bytes(text: str) -> int:
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([KMGT])", text.strip())
    if not match:
        raise GraderSetupError(f"bad memory size {text!r}: use a number and K, M, G or T (1G)")
    return int(float(match.group(1)) * UNITS[match.group(2)])


@dataclass(frozen=True)
class SandboxLimits:
    image: str
    cpu: float = 1.0
    memory: str = "1G"
    pids: int = 128
    cell_timeout: int = 60
    notebook_timeout: int = 600
    output_limit_bytes: int = 5_000_000
    read_only_root: bool = True
    tmpfs_mb: int = 256
    kernel: str = "python3"
    warm_modules: tuple[str, ...] = ()
    volumes: dict[str, dict] = field(default_factory=dict)

    def with_kernel(self, kernel: str) -> SandboxLimits:
        return replace(self, kernel=kernel)

    def for_packages(self, packages: set[str]) -> SandboxLimits:
        """Only the warm modules of packages the assignment uses: importing pandas into
        every kernel costs a third of a second of CPU per submission for nothing otherwise
        (and a package the notebooks never import cannot be one their tests rely on)."""
        kept = tuple(m for m in self.warm_modules if m.split(".")[0] in packages)
        return replace(self, warm_modules=kept)

    @classmethod
    def from_settings(cls, settings: Settings) -> SandboxLimits:
        grader = settings.get("grader")
        image = grader["image"] or read_built_images(settings.state_dir).get("user", "")
        if not image:
            raise GraderSetupError(
                "no sandbox image: run `ungp images build` (it records the user image in "
                f"{settings.state_dir / 'images.json'}) or set grader.image"
            )
        volumes = {}
        if grader["data_mount"]:
            volumes = data_volumes(
                settings.data_dir,
                settings.get("docker.data_mount"),
                groups=[],
                restricted_groups={},
                view_dir=Path(settings.state_dir) / "grader" / "data-view",
            )
        return cls(
            image=image,
            cpu=float(grader["cpu"]),
            memory=grader["memory"],
            pids=int(grader["pids"]),
            cell_timeout=int(grader["cell_timeout"]),
            notebook_timeout=int(grader["notebook_timeout"]),
            output_limit_bytes=int(float(grader["output_limit_mb"]) * 1e6),
            read_only_root=bool(grader["read_only_root"]),
            tmpfs_mb=int(grader["tmpfs_mb"]),
            warm_modules=tuple(grader["warm_modules"]),
            volumes=volumes,
        )
