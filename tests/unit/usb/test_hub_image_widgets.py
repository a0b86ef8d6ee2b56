"""The hub image carries the widget manager of public dashboards, packed reproducibly."""

from __future__ import annotations

import os
import tarfile

import pytest
from ungp_hub.dashboards import assets
from ungp_hub.usb.errors import KitError
from ungp_hub.usb.hub_image import _pack_widget_manager


def test_the_pack_is_the_same_whatever_the_files_times(tmp_path, monkeypatch):
    modules = tmp_path / "node_modules"
    dist = modules / assets.HTML_MANAGER_PACKAGE / "dist"
    dist.mkdir(parents=True)
    (dist / "embed-amd.js").write_text("define([], function () {});\n")
    (dist / "b.js").write_text("b\n")
    monkeypatch.setattr(assets, "default_node_modules", lambda: modules)

    _pack_widget_manager(tmp_path / "one.tar")
    os.utime(dist / "b.js", (1, 1))
    _pack_widget_manager(tmp_path / "two.tar")
    assert (tmp_path / "one.tar").read_bytes() == (tmp_path / "two.tar").read_bytes()
    with tarfile.open(tmp_path / "one.tar") as archive:
        assert archive.getnames() == ["html-manager/dist/b.js", "html-manager/dist/embed-amd.js"]


def test_a_missing_widget_manager_is_named_with_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "default_node_modules", lambda: tmp_path)
    with pytest.raises(KitError, match="make up"):
        _pack_widget_manager(tmp_path / "x.tar")
