"""R in the user image, for real: the IR kernel starts and reads the catalogue (a tampered copy
is refused), the R assignments score what their expected-grades.yaml says through the
sandboxed grader, and R's price indices equal ungp_methods' to 1e-9 on the same data."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml
from sandbox_course import grade_kept_submissions
from testpolicy import REPO_ROOT
from ungp_hub.grader.limits import SandboxLimits

pytestmark = pytest.mark.integration

DATA = "/srv/data"
# module folder, assignment, notebook (the R assignments of courses/)
R_ASSIGNMENTS = [
    ("m0-foundations", "m0_catalogue_quality_r", "quality.ipynb"),
    ("m3-scanner-cpi", "m3_scanner_index_r", "scanner_index.ipynb"),
]

KERNEL_PROBE = r"""
import json, sys
from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="ir", startup_timeout=120)
def run(code):
    out, error = [], None
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            out.append(content["text"])
        elif kind == "error":
            error = content["evalue"]
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out), error
report = {
    "version": run('cat(R.version$major, R.version$minor, sep = ".")'),
    "read": run('library(ungp); p <- ungp_read("scanner_products"); '
                'cat(nrow(p), ungp_entry("scanner_products")$metadata$rows)'),
    "packages": run('for (p in c("data.table", "dplyr", "ggplot2", "sf", "testthat", '
                    '"nanoarrow", "digest", "jsonlite")) library(p, character.only = TRUE); '
                    'cat("loaded")'),
    "tampered": run('r <- tryCatch(ungp_read("scanner_products", "/tmp/copy"), '
                    'ungp_checksum_mismatch = function(e) conditionMessage(e)); cat(r)'),
}
km.shutdown_kernel(now=True)
print(json.dumps(report))
"""

ISOLATION_PROBE = r"""
import json, os, subprocess, sys, time
from ungp_hub.grader import clean_r

pid, conn = clean_r.start("/tmp/nb")
assert json.loads(conn.recv_bytes()) == {"op": "ready"}
PEEK = '''
import json, os, sys
seen = {}
for what in ("environ", "fd", "maps"):
    path = f"/proc/{sys.argv[1]}/{what}"
    try:
        os.listdir(path) if what == "fd" else open(path, "rb").read(1)
        seen[what] = "read"
    except OSError as error:
        seen[what] = type(error).__name__
print(json.dumps(seen))
'''
def peek(target):  # another process of uid 1000, started with exec: as the trainee's kernel
    out = subprocess.run([sys.executable, "-c", PEEK, str(target)], capture_output=True)
    return json.loads(out.stdout)
exec_r = subprocess.Popen(["/usr/lib/R/bin/exec/R", "--vanilla", "--no-echo", "-e",
                           "Sys.sleep(30)"], env=dict(os.environ, **clean_r.R_ENVIRONMENT))
time.sleep(1)
print(json.dumps({"clean_r": peek(pid), "exec_r": peek(exec_r.pid)}))
exec_r.kill()
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The catalogue domains the R assignments read (scanner, ais), built small."""
    from ungp_catalogs.build import build_catalog

    data = tmp_path_factory.mktemp("r-data") / "data"
    build_catalog(data, scale="small", domains=["scanner", "ais"])
    return data


def _run_in_image(docker_client, image: str, data_dir: Path, script: str, unique: str) -> str:
    """Run a shell script in a container of the user image with the catalogue mounted."""
    output = docker_client.containers.run(
        image,
        ["bash", "-c", script],
        volumes={str(data_dir): {"bind": DATA, "mode": "ro"}},
        working_dir="/tmp",
        labels={"ungp.test": unique},
        network_mode="none",
        remove=True,
        stderr=False,
    )
    return output.decode()


def test_r_kernel_starts_reads_the_catalogue_and_refuses_a_tampered_file(
    docker_client, user_image, data_dir, unique
):
    listed = _run_in_image(
        docker_client, user_image, data_dir, "jupyter kernelspec list --json", unique
    )
    assert json.loads(listed)["kernelspecs"]["ir"]["spec"]["language"] == "R"
    # The tampered copy: one byte of scanner_products flipped, in a writable copy.
    script = (
        f"cp -r {DATA} /tmp/copy && f=$(ls /tmp/copy/scanner/scanner_products/*.parquet) && "
        "printf '\\xff' | dd of=$f bs=1 seek=100 conv=notrunc status=none && "
        f"python - <<'PY'\n{KERNEL_PROBE}\nPY"
    )
    report = json.loads(_run_in_image(docker_client, user_image, data_dir, script, unique))
    assert report["version"][1] is None and report["version"][0].startswith("4.")
    out, error = report["read"]
    assert error is None, error
    read_rows, catalogue_rows = out.split()
    assert read_rows == catalogue_rows and int(read_rows) > 0
    assert report["packages"] == ["loaded", None]
    message, error = report["tampered"]
    assert (
        error is None and "corrupted or was modified" in message and "scanner_products" in message
    )


def test_the_clean_r_process_is_out_of_reach_of_the_trainees_processes(
    docker_client, user_image, data_dir, unique
):
    """R embedded in a fork of the non-dumpable executor stays non-dumpable (no exec): a
    process of the same uid cannot read its /proc entries; an exec'd R (the control) can."""
    script = f"python - <<'PY'\n{ISOLATION_PROBE}\nPY"
    report = json.loads(_run_in_image(docker_client, user_image, data_dir, script, unique))
    assert report["exec_r"] == {"environ": "read", "fd": "read", "maps": "read"}
    assert report["clean_r"] == {n: "PermissionError" for n in ("environ", "fd", "maps")}


