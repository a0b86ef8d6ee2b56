"""Stock `nbgrader autograde` against the sandboxed grader, side by side, same submissions.

    .venv/bin/ungp images build            # the user image with this checkout's grader
    .venv/bin/python benchmarks/autograde.py [--submissions 40] [--case trivial|course|both]

Two cases: (a) a trivial two-cell notebook (a solution cell and a test cell), (b) the real
course notebook courses/m0-foundations (catalogue checksums, pandas unit values), half of the
submissions the reference solution and half the kept wrong submission. Each case makes one
course with nbgrader's generate_assignment, copies it, grades one copy with stock nbgrader
(in this venv, on the host: trusted code on trusted submissions) and the other with
`ungp_hub.grader` (one fresh container per submission), checks the scores are equal and prints
submissions per minute of both and the ratio. Targets on 2 cores: >= 3x on (a), >= 1.5x on (b).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
M0 = ROOT / "courses" / "m0-foundations"
ASSIGNMENT = "m0_catalogue_quality"


def trivial_source() -> str:
    def cell(source: str, grade_id: str, solution: bool, points: int = 0) -> dict:
        meta = {
            "grade": points > 0,
            "solution": solution,
            "locked": not solution,
            "grade_id": grade_id,
            "schema_version": 3,
        }
        if points:
            meta["points"] = points
        return {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {"nbgrader": meta},
            "outputs": [],
            "source": source,
        }

    cells = [
        cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", "answer", True),
        cell("assert answer == 42", "check", False, points=1),
    ]
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return json.dumps(
        {"cells": cells, "metadata": {"kernelspec": spec}, "nbformat": 4, "nbformat_minor": 5}
    )


def solution_sources(source_nb: dict) -> dict[str, str]:
    """grade_id -> source of every solution cell of the instructor's notebook."""
    out = {}
    for c in source_nb["cells"]:
        meta = c["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            text = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            out[meta["grade_id"]] = text
    return out


def make_case(case: str, state: Path, count: int):
    from ungp_hub.testing.course import TestCourse

    if case == "trivial":
        course = TestCourse.make(state, "bench-a", "a1", trivial_source(), notebook="answers")
        answers = [
            course.answer({"answer": "answer = 42" if i % 2 == 0 else "answer = 41"})
            for i in range(count)
        ]
    else:
        source = (M0 / "source" / ASSIGNMENT / "quality.ipynb").read_text()
        course = TestCourse.make(state, "bench-b", ASSIGNMENT, source, notebook="quality")
        correct = course.answer(solution_sources(json.loads(source)))
        wrong = (M0 / "submissions" / ASSIGNMENT / "mean_of_ratios" / "quality.ipynb").read_text()
        answers = [correct if i % 2 == 0 else wrong for i in range(count)]
    for i, text in enumerate(answers):
        course.submit(f"t{i:03d}", text)
    return course


def run_stock(course, env_catalog: str | None) -> float:
    env = {"UNGP_CATALOG": env_catalog} if env_catalog else {}
    started = time.monotonic()
    result = course.nbgrader("autograde", course.assignment, timeout=3600, env=env)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-2000:])
    return seconds


def run_sandboxed(course, image: str, volumes: dict, pool_size: int) -> tuple[float, dict]:
    from ungp_hub.engine import docker_client_or_none
    from ungp_hub.grader.limits import SandboxLimits
    from ungp_hub.grader.run import Assignment, GradingRun

    limits = SandboxLimits(
        image=image,
        volumes=volumes,
        warm_modules=("numpy", "numpy.testing", "pandas", "pandas.testing", "math", "statistics"),
    )
    work = Assignment(course.folder, course.name, course.assignment, course.db_url)
    run = GradingRun(work, limits, pool_size, docker_client_or_none(timeout=120))
    started, hub, engine = time.monotonic(), _own_cpu(), _engine_cpu()
    summary = run.grade()
    seconds = time.monotonic() - started
    n = max(1, len(summary.results))
    parts = {"trainee interpreter": 0.0, "test interpreter": 0.0, "executor": 0.0}
    for result in summary.results:
        parts["trainee interpreter"] += result.cpu.get("trainee", 0.0)
        parts["test interpreter"] += result.cpu.get("tests", 0.0)
        parts["executor"] += result.cpu.get("executor", 0.0)
    parts["docker (dockerd, containerd)"] = _engine_cpu() - engine
    parts["hub (grading process)"] = _own_cpu() - hub
    print("  CPU-s per submission: " + ", ".join(f"{k} {v / n:.3f}" for k, v in parts.items()))
    return seconds, dict(summary.counts())


