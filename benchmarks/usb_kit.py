"""The offline workshop kit: its size, how long it takes to build, and to install to a login.

    .venv/bin/ungp images build --settings S      # the user image the kit carries
    .venv/bin/python benchmarks/usb_kit.py --settings S [--data-scale small] [--keep]

Builds the kit into a temporary folder (sizes per part, seconds per step), then installs it
into a bare Debian 12 container with no network (ungp_hub.testing.target) with the kit's own
`install` script and times: install (check, packages, engine, images, hub, roster), then a
roster trainee's login, spawn and first cell. Targets (issue 10, 2 cores): kit <= 6 GB with
the small data, install <= 10 min.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import docker
from ungp_hub.settings import load_settings
from ungp_hub.testing.target import BareDebian
from ungp_hub.usb.build import build_kit

ROOT = Path(__file__).resolve().parents[1]
ROSTER = "username,role,full_name\nada,trainee,Ada Lovelace\n"
CELL = "import intake; print(len(list(intake.open_catalog('/srv/data/catalog.yaml'))))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", required=True, help="settings whose state has images.json")
    parser.add_argument("--data-scale", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--wheelhouse", default=str(ROOT / "build" / "wheelhouse"))
    parser.add_argument("--keep", action="store_true", help="keep the kit folder")
    args = parser.parse_args()
    state = load_settings(Path(args.settings)).state_dir
    work = Path(tempfile.mkdtemp(prefix="ungp-usb-bench-"))
    client = docker.from_env(timeout=600)
    started = time.monotonic()
    report = build_kit(
        work / "kit", client, ROOT, Path(state), args.data_scale, Path(args.wheelhouse)
    )
    build_seconds = time.monotonic() - started
    print("kit size:")
    for part, size in report.sizes().items():
        print(f"  {part:<14} {size / 1e6:9.1f} MB")
    for archive in sorted((report.kit / "images").glob("*.tar.zst")):
        print(f"  {archive.name:<40} {archive.stat().st_size / 1e6:9.1f} MB")
    print(
        f"build: {build_seconds:.0f} s ("
        + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in report.seconds.items())
        + ")"
    )
    target = BareDebian(work / "target")
    try:
        target.start(report.kit, ROSTER)
        result, install_seconds = target.install(report.fingerprint)
        if result.returncode != 0:
            sys.exit(f"install failed:\n{result.stdout}\n{result.stderr}")
        started = time.monotonic()
        first = target.login_and_run("ada", CELL)
        login_seconds = time.monotonic() - started
        if first.returncode != 0:
            sys.exit(f"login/spawn/cell failed:\n{first.stdout}\n{first.stderr}")
        total = install_seconds + login_seconds
        print(
            f"install: {install_seconds:.0f} s; first login, spawn and cell: "
            f"{login_seconds:.0f} s; kit to first cell: {total:.0f} s"
        )
    finally:
        target.remove()
        shutil.rmtree(work / "target", ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kit kept in {report.kit}")


if __name__ == "__main__":
    main()
