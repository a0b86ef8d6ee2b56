"""Same seed -> byte-identical data and catalogues; another seed -> different data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from catalog_support import REPO, SEED, small_build
from ungp_catalogs.build import build_catalog
from ungp_catalogs.checksum import sha256_file


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_two_builds_with_the_same_seed_are_byte_identical(data_dir: Path, tmp_path: Path):
    # the second build runs in another interpreter with another str-hash salt, so any
    # dependence on set/dict iteration order or on process state would show up as a diff
    out = tmp_path / "data"
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from ungp_catalogs.build import build_catalog;"
        "build_catalog(Path(sys.argv[2]), scale='small', seed=int(sys.argv[3]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", code, str(REPO / "catalogs"), str(out), str(SEED)],
        check=True,
        env=env,
        timeout=120,
    )
    first, second = _digests(data_dir), _digests(out)
    assert first.keys() == second.keys()
    differing = [k for k in first if first[k] != second[k]]
    assert not differing
    assert any(k.endswith(".parquet") for k in first) and "catalog.yaml" in first


def test_another_seed_changes_generated_data_but_not_reference_files(tmp_path: Path):
    other = tmp_path / "data"
    build_catalog(other, scale="small", seed=SEED + 1, domains=["scanner"])
    a, b = _digests(small_build() / "scanner"), _digests(other / "scanner")
    ref = [k for k in a if "reference" in k and not k.endswith("catalog.yaml")]
    assert ref and all(a[k] == b[k] for k in ref)
    generated = [k for k in a if k.endswith(".parquet")]
    assert all(a[k] != b[k] for k in generated)


def test_rebuilding_one_domain_leaves_the_others_unchanged(data_dir: Path, tmp_path: Path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    build_catalog(copy, scale="small", seed=SEED + 5, domains=["scanner"])
    before, after = _digests(data_dir / "ais"), _digests(copy / "ais")
    assert before == after
    assert _digests(data_dir / "scanner") != _digests(copy / "scanner")
    assert not [p for p in copy.iterdir() if p.name.startswith(".")]
