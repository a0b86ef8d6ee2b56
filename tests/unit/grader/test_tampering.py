"""Cheating submissions against the real executor (a local process: no container), graded
as the sandbox grades them: test cells in the clean interpreter, trainee cells in the kernel.

Every trick comes with a wrong answer (41 where the tests expect 42) and must score no more
than that honest wrong answer; an honest right answer in the same notebook scores full marks,
and a canary in a hidden test never reaches the trainee's kernel or its outputs.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import nbformat
import pytest
from nbgrader.utils import determine_grade
from ungp_hub.grader.sentinel import instrument, locked_cells, verify

SPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
SETUP = "import numpy as np\nimport numpy.testing"
CANARY = "CANARY-" + "5e1f0c"  # built in two parts: this file's source is no leak

KILL_SIBLINGS = """import os, signal
me, parent = os.getpid(), os.getppid()
for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    try:
        fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    if int(fields[1]) == parent and pid != me:
        os.kill(pid, signal.SIGKILL)
answer = 41"""

TRICKS = {
    # name: (the trick, in the trainee's answer cell; the test it tries to beat)
    "guard_noop": (  # the first finding: replace the guard, then the checker
        "import sys\nfor m in list(sys.modules.values()):\n"
        "    if hasattr(m, 'guard'):\n        m.guard = lambda: None\n"
        "numpy.testing.assert_allclose = lambda *a, **k: None\nanswer = 41",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "audit_hook": (  # the second: an audit hook re-patches on every compile
        "import sys, numpy.testing\n"
        "def hook(event, args):\n"
        "    if event == 'compile':\n"
        "        numpy.testing.assert_allclose = lambda *a, **k: None\n"
        "sys.addaudithook(hook)\nanswer = 41",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "lying_float": (  # the third: a float whose __eq__ always says yes
        "class A(float):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\nanswer = A(41)",
        "assert answer == 42",
    ),
    "lying_object": (
        "class Yes:\n    def __eq__(self, other):\n        return True\n"
        "    def __bool__(self):\n        return True\nanswer = Yes()",
        "assert answer == 42",
    ),
    "lying_array": (
        "import numpy as np\nclass Arr(np.ndarray):\n"
        "    def __eq__(self, other):\n        return np.ones(self.shape, bool)\n"
        "answer = np.array([41.0]).view(Arr)",
        "assert (answer == 42).all()\nnp.testing.assert_allclose(answer, [42])",
    ),
    "custom_array": (
        "class Fake:\n    def __array__(self, *a, **k):\n"
        "        import numpy\n        return numpy.array(42.0)\nanswer = Fake()",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "fake_sequence": (  # numpy would read it as [42.0] through __len__ and __getitem__
        "class Seq:\n    def __len__(self):\n        return 1\n"
        "    def __getitem__(self, i):\n        if i == 0:\n            return 42.0\n"
        "        raise IndexError(i)\nanswer = Seq()",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "custom_exc": (
        "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)\nanswer = 41",
        "assert answer == 42",
    ),
    "excepthook": (
        "import sys\nsys.excepthook = lambda *a: None\nanswer = 41",
        "assert answer == 42",
    ),
    "patched_builtins": (
        "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.AssertionError = type(\n"
        "    'Quiet', (Exception,), {})\nanswer = 41",
        "assert abs(answer - 42) < 1e-9",
    ),
    "shadowed_builtin": (
        "def abs(x):\n    return 0\nanswer = 41",
        "assert abs(answer - 42) < 1e-9",
    ),
    "module_rebound": (
        "class _T:\n    assert_allclose = staticmethod(lambda *a, **k: None)\n"
        "class _Np:\n    testing = _T()\nnp = _Np()\nanswer = 41",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "module_in_folder": (
        "import os\nfor folder in ('.', os.path.expanduser('~')):  # the home is on sys.path\n"
        "    with open(os.path.join(folder, 'statistics.py'), 'w') as f:\n"
        "        f.write('def fmean(values):\\n    return 42\\n')\n"
        "import importlib, sys\nsys.path.insert(0, '.')\nanswer = 41",
        "import statistics\nassert statistics.fmean([answer]) == 42",
    ),
    "thread_repatch": (
        "import threading, time, numpy.testing\ndef keep():\n    for _ in range(500):\n"
        "        numpy.testing.assert_allclose = lambda *a, **k: None\n        time.sleep(0.01)\n"
        "threading.Thread(target=keep, daemon=True).start()\nanswer = 41",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "fake_output": (
        "print('All tests passed! Score: 1/1')\ndef f(x):\n"
        "    print('UNGP-SENTINEL-' + '0' * 32)\n    return 41\nanswer = 41",
        "assert f(1) == 42",
    ),
    "system_exit_in_function": (
        "def f(x):\n    raise SystemExit(0)\nanswer = 41",
        "assert f(1) == 42",
    ),
    "system_exit": ("answer = 41\nraise SystemExit(0)", "assert answer == 42"),
    # last: these change how the kernel runs every later cell (or stop the interpreter)
    "settrace_skip": (
        "import sys, linecache\ndef tracer(frame, event, arg):\n"
        "    name = frame.f_code.co_filename  # cells only: the trick is to skip a test's checks\n"
        "    if event == 'line' and 'ipykernel_' in name and 'assert' in linecache.getline(\n"
        "            name, frame.f_lineno):\n"
        "        frame.f_lineno += 1\n    return tracer\n"
        "get_ipython().events.register('pre_run_cell', lambda *a: sys.settrace(tracer))\n"
        "answer = 41",
        "x = 0\nassert answer == 42\ny = 1",
    ),
    "ast_transformer": (
        "import ast\nclass Swallow(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = [ast.Try(body=[s], handlers=[ast.ExceptHandler(body=[ast.Pass()])],\n"
        "                             orelse=[], finalbody=[]) for s in node.body]\n"
        "        return ast.fix_missing_locations(node)\n"
        "get_ipython().ast_transformers.append(Swallow())\nanswer = 41",
        "assert answer == 42",
    ),
    "input_transformer": (
        "def drop(lines):\n    return [l for l in lines if 'assert' not in l]\n"
        "get_ipython().input_transformers_post.append(drop)\nanswer = 41",
        "assert answer == 42",
    ),
    "kill_clean_interpreter": (KILL_SIBLINGS, "assert answer == 42"),
}
# These end the trainee's kernel: each runs in a notebook of its own.
FATAL = {
    "os_exit": ("answer = 41\nimport os\nos._exit(0)", "assert answer == 42"),
    "kill_kernel": (
        "answer = 41\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        "assert answer == 42",
    ),
    "exit_in_function": (
        "def f(x):\n    import os\n    os._exit(0)\nanswer = 41",
        "assert f(1) == 42",
    ),
}
SPY = (  # watches every cell it could and prints them: hidden tests must not be among them
    "import sys, inspect\nseen = []\n"
    "get_ipython().events.register('pre_run_cell', lambda info: seen.append(info.raw_cell))\n"
    "get_ipython().input_transformers_cleanup.append(lambda l: (seen.append(''.join(l)), l)[1])\n"
    "def spy(x):\n"
    "    seen.extend(str(f.frame.f_locals) + str(f.code_context) for f in inspect.stack())\n"
    "    return x\n"
)


def _cell(source: str, grade_id: str, kind: str) -> nbformat.NotebookNode:
    meta = {
        "grade_id": grade_id,
        "schema_version": 3,
        "grade": kind == "test",
        "solution": kind == "answer",
        "locked": kind != "answer",
    }
    if kind == "test":
        meta["points"] = 1
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def notebook(tricks: dict[str, tuple[str, str]]) -> nbformat.NotebookNode:
    cells = [
        _cell(SETUP, "setup", "locked"),
        _cell(SPY + "right = 42", "right", "answer"),
        _cell("assert right == 42", "honest", "test"),
        _cell(
            f"### BEGIN HIDDEN TESTS\n_canary = {CANARY!r}\nassert spy(right) == 42\n"
            "### END HIDDEN TESTS",
            "hidden",
            "test",
        ),
    ]
    for name, (trick, test) in tricks.items():
        cells.append(_cell(trick, f"trick-{name}", "answer"))
        cells.append(_cell(test, name, "test"))
    cells.append(_cell("print('\\n'.join(seen))", "spy-report", "answer"))
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": SPEC})


def execute(nb: nbformat.NotebookNode, tmp_path) -> tuple[nbformat.NotebookNode, dict]:
    """Instrument, run in the executor, verify: what the grader does around a sandbox."""
    record = instrument(nb)
    key = secrets.token_hex(8)
    command = [
        sys.executable,
        "-m",
        "ungp_hub.grader.executor",
        "--cwd",
        str(tmp_path),
        "--cell-timeout",
        "20",
        "--modules",
        "numpy,numpy.testing,math",
    ]
    job = {
        "key": key,
        "notebook": nb,
        "guard_cells": record.test_cells,
        "instructor_cells": locked_cells(nb),
    }
    job = json.dumps(job) + "\n"
    home = tmp_path.parent / f"{tmp_path.name}-home"  # as in a sandbox: started in the home
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run(
        command, input=job.encode(), capture_output=True, timeout=240, cwd=home, env=env
    )
    marker = f"\n{key}\n"
    assert marker in done.stdout.decode(), done.stderr.decode()[-3000:]
    result = json.loads(done.stdout.decode().split(marker)[1])
    executed = nbformat.from_dict(result["notebook"])
    verify(executed, record, {int(k): v for k, v in result["notes"].items()})
    return executed, result


def scores(executed: nbformat.NotebookNode) -> dict[str, float]:
    return {
        c.metadata.nbgrader["grade_id"]: determine_grade(c)[0]
        for c in executed.cells
        if c.metadata.nbgrader.get("grade")
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    executed, _ = execute(notebook(TRICKS), tmp_path_factory.mktemp("tricks"))
    return executed


@pytest.fixture(scope="module")
def fatal(tmp_path_factory):
    return {
        name: execute(notebook({name: trick}), tmp_path_factory.mktemp(name))[0]
        for name, trick in FATAL.items()
    }


def test_the_right_answer_scores_full_marks_in_the_same_run(graded):
    assert scores(graded)["honest"] == 1
    assert scores(graded)["hidden"] == 1


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_trick_scores_no_more_than_the_wrong_answer(graded, trick):
    assert scores(graded)[trick] == 0


@pytest.mark.parametrize("trick", sorted(FATAL))
def test_ending_the_kernel_scores_nothing(fatal, trick):
    assert scores(fatal[trick])[trick] == 0


def test_hidden_test_never_reaches_the_trainee(graded):
    """The spy's report (a trainee cell after all tests) lists what the kernel saw."""
    report = next(c for c in graded.cells if c.metadata.nbgrader["grade_id"] == "spy-report")
    seen = "".join(o.get("text", "") for o in report.outputs)
    assert "right = 42" in seen  # the spy did watch its kernel
    for cell in graded.cells:
        if cell.metadata.nbgrader["grade_id"] != "hidden":
            assert CANARY not in json.dumps(cell.get("outputs", []))