def _own_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _engine_cpu() -> float:
    """CPU-s of dockerd and containerd so far (with their reaped children); 0 if unreadable."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        if name in ("dockerd", "containerd"):
            total += sum(int(x) for x in fields[11:15]) / tick
    return total


def sandbox_warm_up(image: str, count: int = 3) -> tuple[float, float]:
    """Median CPU seconds (the container's cgroup) and wall seconds from create to READY."""
    import statistics

    from ungp_hub.engine import docker_client_or_none
    from ungp_hub.grader.limits import SandboxLimits
    from ungp_hub.grader.sandbox import Sandbox

    client = docker_client_or_none()
    cpu, wall = [], []
    for _ in range(count):
        sandbox = Sandbox(
            client,
            SandboxLimits(image=image),
            "/home/jovyan/a",
            {"ungp.grader.course": "bench-probe"},
        )
        started = time.monotonic()
        try:
            sandbox.start().wait_ready(120)
            wall.append(time.monotonic() - started)
            stats = sandbox.container.stats(stream=False)
            cpu.append(stats["cpu_stats"]["cpu_usage"]["total_usage"] / 1e9)
        finally:
            sandbox.destroy()
    return statistics.median(cpu), statistics.median(wall)


def catalogue(state: Path) -> tuple[Path, dict]:
    from ungp_catalogs.build import build_catalog
    from ungp_hub.spawner.data_mounts import data_volumes

    report = build_catalog(state / "data", scale="small", domains=["scanner", "ais"])
    volumes = data_volumes(state / "data", "/srv/data", [], {}, view_dir=state / "view")
    return Path(report.root), volumes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--case", choices=["trivial", "course", "both"], default="both")
    parser.add_argument("--image", default="", help="default: the newest ungp/user image")
    parser.add_argument("--pool-size", type=int, default=0)
    args = parser.parse_args()
    from ungp_hub.engine import docker_client_or_none
    from ungp_hub.grader.sandbox import default_pool_size

    client = docker_client_or_none()
    image = (
        args.image
        or sorted(client.images.list("ungp/user"), key=lambda i: i.attrs["Created"])[-1].tags[0]
    )
    pool = args.pool_size or default_pool_size(1 << 30)
    print(f"image {image}, pool size {pool}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    cpu, wall = sandbox_warm_up(image)
    print(
        f"one sandbox to READY (kernel + test interpreter, no warm modules): {cpu:.2f} CPU-s, "
        f"{wall:.1f} s"
    )
    rows = []
    cases = ["trivial", "course"] if args.case == "both" else [args.case]
    for case in cases:
        state = Path(tempfile.mkdtemp(prefix=f"ungp-bench-{case}-"))
        env_catalog, volumes = None, {}
        if case == "course":
            root, volumes = catalogue(state)
            env_catalog = str(root)
        course = make_case(case, state, args.submissions)
        copy = state / "courses" / f"{course.name}-stock"
        shutil.copytree(course.folder, copy)
        stock_course = type(course)(copy, course.name, course.assignment, course.notebook)
        stock_s = run_stock(stock_course, env_catalog)
        ours_s, counts = run_sandboxed(course, image, volumes, pool)
        same = stock_course.scores() == course.scores()
        n = args.submissions
        rows.append((case, n / stock_s * 60, n / ours_s * 60, stock_s / ours_s, same, counts))
        shutil.rmtree(state, ignore_errors=True)
    print(f"{'case':8} {'stock/min':>10} {'sandboxed/min':>14} {'ratio':>6}  same scores  results")
    for case, stock, ours, ratio, same, counts in rows:
        print(f"{case:8} {stock:10.1f} {ours:14.1f} {ratio:6.2f}  {str(same):11}  {counts}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not all(r[4] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "hub"))
    main()
