"""The catalogue in real containers: read-only, open domains for all, restricted by group."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ungp_hub.testing.client import HubUser, run_cell

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "catalogs"))
from ungp_catalogs.build import build_catalog  # noqa: E402

PROBE = """
import json, os
import ungp_catalogs
out = {}
cat = ungp_catalogs.open_catalog()
out["domains"] = sorted(cat)
out["ports"] = len(cat.ais.ais_ports.read())
for path in ("/srv/data/x", "/srv/data/ais/x"):
    try:
        open(path, "w")
    except OSError as error:
        out[path] = error.errno
out["privacy_files"] = sorted(os.listdir("/srv/data/privacy"))
try:
    out["persons"] = len(ungp_catalogs.read_entry("privacy_census_persons"))
except Exception as error:
    out["persons"] = type(error).__name__
out["data_md"] = os.path.getsize("/srv/data/DATA.md")
import intake
plain = intake.open_catalog("/srv/data/catalog.yaml")
out["intake"] = sorted(plain)
out["not_mounted"] = sorted(plain.metadata.get("not_mounted", {}))
if "privacy" in plain:
    out["intake_persons"] = len(plain.privacy.privacy_census_persons.read())
print("RESULT" + json.dumps(out))
"""


def _probe(hub, user: HubUser) -> dict:
    out = run_cell(hub.url, user.name, user.new_token(), PROBE, timeout=90)
    line = next(s for s in out.splitlines() if s.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def test_restricted_domain_is_mounted_only_for_allowed_groups(hub_factory, unique, docker_client):
    hub = hub_factory(start=False)
    build_catalog(hub.settings.data_dir, scale="small")
    hub.start()
    names = {"trainee": f"t-{unique}", "analyst": f"a-{unique}", "instructor": f"i-{unique}"}
    passwords = hub.add_people(
        f"username,role,course\n{names['trainee']},trainee,demo\n{names['analyst']},analyst,\n"
        f"{names['instructor']},instructor,demo\n"
    )
    users = {}
    for role, name in names.items():
        user = HubUser(hub.url, name)
        assert user.login(passwords[name]).status_code == 302
        assert user.start_server().status_code in (201, 202)
        users[role] = user
    for user in users.values():
        user.wait_ready()

    (container,) = docker_client.containers.list(
        filters={"label": f"org.ungp.user={names['trainee']}"}
    )
    mounts = {m["Destination"]: m for m in container.attrs["Mounts"]}
    data_mounts = {d: m for d, m in mounts.items() if d.startswith("/srv/data")}
    assert {"/srv/data", "/srv/data/catalog.yaml", "/srv/data/ais"} <= set(data_mounts)
    assert "/srv/data/privacy" not in data_mounts
    assert all(m["RW"] is False for m in data_mounts.values())

    trainee = _probe(hub, users["trainee"])
    assert "privacy" not in trainee["domains"] and "ais" in trainee["domains"]
    assert trainee["ports"] > 10
    assert trainee["/srv/data/x"] == 30 and trainee["/srv/data/ais/x"] == 30  # EROFS
    assert trainee["privacy_files"] == []
    assert trainee["persons"] == "UnknownEntry"
    assert trainee["data_md"] > 1000
    # Plain Intake (not ungp_catalogs) on the documented path: no hidden domain listed.
    assert "privacy" not in trainee["intake"] and "ais" in trainee["intake"]
    assert trainee["not_mounted"] == ["privacy"] and "intake_persons" not in trainee

    analyst = _probe(hub, users["analyst"])
    assert "privacy" in analyst["domains"]
    assert isinstance(analyst["persons"], int) and analyst["persons"] > 100
    assert analyst["/srv/data/ais/x"] == 30

    instructor = _probe(hub, users["instructor"])
    assert "privacy" in instructor["intake"] and instructor["not_mounted"] == []
    assert instructor["intake_persons"] == instructor["persons"] > 100
