"""Benchmark of the data catalogues: build time per scale, validation throughput, open+read.

    .venv/bin/python benchmarks/catalog.py            # small and medium
    .venv/bin/python benchmarks/catalog.py --large    # also large (>= 20 M AIS pings, minutes)

Validation is sha256-bound, so its throughput is reported next to `sha256sum` over the very
same files in the same run (both after the build, so both read from a warm page cache).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalogs"))

from ungp_catalogs import open_catalog  # noqa: E402
from ungp_catalogs.build import build_catalog  # noqa: E402
from ungp_catalogs.catalog_files import load_entries  # noqa: E402
from ungp_catalogs.validate import planned_files, validate_catalog  # noqa: E402


def bench_build(out: Path, scale: str) -> Path:
    data = out / scale
    shutil.rmtree(data, ignore_errors=True)
    start = time.perf_counter()
    report = build_catalog(data, scale=scale)
    total = time.perf_counter() - start
    rows = {n: e.metadata.get("rows") for n, e in load_entries(data).items()}
    size = sum(d.bytes for d in report.domains)
    print(
        f"build {scale:<6} {total:8.1f} s  {size / 1e6:9.1f} MB  "
        f"ais_pings {rows['ais_pings']:,} rows"
    )
    for d in report.domains:
        print(f"    {d.name:<12} {d.seconds:7.1f} s  {d.bytes / 1e6:9.1f} MB  {d.files} files")
    return data


def bench_validate(data: Path) -> None:
    report = validate_catalog(data)
    assert report.ok, report.problems
    mb = report.bytes / 1e6
    ours = mb / report.seconds
    files = sorted({str(p) for _, p, _ in planned_files(data)})
    start = time.perf_counter()
    for i in range(0, len(files), 500):
        subprocess.run(["sha256sum", *files[i : i + 500]], check=True, stdout=subprocess.DEVNULL)
    ref = mb / (time.perf_counter() - start)
    print(
        f"validate {data.name:<6} {mb:9.1f} MB in {report.seconds:6.2f} s = {ours:7.0f} MB/s; "
        f"sha256sum {ref:7.0f} MB/s; ratio {ours / ref:.2f}"
    )


def bench_open_read(data: Path, entry: str = "ais_ports", repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        cat = open_catalog(data / "catalog.yaml")
        frame = cat.ais[entry].read()
        times.append(time.perf_counter() - start)
    print(
        f"open+read {entry} ({len(frame)} rows): best {min(times) * 1000:.0f} ms, "
        f"first {times[0] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also build and validate large")
    parser.add_argument("--out", type=Path, help="keep the built data here (default: temp dir)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ungp-catalog-bench-"))
    scales = ["small", "medium"] + (["large"] if args.large else [])
    try:
        built = [bench_build(out, s) for s in scales]
        for data in built:
            bench_validate(data)
        bench_open_read(built[0])
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
