"""A real grading run over a course folder its instructor has booby-trapped (issue 17).

Next to a secret outside the course (standing for the issuer key), the submission holds a
symbolic link and a hard link to it, a FIFO as its timestamp, and a trainee answer that prints
every file it finds in its sandbox; the course folder holds a link in place of a student's
autograded folder. The run must end, grade what is honest, name what it left out, and the
secret's bytes must appear nowhere the instructor can read.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from ungp_hub.engine import docker_client_or_none
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.nbgrader_assignment import CORRECT, source_notebook

pytestmark = pytest.mark.integration

SECRET = b"ISSUER-KEY-" + b"5b1e0c" * 8
RUN_SECONDS = 240
SNOOP = CORRECT + (
    "import os\n"
    "print('SNOOPED', sorted(os.listdir()))\n"
    "for root, _, names in os.walk(os.getcwd()):\n"
    "    for name in names:\n"
    "        try:\n"
    "            print(name, open(os.path.join(root, name), 'rb').read(200))\n"
    "        except OSError as error:\n"
    "            print(name, error)\n"
)


def copies_of_secret(folder: Path, secret: Path) -> list[str]:
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file() or path.samefile(secret):
                continue
            if SECRET in path.read_bytes():
                found.append(str(path.relative_to(folder)))
    return found


def test_planted_links_fifos_and_hard_links_reach_nothing(tmp_path, user_image):
    client = docker_client_or_none()
    state = tmp_path / "state"
    course = TestCourse.make(state, "trapped", "ps1", source_notebook())
    secret = state / "certification" / "issuer.key"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    os.chmod(secret, 0o600)

    snooper = course.submit("snooper", course.answer({"answer": SNOOP}))
    (snooper / "key.pem").symlink_to(secret)
    (snooper / "data.csv").hardlink_to(secret)
    (snooper / "timestamp.txt").unlink()
    os.mkfifo(snooper / "timestamp.txt")
    course.submit("honest", course.answer({"answer": CORRECT}))
    course.submit("redirected", course.answer({"answer": CORRECT}))
    (course.folder / "autograded").mkdir(exist_ok=True)
    (course.folder / "autograded" / "redirected").symlink_to(secret.parent, True)

    limits = SandboxLimits(image=user_image, memory="512M", cell_timeout=10, notebook_timeout=40)
    work = Assignment(course.folder, course.name, "ps1", course.db_url)
    done: list = []
    runner = threading.Thread(
        target=lambda: done.append(GradingRun(work, limits, 2, client).grade()), daemon=True
    )
    runner.start()
    runner.join(RUN_SECONDS)
    assert done, f"the grading run did not end within {RUN_SECONDS} s"
    by = {r.student: r for r in done[0].results}

    assert (by["honest"].status, by["honest"].score) == ("graded", 2)
    assert (by["snooper"].status, by["snooper"].score) == ("graded", 2)
    assert "symbolic link" in by["snooper"].reasons["file key.pem"]
    assert "hard link" in by["snooper"].reasons["file data.csv"]
    assert "not a regular file" in by["snooper"].reasons["file timestamp.txt"]
    printed = json.dumps(
        json.loads((course.folder / "autograded/snooper/ps1/answers.ipynb").read_text())
    )
    assert "SNOOPED" in printed  # the answer looked, and found neither link in its sandbox
    assert "key.pem" not in printed and "data.csv" not in printed
    assert by["redirected"].status == "error"
    assert "autograded/redirected is a symbolic link" in by["redirected"].reasons[""]

    assert secret.read_bytes() == SECRET and sorted(os.listdir(secret.parent)) == ["issuer.key"]
    assert copies_of_secret(course.folder, secret) == []
    assert not client.containers.list(all=True, filters={"label": "ungp.grader.course=trapped"})