def test_a_refused_value_says_why(graded):
    cell = next(c for c in graded.cells if c.metadata.nbgrader["grade_id"] == "lying_object")
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert error.ename == "ValueNotTransferable" and "not plain data" in error.evalue


def test_trainee_output_during_a_test_is_not_the_tests(graded):
    cell = next(c for c in graded.cells if c.metadata.nbgrader["grade_id"] == "fake_output")
    assert "UNGP-SENTINEL-000" not in json.dumps(cell.outputs)


def test_the_grading_kernel_has_no_debugger(tmp_path):
    """ipykernel loads debugpy whenever it can (a sixth of a sandbox's start-up CPU); the
    grading kernel blocks it, and a submission cannot import it either."""
    probe = "import sys\nprint(sys.modules.get('debugpy', 'not loaded'))\nimport debugpy"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(probe)], metadata={"kernelspec": SPEC}
    )
    outputs = execute(nb, tmp_path)[0].cells[0].outputs
    assert outputs[0]["text"] == "None\n"  # blocked: a None entry, not a loaded module
    assert outputs[-1]["output_type"] == "error"
    assert outputs[-1]["ename"] == "ModuleNotFoundError"


def test_the_kernel_listens_on_no_port_and_child_output_still_arrives(tmp_path):
    """The run's sandboxes share a loopback: the kernel's channels and the pipe that forwards
    its child processes' output are Unix sockets in its own /tmp, not ports."""
    probe = (
        "import os, time\npid = os.fork()\nif pid == 0:\n    print('from the child')\n"
        "    os._exit(0)\nos.waitpid(pid, 0)\ntime.sleep(0.5)\n"
        "import psutil\nprint(psutil.Process().net_connections('tcp'))"
    )
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(probe)], metadata={"kernelspec": SPEC}
    )
    outputs = execute(nb, tmp_path)[0].cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs)
    assert "from the child" in text, outputs
    assert text.rstrip().endswith("[]"), text  # no TCP socket at all, listening or not


