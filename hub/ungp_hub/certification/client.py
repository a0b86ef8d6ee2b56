"""Sit an exam from JupyterLab: fetch the notebook, submit it, print the receipt.

Runs in the candidate's container with the server's own hub token (JUPYTERHUB_API_TOKEN) and
the service address the hub puts in UNGP_CERTIFICATION_URL::

    python -m ungp_hub.certification.client fetch cpi        # writes x3-scanner-cpi.ipynb
    python -m ungp_hub.certification.client submit cpi x3-scanner-cpi.ipynb

The time limit starts at the first fetch and is counted by the hub's clock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import requests


class ExamClientError(Exception):
    """The hub refused or could not be reached; the message is the hub's reason."""


def _call(track: str, verb: str, body: bytes, url: str | None, token: str | None) -> dict:
    url = url or os.environ.get("UNGP_CERTIFICATION_URL", "")
    token = token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not url or not token:
        raise ExamClientError(
            "UNGP_CERTIFICATION_URL and JUPYTERHUB_API_TOKEN must be set (they are in your "
            "JupyterLab on the hub)"
        )
    try:
        response = requests.post(
            f"{url.rstrip('/')}/api/exams/{track}/{verb}",
            data=body,
            headers={"Authorization": f"token {token}"},
            timeout=600,
        )
    except requests.RequestException as exc:
        raise ExamClientError(f"cannot reach the certification service: {exc}") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {"reason": response.text[:300]}
    if response.status_code >= 400:
        raise ExamClientError(answer.get("reason") or f"HTTP {response.status_code}")
    return answer


def fetch(
    track: str, folder: Path = Path("."), url: str | None = None, token: str | None = None
) -> tuple[Path, dict[str, Any]]:
    """Start (or resume) the sitting; write the notebook unless it is already there."""
    answer = _call(track, "fetch", b"{}", url, token)
    path = Path(folder) / answer["filename"]
    if not path.exists():
        path.write_text(json.dumps(answer["notebook"], indent=1) + "\n", encoding="utf-8")
    return path, answer["sitting"]


def submit(
    track: str, notebook: Path, url: str | None = None, token: str | None = None
) -> dict[str, Any]:
    return _call(track, "submit", Path(notebook).read_bytes(), url, token)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fetch or submit a certification exam")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("fetch").add_argument("track")
    submitting = sub.add_parser("submit")
    submitting.add_argument("track")
    submitting.add_argument("notebook", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.verb == "fetch":
            path, sitting = fetch(args.track)
            print(f"exam notebook: {path}")
            print(
                f"attempt {sitting['attempt']}, fetched at {sitting['fetched_at']}, "
                f"submit before {sitting['deadline']} (hub clock)"
            )
            return 0
        answer = submit(args.track, args.notebook)
    except (ExamClientError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    receipt = answer["receipt"]
    print(
        f"submitted at {receipt['submitted_at']} (deadline {receipt['deadline']})\n"
        f"receipt {receipt['sitting']}  sha256 {receipt['sha256']}"
    )
    if "grade" in answer:
        grade = answer["grade"]
        verdict = "PASSED" if answer["passed"] else "not passed"
        print(
            f"score {grade['score']:g} / {grade['max_score']:g} ({grade['percent']:.0f}%, "
            f"pass mark {answer['pass_mark']:g}%): {verdict}"
        )
        if "credential" in answer:
            print(f"certificate {answer['credential']['id']}: {answer['credential']['verify']}")
    else:
        print("grading: your submission waits for the grader; see your certificates page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
