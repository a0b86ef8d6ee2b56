"""The offline USB kit, end to end: build it, install it into a bare Debian 12 with no network.

One kit is built per session (the shared `kit` fixture of tests/integration_fixtures.py, also
used by test_ansible.py) and used by both tests. The target (ungp_hub.testing.target) is a
container of the debootstrapped bookworm base image started with `--network none` and the
capabilities its own Docker engine needs (plain --privileged fails on these machines); that
engine keeps its data in a host folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
import requests
from ungp_hub.images.base import base_image_name
from ungp_hub.testing.target import CATALOGUE_CELL as CELL
from ungp_hub.testing.target import KIT_MOUNT, ROSTER, BareDebian, run

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_a_flipped_byte_in_an_image_archive_is_refused_before_anything_is_installed(kit, tmp_path):
    copy = tmp_path / "kit"
    # Hard links for every file but the one we damage (the 2 GB image is not copied).
    subprocess.run(["cp", "-al", str(kit["path"]), str(copy)], check=True)
    (victim,) = (copy / "images").glob("ungp_hub_*.tar.zst")
    data = victim.read_bytes()
    victim.unlink()
    victim.write_bytes(data[:5000] + bytes([data[5000] ^ 0x01]) + data[5001:])
    started = time.monotonic()
    result = run(
        [
            "docker",
            "run",
            "--rm",
            "--network",
            "none",
            "--label",
            "ungp.test=usb",
            "-v",
            f"{copy}:{KIT_MOUNT}:ro",
            base_image_name("bookworm"),
            "bash",
            "-c",
            f'{KIT_MOUNT}/install --expect-key "$1"; code=$?; ls /var/lib/ungp-hub 2>&1; '
            "command -v dockerd; exit $code",
            "install",
            kit["fingerprint"],
        ],
    )
    seconds = time.monotonic() - started
    shutil.rmtree(copy)  # the damaged archive is a real copy (460 MB)
    assert result.returncode != 0
    assert f"images/{victim.name}: FAILED" in result.stderr
    assert "Nothing was installed" in result.stderr
    assert "No such file or directory" in result.stdout  # no state dir was made
    assert "dockerd" not in result.stdout  # no package was installed
    print(f"tampered kit refused in {seconds:.1f} s")


@pytest.fixture(scope="module")
def target(kit, docker_client, tmp_path_factory):
    """A bare Debian 12 with no network, the kit mounted read-only, and a roster."""
    work = tmp_path_factory.mktemp("usb-target")
    machine = BareDebian(work).start(kit["path"], ROSTER)
    yield machine
    machine.remove()
    shutil.rmtree(work, ignore_errors=True)


def test_the_kit_installs_offline_and_a_trainee_runs_a_cell(kit, target):
    result, install_seconds = target.install(kit["fingerprint"])
    assert result.returncode == 0, f"install failed:\n{result.stdout}\n{result.stderr}"
    assert "kit verified" in result.stderr
    assert "login slips to print: /var/lib/ungp-hub/login-slips.pdf" in result.stdout
    assert target.shell("head -c 5 /var/lib/ungp-hub/login-slips.pdf").stdout == "%PDF-"

    started = time.monotonic()
    checked = target.login_and_run("ada", CELL)
    login_seconds = time.monotonic() - started
    assert checked.returncode == 0, f"{checked.stdout}\n{checked.stderr}"
    assert int(checked.stdout.split("entries", 1)[1].split()[0]) > 0

    # Running it again changes nothing: same steps, same containers, no second roster import.
    state = "cat /var/lib/ungp-hub/usb-install.steps; docker ps -q --no-trunc"
    before = target.shell(state)
    again, _ = target.install(kit["fingerprint"])
    assert again.returncode == 0, f"{again.stdout}\n{again.stderr}"
    assert target.shell(state).stdout == before.stdout
    assert "importing the roster" not in again.stderr
    print(
        f"kit build {kit['seconds']:.0f} s; install {install_seconds:.0f} s; "
        f"login+spawn+cell {login_seconds:.0f} s\n{kit['report']}"
    )


# Runs in the workshop's hub container: its certification service issues a certificate to a
# roster trainee with the workshop's own issuer keys, as after a passed exam.
ISSUE = """
from pathlib import Path
from ungp_hub.settings import load_settings
from ungp_hub.certification.site import public_url
from ungp_hub.certification.exams import ExamGrade
from ungp_hub.certification.issuing import Certifier
from ungp_hub.certification.tracks import load_programme
settings = load_settings("/etc/ungp-hub/settings.yaml")
certifier = Certifier(Path(settings.get("hub.state_dir")) / "certification",
                      public_url(settings), settings.get("certification.issuer_name"))
track = next(iter(load_programme(Path(settings.get("certification.tracks_file"))).tracks.values()))
grade = ExamGrade(track.exam.id, "ada", 9.0, 10.0, ())
print(certifier.issue("ada", "Ada Lovelace", track, grade, "ab" * 32).id)
"""


def test_results_exported_at_the_workshop_verify_at_a_second_hub(target, hub_factory, tmp_path):
    """After the workshop: export the signed results on the target, import them into another
    hub (as the central hub), and verify the workshop's certificate on that hub's public page."""
    hub_exec = ["docker", "exec", target.name, "docker", "exec", "ungp-hub"]
    issued = run([*hub_exec, "python", "-c", ISSUE])
    assert issued.returncode == 0, issued.stderr
    credential_id = issued.stdout.strip().splitlines()[-1]
    bundle_path = "/var/lib/ungp-hub/results-accra.tar"
    exported = run(
        [*hub_exec, "ungp", "usb", "export-results", "--workshop", "accra", "--out", bundle_path]
    )
    assert exported.returncode == 0, exported.stderr
    fingerprint = exported.stdout.split("signed by key ")[1].strip()
    bundle = tmp_path / "results-accra.tar"
    assert run(["docker", "cp", f"{target.name}:{bundle_path}", str(bundle)]).returncode == 0

    central = hub_factory()
    verify_url = f"{central.url}/services/certification/verify/{credential_id}"
    assert requests.get(verify_url, timeout=30).status_code == 404  # not imported yet
    for _ in range(2):  # importing twice adds nothing
        imported = run(
            [
                sys.executable,
                "-m",
                "ungp_hub.cli.main",
                "results",
                "import",
                "--settings",
                str(central.settings_file),
                str(bundle),
                "--expect-key",
                fingerprint,
            ]
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "1 imported certificates verify" in imported.stdout
    assert "0 added" in imported.stdout
    verdict = requests.get(verify_url, headers={"Accept": "application/json"}, timeout=30)
    assert verdict.status_code == 200 and verdict.json()["valid"] is True, verdict.text
    page = requests.get(verify_url, timeout=30).text
    assert 'id="verdict">VALID' in page and "workshop accra" in page