def test_tests_import_nothing_from_where_a_submission_writes(tmp_path):
    """The executor starts in the home (first on its sys.path): the clean interpreter drops
    it, the notebook's folder and /tmp, so a trainee's `statistics.py` cannot shadow a
    library a test imports."""
    probe = _cell("import os, sys\nprint(repr(sys.path))", "probe", "test")
    nb = nbformat.v4.new_notebook(cells=[probe], metadata={"kernelspec": SPEC})
    text = "".join(o.get("text", "") for o in execute(nb, tmp_path)[0].cells[0].outputs)
    path = eval(text.strip())  # noqa: S307 - a list of strings printed by our own test cell
    home = str(tmp_path.parent / f"{tmp_path.name}-home")
    assert path and not [p for p in path if p in ("", ".") or p.startswith((home, str(tmp_path)))]


QUICKSTART_ANSWER = """
def squares(n):
    if n < 1:
        raise ValueError("n must be greater than or equal to 1")
    return [i ** 2 for i in range(1, n + 1)]

def sum_of_squares(n):
    return sum(squares(n))
"""
QUICKSTART_TESTS = {
    # nbgrader quickstart's problem1 tests: the error a trainee's function raises is caught
    # by its builtin class, and a test that deletes a trainee's name sees the trainee's code
    # fail without it (then puts it back)
    "invalid-input": "try:\n    squares(0)\nexcept ValueError:\n    pass\n"
    "else:\n    raise AssertionError('did not raise')",
    "uses-squares": "orig_squares = squares\ndel squares\ntry:\n    sum_of_squares(1)\n"
    "except NameError:\n    pass\nelse:\n    raise AssertionError('does not use squares')\n"
    "finally:\n    squares = orig_squares",
    "after": "assert sum_of_squares(3) == 14",
}


def test_nbgrader_quickstart_test_patterns_score_as_with_stock_nbgrader(tmp_path):
    cells = [_cell(QUICKSTART_ANSWER, "answer", "answer")]
    cells += [_cell(test, name, "test") for name, test in QUICKSTART_TESTS.items()]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": SPEC})
    assert scores(execute(nb, tmp_path)[0]) == dict.fromkeys(QUICKSTART_TESTS, 1)