@pytest.mark.parametrize(
    "module,assignment,notebook", R_ASSIGNMENTS, ids=[a[1] for a in R_ASSIGNMENTS]
)
def test_r_assignments_get_their_expected_grades_from_the_sandboxed_grader(
    docker_client, user_image, data_dir, tmp_path, module, assignment, notebook
):
    expected_file = (
        REPO_ROOT / "courses" / module / "submissions" / assignment / "expected-grades.yaml"
    )
    expected = {k: float(v) for k, v in yaml.safe_load(expected_file.read_text()).items()}
    limits = SandboxLimits(
        image=user_image,
        memory="1G",
        pids=128,
        cell_timeout=120,
        notebook_timeout=300,
        volumes={str(data_dir): {"bind": DATA, "mode": "ro"}},
    )
    scores = grade_kept_submissions(
        tmp_path / "state", module, assignment, notebook, limits, docker_client
    )
    assert scores == expected, f"grader scores {scores}, {expected_file.name} says {expected}"


def test_r_and_python_price_indices_agree(docker_client, user_image, data_dir, unique):
    """The m3 R reference solution against ungp_methods.prices, in the same container."""
    source = REPO_ROOT / "courses/m3-scanner-cpi/source/m3_scanner_index_r/scanner_index.ipynb"
    cells = nbformat.read(source, as_version=4).cells
    solution = "\n".join(
        c.source
        for c in cells
        if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
    )
    r_script = solution + (
        "\ncat(jsonlite::toJSON(list(direct = as.list(direct), geks = as.list(geks), "
        "chained = as.list(chained)), digits = NA, auto_unbox = TRUE))\n"
    )
    python = """
import json
import pandas as pd
from ungp_catalogs import read_entry
from ungp_methods.prices import bilateral_series, multilateral_index

tx = read_entry("scanner_transactions")
part = tx[tx["coicop"] == "01.2.1.1"]
part = part.assign(month=pd.to_datetime(part["week_start"]).dt.strftime("%Y-%m"))
uv = part.groupby(["month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
uv["price"] = uv["turnover"] / uv["quantity"]
kw = {"period": "month", "product": "gtin"}
out = {
    "direct": bilateral_series(uv, "tornqvist", chained=False, **kw),
    "geks": multilateral_index(uv, "geks_tornqvist", window=None, **kw),
    "chained": bilateral_series(uv, "tornqvist", chained=True, **kw),
}
print(json.dumps({k: {str(m): float(v) for m, v in s.items()} for k, s in out.items()}))
"""
    script = (
        f"cat > /tmp/index.R <<'EOF'\n{r_script}\nEOF\n"
        "Rscript /tmp/index.R | tail -n 1 && echo && "
        f"python - <<'EOF'\n{python}\nEOF\n"
    )
    lines = _run_in_image(docker_client, user_image, data_dir, script, unique).strip().splitlines()
    from_r, from_python = json.loads(lines[-2]), json.loads(lines[-1])
    for method in ("direct", "geks", "chained"):
        ours, theirs = from_r[method], from_python[method]
        assert sorted(ours) == sorted(theirs) and len(ours) >= 13
        worst = max(abs(ours[m] / theirs[m] - 1) for m in theirs)
        assert worst < 1e-9, f"{method}: R and Python differ by {worst:.2e}"
    assert abs(from_r["geks"][min(from_r["geks"])] - 1) < 1e-12
