"""The sandboxed grader with real containers of the user image.

One course, one grading run of many submissions: honest ones (scores equal to stock
`nbgrader autograde` on a copy of the same course), tampering tricks, faults (each a clear
result while the others are graded) and an isolation probe that reports, from inside its
sandbox, what it can see. Then `ungp grade` is killed halfway and run again.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest
import yaml
from ungp_hub.engine import docker_client_or_none
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.wait import wait_for

pytestmark = pytest.mark.integration


def _cell(source: str, grade_id: str, kind: str, points: int = 0) -> dict:
    meta = {
        "grade": points > 0,
        "solution": kind == "answer",
        "locked": kind != "answer",
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


SOURCE = json.dumps(
    {
        "cells": [
            _cell("import numpy as np", "setup", "locked"),
            _cell(
                "def mean(values):\n    ### BEGIN SOLUTION\n    return sum(values) / len(values)\n"
                "    ### END SOLUTION",
                "answer",
                "answer",
            ),
            _cell("assert mean([1, 2, 3]) == 2", "visible", "test", points=1),
            _cell(
                "### BEGIN HIDDEN TESTS\n_canary = 'CANARY-' + '9d41c7'\n"
                "np.testing.assert_allclose(mean([2, 4, 9]), 5)\n"
                "### END HIDDEN TESTS",
                "hidden",
                "test",
                points=1,
            ),
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)

CORRECT = "def mean(values):\n    return sum(values) / len(values)\n"
MEDIAN = "def mean(values):\n    return sorted(values)[len(values) // 2]\n"  # visible only
ZERO = "def mean(values):\n    return 0\n"

PROBE = r"""
import json, os, socket, pathlib
report = {"uid": os.getuid(), "home": sorted(os.listdir("/home/jovyan")),
          "net": sorted(os.listdir("/sys/class/net")), "env": sorted(os.environ)}
try:
    socket.create_connection(("1.1.1.1", 53), timeout=3)
    report["connect"] = "open"
except OSError as error:
    report["connect"] = type(error).__name__
report["exists"] = {p: os.path.exists(p) for p in
                    ["/var/run/docker.sock", "/var/lib/ungp-hub", "/work", COURSE_DIR]}
try:
    pathlib.Path("/opt/ungp/evil").write_text("x")
    report["root_writable"] = True
except OSError:
    report["root_writable"] = False
found = []
for top in ["/home", "/tmp", "/srv", "/mnt", "/media", "/root", "/var/tmp", "/opt/ungp/share"]:
    for folder, _, files in os.walk(top):
        for name in files:
            try:
                if b"MARKER-" in pathlib.Path(folder, name).read_bytes()[:1_000_000]:
                    found.append(str(pathlib.Path(folder, name)))
            except OSError:
                pass
report["markers"] = found
# The run's sandboxes share one loopback: nothing may listen on it, and the Unix sockets of
# other sandboxes' kernels (listed by the namespace, not in this file system) do not open.
report["listening"] = [line.split()[1] for table in ("/proc/net/tcp", "/proc/net/tcp6")
                       for line in open(table).readlines()[1:] if line.split()[3] == "0A"]
foreign = [line.split()[7] for line in open("/proc/net/unix").readlines()[1:]
           if len(line.split()) > 7 and line.split()[7].startswith("/tmp/kernel-")
           and not os.path.exists(line.split()[7])]
report["opened"] = []
for path in foreign:
    try:
        socket.socket(socket.AF_UNIX).connect(path)
        report["opened"].append(path)
    except OSError:
        pass
