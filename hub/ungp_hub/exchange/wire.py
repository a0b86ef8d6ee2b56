"""How files travel between the client and the service: JSON with base64 contents.

One format for every direction keeps the checks in one place: names (no traversal), the size
limit (counted on decoded bytes) and notebooks that must be JSON notebooks.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from ..courses.names import check_relative_path
from ..errors import BadName, BadNotebook, TooLarge, UserError

HIDDEN_MARKER = re.compile(r"BEGIN\s+HIDDEN\s+TESTS|END\s+HIDDEN\s+TESTS", re.IGNORECASE)


def encode_files(files: dict[str, bytes]) -> dict[str, str]:
    return {name: base64.b64encode(content).decode("ascii") for name, content in files.items()}


def decode_files(payload: Any, max_bytes: int) -> dict[str, bytes]:
    """Check and decode ``{"files": {name: base64}}``; raise a refusal naming the problem."""
    if not isinstance(payload, dict) or not isinstance(payload.get("files"), dict):
        raise UserError('the request must be JSON of the form {"files": {name: base64}}')
    files: dict[str, bytes] = {}
    total = 0
    for name, encoded in payload["files"].items():
        check_relative_path(name)
        if not isinstance(encoded, str):
            raise BadName(f"the content of {name!r} must be a base64 string")
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise UserError(f"the content of {name!r} is not valid base64") from None
        total += len(content)
        if total > max_bytes:
            raise TooLarge(
                f"the files are larger than the limit of {max_bytes / 1e6:g} MB; remove data "
                "files or outputs you do not need and try again"
            )
        if name.endswith(".ipynb"):
            check_notebook(name, content)
        files[name] = content
    if not files:
        raise UserError("there are no files to send")
    return files


def check_notebook(name: str, content: bytes) -> None:
    try:
        notebook = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadNotebook(
            f"{name} is not a valid notebook (not JSON: {error}); open it in JupyterLab, save "
            "it again and resubmit"
        ) from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise BadNotebook(f"{name} is JSON but not a notebook (it has no list of cells)")


def leaks_hidden_tests(html: bytes) -> bool:
    """True if feedback still shows nbgrader's hidden-test markers (tags removed first)."""
    text = re.sub(rb"<[^>]*>", b"", html).decode("utf-8", errors="replace")
    return bool(HIDDEN_MARKER.search(text))
