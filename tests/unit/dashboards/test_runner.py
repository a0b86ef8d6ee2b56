"""What a refused publish says: the notebook's own error, not papermill's noise."""

import io
import json
import tarfile

from ungp_hub.dashboards.runner import WORKDIR, _archive, notebook_error


def executed(outputs):
    return json.dumps({"cells": [{"cell_type": "code", "outputs": outputs}]}).encode()


def test_the_notebooks_error_with_its_traceback_tail():
    output = executed(
        [
            {"output_type": "stream", "text": "loading\n"},
            {
                "output_type": "error",
                "ename": "KeyError",
                "evalue": "'Rotterdam'",
                "traceback": [
                    "\x1b[0;31mKeyError\x1b[0m  Traceback",
                    "line 3 in <module>",
                    "\x1b[0;31mKeyError\x1b[0m: 'Rotterdam'",
                ],
            },
        ]
    )
    message = notebook_error(output, "papermill noise")
    assert message.startswith("KeyError: 'Rotterdam'")
    assert "line 3 in <module>" in message
    assert "\x1b" not in message and "papermill noise" not in message


def test_without_an_error_cell_the_log_tail():
    log = "\n".join(f"line {n}" for n in range(40)) + "\nNo such kernel: python3"
    message = notebook_error(None, log)
    assert message.endswith("No such kernel: python3")
    assert "line 10\n" not in message
    assert notebook_error(b"not json", "") == "the run failed without a message"


def test_the_archive_puts_files_in_a_folder_of_the_notebook_user():
    data = _archive({"source.ipynb": b"{}", "parameters.json": b'{"week": 3}'})
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert members[WORKDIR.strip("/")].isdir()
        params = members[f"{WORKDIR.strip('/')}/parameters.json"]
        assert (params.uid, params.gid) == (1000, 1000)
        assert tar.extractfile(params).read() == b'{"week": 3}'