report["foreign"] = len(foreign)
print("PROBE" + json.dumps(report))
"""

ANSWERS = {
    # honest
    "honest-correct": CORRECT,
    "honest-partly": MEDIAN,
    "honest-wrong": ZERO,
    # tampering: each with an answer that is wrong for the hidden test (median)
    "trick-custom-exc": MEDIAN + "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)",
    "trick-assert-helper": MEDIAN + "import numpy.testing\n"
    "numpy.testing.assert_allclose = lambda *a, **k: None",
    "trick-ast": MEDIAN + "import ast\nclass S(ast.NodeTransformer):\n"
    "    def visit_Module(self, node):\n"
    "        node.body = [ast.Try(body=[s], handlers=[ast.ExceptHandler(body=[ast.Pass()])],"
    " orelse=[], finalbody=[]) for s in node.body]\n"
    "        return ast.fix_missing_locations(node)\n"
    "get_ipython().ast_transformers.append(S())",
    "trick-detect": MEDIAN + "import os\nif 'NBGRADER_EXECUTION' in os.environ or "
    "any('GRADER' in k for k in os.environ):\n"
    "    import numpy.testing\n    numpy.testing.assert_allclose = lambda *a, **k: None",
    "trick-audit-hook": MEDIAN + "import sys, numpy.testing\ndef hook(event, args):\n"
    "    if event == 'compile':\n        numpy.testing.assert_allclose = lambda *a, **k: None\n"
    "sys.addaudithook(hook)",
    "trick-lying-float": "class A(float):\n    def __eq__(self, other):\n        return True\n"
    "    __hash__ = float.__hash__\n"
    "def mean(values):\n    return A(sorted(values)[len(values) // 2])\n",
    "trick-lying-object": "class Yes:\n    def __eq__(self, other):\n        return True\n"
    "    def __array__(self, *a, **k):\n        import numpy\n        return numpy.array(5.0)\n"
    "def mean(values):\n    return 2 if values == [1, 2, 3] else Yes()\n",
    "trick-excepthook": MEDIAN + "import sys\nsys.excepthook = lambda *a: None",
    "trick-input-transformer": MEDIAN + "get_ipython().input_transformers_post.append(\n"
    "    lambda lines: [l for l in lines if 'assert' not in l])",
    "trick-builtins": MEDIAN
    + "import builtins\nbuiltins.AssertionError = type('Q', (Exception,), {})",
    "trick-os-exit": "def mean(values):\n    if 9 in values:\n"
    "        import os\n        os._exit(0)\n"
    "    return sorted(values)[len(values) // 2]\n",
    "trick-kill-kernel": MEDIAN + "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    "trick-system-exit": "def mean(values):\n    if 9 in values:\n        raise SystemExit(0)\n"
    "    return sorted(values)[len(values) // 2]\n",
    "trick-fake-output": MEDIAN.replace("return", "print('All tests passed')\n    return")
    + "print('hidden tests passed')",
    "trick-kill-tests": MEDIAN + "import os, signal\nme, parent = os.getpid(), os.getppid()\n"
    "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
    "    try:\n        ppid = int(open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()[1])\n"
    "    except OSError:\n        continue\n"
    "    if ppid == parent and pid != me:\n        os.kill(pid, signal.SIGKILL)",
    "trick-spy": MEDIAN.replace(
        "return", "import inspect\n    print([f.code_context for f in inspect.stack()])\n    return"
    )
    + "get_ipython().events.register('pre_run_cell', lambda info: print(info.raw_cell))",
    # faults
    # (the bombs run before `mean` is defined, so every test of theirs fails)
    "fault-loop": "while True:\n    pass\n" + CORRECT,
    "fault-memory": "hog = [bytearray(50_000_000) for _ in range(100)]\n" + CORRECT,
    "fault-fork": "import os\nwhile True:\n    try:\n        os.fork()\n"
    "    except OSError:\n        pass\n" + CORRECT,
    "fault-network": CORRECT + "import urllib.request\n"
    "urllib.request.urlopen('http://example.org', timeout=5)",
    "fault-output": CORRECT + "for _ in range(100):\n    print('x' * 1_000_000)",
    "probe": CORRECT + PROBE,
}


# A cell the trainee adds that claims to be the instructor's (locked, or a test): if it ran in
# the clean interpreter, its patch would pass the hidden test there.
PATCH = "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None"
FAKE_INSTRUCTOR_CELLS = {
    "trick-fake-locked": {"locked": True},
    "trick-fake-test": {"locked": True, "grade": True, "points": 1, "grade_id": "fake"},
}


@pytest.fixture(scope="module")
def limits(user_image) -> SandboxLimits:
    return SandboxLimits(
        image=user_image,
        memory="512M",
        pids=64,
        cell_timeout=10,
        notebook_timeout=40,
        output_limit_bytes=1_000_000,
        warm_modules=("numpy", "numpy.testing", "math"),
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory, limits):
    client = docker_client_or_none()
    state = tmp_path_factory.mktemp("grader-state")
    course = TestCourse.make(state, "gradertest", "ps1", SOURCE)
    for student, answer in ANSWERS.items():
        text = f"# MARKER-{student}\n" + answer.replace("COURSE_DIR", repr(str(course.folder)))
        course.submit(student, course.answer({"answer": text}))
    for student, claims in FAKE_INSTRUCTOR_CELLS.items():
        nb = json.loads(course.answer({"answer": MEDIAN}))
        meta = {"grade": False, "solution": False, "schema_version": 3, **claims}
        nb["cells"].insert(
            -1,
            {
                "cell_type": "code",
                "execution_count": None,
                "outputs": [],
                "metadata": {"nbgrader": meta},
                "source": PATCH,
            },
        )
        course.submit(student, json.dumps(nb))
    course.submit("fault-json", b'{"cells": [ this is not json')
    course.submit("fault-kernel", course.answer({"answer": CORRECT}, kernel="evil-kernel"))
    course.submit("fault-deleted", course.answer({"answer": CORRECT}, drop=("hidden",)))
    stock = TestCourse(state / "courses" / "stock", course.name, "ps1", course.notebook)
    shutil.copytree(course.folder, stock.folder)
    for path in (stock.folder / "submitted").iterdir():
        if not path.name.startswith("honest-"):
            shutil.rmtree(path)
    work = Assignment(course.folder, course.name, "ps1", course.db_url)
    started = time.monotonic()
    summary = GradingRun(work, limits, 6, client).grade()
    seconds = time.monotonic() - started
    return course, stock, {r.student: r for r in summary.results}, seconds


def autograded_cell(course, student: str, grade_id: str) -> dict:
    path = course.folder / "autograded" / student / "ps1" / "answers.ipynb"
    nb = json.loads(path.read_text())
    return next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    )


def test_honest_scores_equal_stock_nbgrader(graded):
    course, stock, results, _ = graded
    done = stock.nbgrader("autograde", "ps1")
    assert done.returncode == 0, done.stderr[-2000:]
    ours = {s: v for s, v in course.scores().items() if s.startswith("honest-")}
    assert ours == stock.scores()
    assert ours["honest-correct"] == {"visible": 1.0, "hidden": 1.0}
    assert ours["honest-partly"] == {"visible": 1.0, "hidden": 0.0}
    assert ours["honest-wrong"] == {"visible": 0.0, "hidden": 0.0}


@pytest.mark.parametrize(
    "student", sorted([s for s in ANSWERS if s.startswith("trick-")] + list(FAKE_INSTRUCTOR_CELLS))
)
def test_tampering_gains_nothing(graded, student):
    """Each trick comes with the honest wrong answer (the median): no more than its score."""
    course, _, results, _ = graded
    scores = course.scores()[student]
    assert scores["hidden"] == 0.0 and scores["visible"] <= 1.0, scores
    # nbgrader itself refuses a notebook whose made-up nbgrader cell has no known grade_id
    # (as stock nbgrader does): "error", nothing graded; the gradebook check is the backstop
    allowed = (
        ("graded", "failed", "error") if student in FAKE_INSTRUCTOR_CELLS else ("graded", "failed")
    )
    assert results[student].status in allowed, results[student].reasons


def test_hidden_tests_never_reach_what_the_trainee_gets(graded):
    """A canary in the hidden test: in no output of any submission (a spy printed every cell
    its kernel ran, and the call stack of every call of its function)."""
    course, _, _, _ = graded
    for path in (course.folder / "autograded").rglob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "hidden":
                continue
            assert "CANARY-9d41c7" not in json.dumps(cell.get("outputs", [])), path


def test_loop_times_out_and_scores_zero_with_reason(graded):
    course, _, results, _ = graded
    assert results["fault-loop"].status == "timed_out"
    assert course.scores()["fault-loop"] == {"visible": 0.0, "hidden": 0.0}
    outputs = autograded_cell(course, "fault-loop", "answer")["outputs"]
    assert any(o.get("ename") == "CellTimeoutError" for o in outputs)


@pytest.mark.parametrize("student", ["fault-memory", "fault-fork"])
def test_memory_and_fork_bombs_score_zero_with_reason(graded, student):
    course, _, results, _ = graded
    assert results[student].status in ("failed", "timed_out")
    assert course.scores()[student] == {"visible": 0.0, "hidden": 0.0}
    assert results[student].reasons  # every zero says why


def test_network_is_unreachable_and_grading_goes_on(graded):
    course, _, results, _ = graded
    outputs = autograded_cell(course, "fault-network", "answer")["outputs"]
    assert any(
        o.get("output_type") == "error" and "URLError" in o.get("ename", "") for o in outputs
    )
    assert course.scores()["fault-network"] == {"visible": 1.0, "hidden": 1.0}


def test_huge_output_is_cut(graded):
    course, _, results, _ = graded
    path = course.folder / "autograded" / "fault-output" / "ps1" / "answers.ipynb"
    assert path.stat().st_size < 3_000_000
    text = json.dumps(autograded_cell(course, "fault-output", "answer")["outputs"])
    assert "output limit" in text


def test_invalid_json_fails_with_zero(graded):
    course, _, results, _ = graded
    assert results["fault-json"].status == "failed"
    assert "not a valid notebook" in results["fault-json"].reasons["answers"]
    assert course.scores()["fault-json"] == {"visible": 0.0, "hidden": 0.0}


def test_other_kernel_name_is_overwritten(graded):
    course, _, results, _ = graded
    assert course.scores()["fault-kernel"] == {"visible": 1.0, "hidden": 1.0}


def test_deleted_test_cell_scores_zero_with_reason(graded):
    course, _, results, _ = graded
    assert course.scores()["fault-deleted"] == {"visible": 1.0, "hidden": 0.0}
    assert "deleted" in results["fault-deleted"].reasons["answers/hidden"]


def test_isolation_seen_from_inside(graded):
    course, _, results, _ = graded
    outputs = autograded_cell(course, "probe", "answer")["outputs"]
    text = "".join("".join(o.get("text", "")) for o in outputs)  # a string or a list of lines
    report = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    assert report["uid"] == 1000
    assert report["net"] == ["lo"] and report["connect"] != "open"
    assert not any(report["exists"].values()), report["exists"]
    assert report["root_writable"] is False
    assert report["markers"] == [], "another submission (or this one) is readable"
    assert report["listening"] == [] and report["opened"] == [], report
    assert report["home"] == ["ps1"] or set(report["home"]) <= {
        "ps1",
        ".local",
        ".ipython",
        ".cache",
        ".config",
    }
    assert not [k for k in report["env"] if "GRADER" in k or "NBGRADER" in k]


def test_sandboxes_are_gone(graded):
    client = docker_client_or_none()
    assert (
        client.containers.list(all=True, filters={"label": "ungp.grader.course=gradertest"}) == []
    )


def test_killed_run_resumes_without_losing_work(tmp_path, user_image):
    course = TestCourse.make(tmp_path, "resume", "ps1", SOURCE)
    students = [f"r{i}" for i in range(6)]
    for student in students:
        course.submit(student, course.answer({"answer": CORRECT + "import time\ntime.sleep(2)"}))
    settings = tmp_path / "settings.yaml"
    settings.write_text(
        yaml.safe_dump(
            {
                "hub": {"state_dir": str(tmp_path)},
                "grader": {
                    "image": user_image,
                    "pool_size": 2,
                    "data_mount": False,
                    "warm_modules": ["numpy", "numpy.testing"],
                },
            }
        )
    )
    command = [
        sys.executable,
        "-m",
        "ungp_hub.cli.main",
        "grade",
        "resume",
        "ps1",
        "--settings",
        str(settings),
    ]
    records = course.folder / ".ungp-grader" / "ps1"
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wait_for(
        lambda: records.is_dir() and len(list(records.glob("*.json"))) >= 1,
        240,
        "the first graded submission",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    kept = {p.name: p.read_text() for p in records.glob("*.json")}
    assert 1 <= len(kept) < len(students)
    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert {p.name: p.read_text() for p in records.glob("*.json") if p.name in kept} == kept
    assert set(course.scores()) == set(students)
    assert all(v == {"visible": 1.0, "hidden": 1.0} for v in course.scores().values())
