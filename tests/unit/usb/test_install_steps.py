"""The hub side of the install: a journal of finished steps, and settings written once."""

from __future__ import annotations

import yaml
from ungp_hub.images.user import read_built_images
from ungp_hub.usb.install import Steps, Workshop, _write_settings


def test_a_step_is_recorded_once_and_read_back(tmp_path):
    steps = Steps(tmp_path / "usb-install.steps")
    assert not steps.done("tls")
    steps.mark("tls")
    steps.mark("tls")
    steps.mark("hub")
    assert steps.done("tls") and steps.done("hub") and not steps.done("roster")
    assert (tmp_path / "usb-install.steps").read_text() == "tls\nhub\n"


def test_settings_serve_https_and_name_the_kits_user_image_and_are_kept(tmp_path):
    workshop = Workshop(
        tmp_path / "kit",
        tmp_path / "state",
        443,
        "https://10.1.2.3",
        settings_file=tmp_path / "etc" / "settings.yaml",
    )
    _write_settings(workshop, "ungp/user:abc")
    settings = yaml.safe_load(workshop.settings_file.read_text())
    assert settings["hub"]["bind_url"] == "https://0.0.0.0:443"
    assert settings["certification"]["public_url"] == "https://10.1.2.3"
    assert read_built_images(workshop.state) == {"user": "ungp/user:abc"}
    # An organiser's edit survives a second run.
    workshop.settings_file.write_text("hub:\n  bind_url: https://0.0.0.0:8443\n")
    _write_settings(workshop, "ungp/user:abc")
    assert "8443" in workshop.settings_file.read_text()


def test_the_default_address_leaves_out_port_443(tmp_path):
    assert Workshop(tmp_path, tmp_path, 443, "").url.startswith("https://")
    assert ":443" not in Workshop(tmp_path, tmp_path, 443, "").url
    assert Workshop(tmp_path, tmp_path, 8443, "").url.endswith(":8443")
