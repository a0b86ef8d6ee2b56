"""Which domain directories a user's container gets: open for all, restricted by group."""

from __future__ import annotations

from pathlib import Path

from ungp_hub.spawner.data_mounts import allowed, data_volumes

RULES = {"privacy": ["instructors:*", "analysts"]}


def _binds(data_dir: Path, groups: list[str]) -> dict[str, str]:
    volumes = data_volumes(data_dir, "/srv/data", groups, RULES)
    assert all(v["mode"] == "ro" for v in volumes.values())
    return {v["bind"]: host for host, v in volumes.items()}


def test_trainee_gets_open_domains_and_root_files_only(data_dir: Path):
    binds = _binds(data_dir, ["trainees"])
    assert binds["/srv/data/catalog.yaml"] == str(data_dir / "catalog.yaml")
    assert binds["/srv/data/ais"] == str(data_dir / "ais")
    assert "/srv/data/mobile" in binds and "/srv/data/eo" in binds
    assert "/srv/data/privacy" not in binds
    assert not any(b == "/srv/data" for b in binds)  # never the whole directory


def test_allowed_groups_get_the_restricted_domain(data_dir: Path):
    for groups in (["instructors:m1-ais"], ["trainees", "analysts"]):
        assert _binds(data_dir, groups)["/srv/data/privacy"] == str(data_dir / "privacy")
    assert "/srv/data/privacy" not in _binds(data_dir, ["instructors"])


def test_unlisted_restricted_domain_and_unbuilt_directory_mount_nothing(tmp_path: Path):
    assert not allowed("secret", ["analysts"], RULES)
    assert data_volumes(tmp_path, "/srv/data", ["analysts"], RULES) == {}
    (tmp_path / "catalog.yaml").write_text(
        "sources:\n  secret: {metadata: {}}\n  open1: {metadata: {access: open}}\n"
    )
    (tmp_path / "secret").mkdir()
    (tmp_path / "open1").mkdir()
    (tmp_path / "stray").mkdir()  # not in the catalogue: not mounted
    binds = _binds(tmp_path, ["analysts"])
    assert set(binds) == {"/srv/data/catalog.yaml", "/srv/data/open1"}


def test_the_view_is_mounted_at_the_root_with_a_placeholder_per_domain(
    data_dir: Path, tmp_path: Path
):
    view = tmp_path / "view"
    volumes = data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view)
    assert volumes[str(view)] == {"bind": "/srv/data", "mode": "ro"}
    assert (view / "privacy").is_dir() and not any((view / "privacy").iterdir())
    assert (view / "catalog.yaml").read_bytes() == b""
    assert str(data_dir / "privacy") not in volumes


def _root_seen(volumes: dict) -> Path:
    (host,) = [h for h, v in volumes.items() if v["bind"] == "/srv/data/catalog.yaml"]
    return Path(host)


def test_plain_intake_lists_only_the_domains_a_trainee_can_read(data_dir: Path, tmp_path: Path):
    import intake

    view = tmp_path / "view"
    root = _root_seen(data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view))
    assert root.parent == tmp_path / "view-catalogs"  # beside the view: no container sees it
    cat = intake.open_catalog(str(root))
    assert "privacy" not in list(cat) and {"ais", "mobile", "eo"} <= set(cat)
    hidden = cat.metadata["not_mounted"]["privacy"]
    assert hidden["readable_by_groups"] == ["instructors:*", "analysts"]
    assert "instructors:*" in hidden["ask"] and hidden["task_team"]
    # The hidden domain's catalogue is not reachable through the file at all.
    assert "privacy/" not in root.read_text()


def test_allowed_groups_get_a_root_that_lists_the_restricted_domain(data_dir: Path, tmp_path: Path):
    import intake

    view = tmp_path / "view"
    trainee = _root_seen(data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view))
    root = _root_seen(data_volumes(data_dir, "/srv/data", ["analysts"], RULES, view))
    assert root != trainee and trainee.read_text() != root.read_text()
    cat = intake.open_catalog(str(root))
    assert "privacy" in list(cat) and "not_mounted" not in cat.metadata
    same = _root_seen(data_volumes(data_dir, "/srv/data", ["instructors:m2"], RULES, view))
    assert same == root  # one file per visibility set, not per user


def test_the_root_of_a_set_is_replaced_whole_and_only_when_it_changes(
    data_dir: Path, tmp_path: Path
):
    view = tmp_path / "view"
    root = _root_seen(data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view))
    inode = root.stat().st_ino
    data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view)
    assert root.stat().st_ino == inode  # unchanged: running containers' mount untouched
    root.write_text("stale")
    data_volumes(data_dir, "/srv/data", ["trainees"], RULES, view)
    assert root.read_text() != "stale" and root.stat().st_ino != inode
    assert sorted(p.name for p in root.parent.iterdir()) == ["open.yaml"]  # no temp files left


def test_site_settings_set_the_restricted_groups_and_the_view(tmp_path: Path):
    from traitlets.config import Config
    from ungp_hub.configure.data import update_data
    from ungp_hub.settings import load_settings

    path = tmp_path / "settings.yaml"
    path.write_text(
        f"hub:\n  state_dir: {tmp_path / 'state'}\n"
        "data:\n  restricted_groups:\n    census: [analysts]\n"
    )
    c = Config()
    update_data(c, load_settings(path, environ={}))
    groups = c.UngpDockerSpawner.restricted_groups
    assert groups == {"privacy": ["instructors:*", "analysts"], "census": ["analysts"]}
    assert c.UngpDockerSpawner.data_view_path == str(tmp_path / "state" / "data-view")


def test_a_rebuild_keeps_the_domain_folder_that_containers_have_mounted(tmp_path: Path):
    from ungp_catalogs.build import build_catalog
    from ungp_catalogs.checksum import sha256_file

    data = tmp_path / "data"
    build_catalog(data, domains=["privacy"], seed=1)
    folder = (data / "privacy").stat().st_ino
    before = sha256_file(data / "privacy" / "catalog.yaml")
    build_catalog(data, domains=["privacy"], seed=2)
    assert (data / "privacy").stat().st_ino == folder  # a bind mount would see the new data
    assert sha256_file(data / "privacy" / "catalog.yaml") != before
    assert sorted(p.name for p in data.iterdir()) == ["DATA.md", "catalog.yaml", "privacy"]
