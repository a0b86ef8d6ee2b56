"""The Data catalogue page lists every entry with its trust metadata, and reaches the home."""

from __future__ import annotations

import os
from pathlib import Path

from ungp_catalogs.datapage import PAGE, install_in_home, render_data_page


def test_page_lists_every_entry_with_licence_provenance_and_checksums(data_dir: Path, entries):
    page = (data_dir / PAGE).read_text(encoding="utf-8")
    assert page == render_data_page(data_dir)  # written by the build, and up to date
    for name, entry in entries.items():
        assert f"### `{name}`" in page
        for f in entry.files:
            assert f["sha256"] in page
    assert "MIT" in page and "seed 7" in page
    assert "Access: **restricted**" in page


def test_page_is_copied_read_only_into_the_home_and_refreshed(data_dir: Path, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    target = install_in_home(home, data_dir)
    assert target == home / PAGE and target.read_bytes() == (data_dir / PAGE).read_bytes()
    assert not os.access(target, os.W_OK) or os.geteuid() == 0
    assert install_in_home(home, data_dir) == target  # a second start replaces it
    assert install_in_home(home, tmp_path / "nothing") is None
