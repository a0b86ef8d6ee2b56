"""The hub side of a kit's install, run by the kit's ``install`` script in the hub image.

Each step is recorded in STATE/usb-install.steps once done and skipped afterwards, so an
interrupted install resumes and a second run changes nothing. The bash script before it has
already checked the kit, installed the engine and loaded the images.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
import requests
import yaml

from ..images.user import read_built_images, record_built_images
from .errors import KitError
from .tls import WorkshopTLS, ensure_workshop_tls, lan_address, local_addresses

HUB_CONTAINER = "ungp-hub"
SETTINGS_FILE = Path("/etc/ungp-hub/settings.yaml")


@dataclass
class Steps:
    """The install's journal: one finished step per line (the bash script writes it too)."""

    path: Path

    def done(self, name: str) -> bool:
        return self.path.exists() and name in self.path.read_text().split()

    def mark(self, name: str) -> None:
        if not self.done(name):
            with open(self.path, "a") as handle:
                handle.write(name + "\n")


@dataclass
class Workshop:
    kit: Path
    state: Path
    port: int = 443
    hub_url: str = ""
    settings_file: Path = SETTINGS_FILE

    @property
    def url(self) -> str:
        host = lan_address() or socket.gethostname()
        return self.hub_url or f"https://{host}" + ("" if self.port == 443 else f":{self.port}")

    @property
    def tls(self) -> WorkshopTLS:
        return WorkshopTLS(self.state / "tls")


def set_up_hub(
    workshop: Workshop,
    client: docker.DockerClient,
    roster: Path | None = None,
    say: Callable[[str], None] = print,
) -> dict:
    """Run the hub-side steps that are not done yet; return what the organiser needs."""
    steps = Steps(workshop.state / "usb-install.steps")
    kit_info = json.loads((workshop.kit / "kit.json").read_text())
    if not steps.done("files"):
        say("copying the catalogue data, courses and exams…")
        _copy_files(workshop)
        steps.mark("files")
    if not steps.done("settings"):
        _write_settings(workshop, kit_info["images"]["user"])
        steps.mark("settings")
    if not steps.done("tls"):
        host = workshop.url.split("//", 1)[1].split(":")[0].split("/")[0]
        names = [host, socket.gethostname(), "localhost", *local_addresses()]
        ensure_workshop_tls(workshop.tls.folder, names)
        steps.mark("tls")
    _ensure_hub_container(workshop, client, kit_info["images"]["hub"], say)
    steps.mark("hub")
    result = {"url": workshop.url, "ca": str(workshop.tls.ca_cert)}
    if roster is not None:
        slips = workshop.state / "login-slips.pdf"
        if not steps.done("roster"):
            say(f"importing the roster {roster}…")
            _import_roster(workshop, roster, slips)
            steps.mark("roster")
        result["slips"] = str(slips)
        result["passwords"] = str(slips.with_suffix(".json"))
    return result


def _copy_files(workshop: Workshop) -> None:
    shutil.copytree(workshop.kit / "data", workshop.state / "data", dirs_exist_ok=True)
    for part in ("courses", "certification"):
        shutil.copytree(workshop.kit / part, workshop.state / "kit" / part, dirs_exist_ok=True)


def _write_settings(workshop: Workshop, user_tag: str) -> None:
    if not workshop.settings_file.exists():
        settings = {
            "hub": {
                "bind_url": f"https://0.0.0.0:{workshop.port}",
                "state_dir": str(workshop.state),
            },
            "certification": {
                "public_url": workshop.url,
                "tracks_file": str(workshop.state / "kit" / "certification" / "tracks.yaml"),
            },
        }
        workshop.settings_file.parent.mkdir(parents=True, exist_ok=True)
        workshop.settings_file.write_text(yaml.safe_dump(settings, sort_keys=False))
    if read_built_images(workshop.state).get("user") != user_tag:
        record_built_images(workshop.state, {"user": user_tag})


def _ensure_hub_container(
    workshop: Workshop, client: docker.DockerClient, hub_tag: str, say: Callable[[str], None]
) -> None:
    try:
        container = client.containers.get(HUB_CONTAINER)
        if container.status != "running":
            container.start()
    except docker.errors.NotFound:
        say(f"starting the hub ({hub_tag}) on port {workshop.port}…")
        tls = workshop.tls
        state = str(workshop.state)
        client.containers.run(
            hub_tag,
            name=HUB_CONTAINER,
            detach=True,
            network_mode="host",
            # The hub contains user containers with iptables rules in the host's namespace.
            cap_add=["NET_ADMIN"],
            restart_policy={"Name": "unless-stopped"},
            volumes={
                "/var/run/docker.sock": {"bind": "/var/run/docker.sock", "mode": "rw"},
                state: {"bind": state, "mode": "rw"},
                str(workshop.settings_file.parent): {"bind": "/etc/ungp-hub", "mode": "ro"},
            },
            environment={
                "UNGP_TLS_CERT": str(tls.cert),
                "UNGP_TLS_KEY": str(tls.key),
                "UNGP_TLS_CA": str(tls.ca_cert),
            },
            # JupyterHub reaches its proxy by this machine's name, which a LAN may not resolve.
            extra_hosts={socket.gethostname(): "127.0.0.1"},
            working_dir=state,
            labels={"ungp.usb": "hub"},
        )
    _wait_for_hub(workshop)


def _wait_for_hub(workshop: Workshop, timeout: float = 180) -> None:
    url = f"https://127.0.0.1:{workshop.port}/hub/api/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=3, verify=str(workshop.tls.ca_cert)).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise KitError(
        f"the hub did not answer at {url} within {timeout:.0f} s; "
        f"see `docker logs {HUB_CONTAINER}`, then run install again (it resumes)."
    )


def _import_roster(workshop: Workshop, roster_csv: Path, slips: Path) -> None:
    from ..accounts.hub_api import HubAPI
    from ..accounts.importer import import_roster
    from ..accounts.private import write_private
    from ..accounts.roster import Roster
    from ..accounts.slips import write_login_slips
    from ..settings import load_settings

    os.environ["REQUESTS_CA_BUNDLE"] = str(workshop.tls.ca_cert)
    settings = load_settings(workshop.settings_file)
    roster = Roster.read(roster_csv)
    db_url = f"sqlite:///{workshop.state}/jupyterhub.sqlite"
    result = import_roster(roster, HubAPI.from_settings(settings), db_url, str(roster_csv))
    write_login_slips(roster.people, result.passwords, workshop.url, slips)
    write_private(slips.with_suffix(".json"), json.dumps(result.passwords, indent=2).encode())
