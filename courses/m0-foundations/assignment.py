"""Module 0's graded assignment: its builder, constants, hidden tests and the kept wrong
submissions.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

ASSIGNMENT = "m0_catalogue_quality"
NOTEBOOK = "quality.ipynb"

SHA256_SOLUTION = '''
import hashlib
from pathlib import Path


def sha256_of(path) -> str:
    """Hex sha256 of a file's bytes, read in chunks so large files fit in memory."""
    ### BEGIN SOLUTION
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
    ### END SOLUTION
'''

VERIFY_SOLUTION = '''
def damaged_files(entry) -> list:
    """Paths (as recorded in the catalogue) of the entry's files whose sha256 does not match."""
    ### BEGIN SOLUTION
    base = Path(entry.metadata["catalog_dir"])
    return [
        f["path"] for f in entry.metadata["files"]
        if sha256_of(base / f["path"]) != f["sha256"]
    ]
    ### END SOLUTION
'''

UNIT_VALUE_SOLUTION = '''
def monthly_unit_values(tx: pd.DataFrame) -> pd.DataFrame:
    """One row per month ("YYYY-MM") and COICOP subclass: columns month, coicop, unit_value."""
    ### BEGIN SOLUTION
    out = tx.assign(month=pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m"))
    out = out.groupby(["month", "coicop"], as_index=False)[["turnover", "quantity"]].sum()
    out["unit_value"] = out["turnover"] / out["quantity"]
    return out[["month", "coicop", "unit_value"]]
    ### END SOLUTION
'''

FINGERPRINT_SOLUTION = '''
def fingerprint(df: pd.DataFrame) -> str:
    """sha256 hex digest of a table's content that ignores the order of its rows."""
    ### BEGIN SOLUTION
    ordered = df.sort_values(list(df.columns)).reset_index(drop=True)
    values = pd.util.hash_pandas_object(ordered, index=False).values
    return hashlib.sha256(values.tobytes()).hexdigest()
    ### END SOLUTION
'''


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 0 — Trust your data before you use it

        You will write four small tools that every statistician handling new data sources needs:
        checksum verification, a damage report for a catalogue entry, an aggregation that is
        coherent with its components, and a fingerprint for repeatable results.

        Complete each cell marked `YOUR CODE HERE` (remove the `raise NotImplementedError()`).
        Test cells check your work; some tests are hidden and run only when your work is graded:
        they compare your results with the trusted methods on the catalogue data.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code("""
        import pandas as pd
        from ungp_catalogs import open_catalog, read_entry

        cat = open_catalog()
        tx = read_entry("scanner_transactions")
        """),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — sha256 of a file
        Write `sha256_of(path)`, returning the hexadecimal sha256 digest of the file's bytes.
        Read the file in chunks (data files can be larger than memory).
        """,
        ),
        solution("q1-answer", SHA256_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        import tempfile

        sample = Path(tempfile.mkdtemp()) / "abc.txt"
        sample.write_bytes(b"abc")
        # FIPS 180-2, appendix B.1: the published digest of "abc"
        ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        assert sha256_of(sample) == ABC
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare sha256_of with the catalogue's checksums.",
            """
            from ungp_catalogs.checksum import sha256_file

            _meta = cat.scanner.scanner_transactions.metadata
            for _f in _meta["files"]:
                _path = Path(_meta["catalog_dir"]) / _f["path"]
                assert sha256_of(_path) == sha256_file(_path) == _f["sha256"]
            assert sha256_of(str(_path)) == _f["sha256"]
            """,
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — which files are damaged?
        Write `damaged_files(entry)` for an Intake entry such as `cat.scanner.scanner_transactions`.
        Its `metadata` has `catalog_dir` and `files` (each with `path`, relative to `catalog_dir`,
        and `sha256`). Return the `path` of every file whose checksum does not match, or `[]`.
        """,
        ),
        solution("q2-answer", VERIFY_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert damaged_files(cat.scanner.scanner_transactions) == []
        assert damaged_files(cat.ais.ais_ports) == []
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests damage a copy of the catalogue and call damaged_files on it.",
            """
            import shutil as _shutil
            import tempfile as _tempfile

            from ungp_catalogs import catalog_location

            _copy = Path(_tempfile.mkdtemp()) / "data"
            _shutil.copytree(catalog_location().parent, _copy)
            _files = cat.scanner.scanner_transactions.metadata["files"]
            _victim = _copy / "scanner" / _files[-1]["path"]
            _bytes = bytearray(_victim.read_bytes())
            _bytes[len(_bytes) // 3] ^= 0x01
            _victim.write_bytes(bytes(_bytes))
            _entry = open_catalog(_copy).scanner.scanner_transactions
            assert damaged_files(_entry) == [_files[-1]["path"]]
            _shutil.rmtree(_copy.parent)
            """,
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — a coherent monthly unit value
        Write `monthly_unit_values(tx)` returning one row per month (`"YYYY-MM"`, from
        `week_start`) and COICOP subclass with the **unit value**: total turnover divided by total
        quantity. An average of row-level unit values would not be coherent with the totals:
        the turnover of a subclass must equal unit value × quantity.
        """,
        ),
        solution("q3-answer", UNIT_VALUE_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        uv = monthly_unit_values(tx)
        assert list(uv.columns) == ["month", "coicop", "unit_value"]
        assert not uv.duplicated(["month", "coicop"]).any()
        assert uv["month"].str.fullmatch(r"\\d{4}-\\d{2}").all()
        assert (uv["unit_value"] > 0).all()
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests check coherence with the turnover and quantity totals.",
            """
            import numpy as _np

            _tx = tx.assign(month=pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m"))
            _totals = _tx.groupby(["month", "coicop"])[["turnover", "quantity"]].sum()
            _mine = monthly_unit_values(tx).set_index(["month", "coicop"]).reindex(_totals.index)
            _np.testing.assert_allclose(
                _mine["unit_value"] * _totals["quantity"], _totals["turnover"], rtol=1e-9
            )
            """,
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — a fingerprint for repeatable results
        Write `fingerprint(df)` returning a sha256 hex digest of a table's **content**: the same
        for the same rows in any order, different as soon as one value changes.
        `pd.util.hash_pandas_object` hashes each row.
        """,
        ),
        solution("q4-answer", FINGERPRINT_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        small = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
        changed = small.assign(b=["x", "y", "w"])
        assert len(fingerprint(small)) == 64
        assert fingerprint(small) == fingerprint(small.copy())
        assert fingerprint(small) != fingerprint(changed)
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests shuffle and alter the catalogue's transactions.",
            """
            _shuffled = tx.sample(frac=1.0, random_state=7)
            assert fingerprint(_shuffled) == fingerprint(tx)
            _altered = tx.copy()
            _altered.loc[_altered.index[5], "turnover"] += 0.01
            assert fingerprint(_altered) != fingerprint(tx)
            """,
        ),
    ]


# A trainee who averages row-level unit values and hashes the CSV text (row order matters).
WRONG_MEAN_OF_RATIOS = {
    "q3-answer": '''
    def monthly_unit_values(tx: pd.DataFrame) -> pd.DataFrame:
        """One row per month and subclass: the average price paid."""
        out = tx.assign(
            month=pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m"),
            unit_value=tx["turnover"] / tx["quantity"],
        )
        return out.groupby(["month", "coicop"], as_index=False)["unit_value"].mean()
    ''',
    "q4-answer": '''
    def fingerprint(df: pd.DataFrame) -> str:
        """sha256 of the table written as CSV."""
        return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()
    ''',
}
