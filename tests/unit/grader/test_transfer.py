"""Trainee values cross to the clean test interpreter as data only; which names a test needs."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ungp_hub.grader import transfer
from ungp_hub.grader.isolated_tests import needed_names


def roundtrip(value, keep=None, ref=lambda node: ("ref", node["id"])):
    packer = transfer.Packer(keep=keep)
    tree, blobs = transfer.loads(packer.dumps(packer.pack(value)))
    return transfer.Unpacker(blobs, ref).unpack(tree)


def test_plain_values_come_back_equal_and_of_their_type():
    value = {
        "a": [1, 2.5, None, True, "x"],
        (1, 2): {3, 4},
        "t": (frozenset({1}), b"\x00"),
        "c": 1 + 2j,
        "nan": float("inf"),
        "big": 10**40,
    }
    assert roundtrip(value) == value
    assert type(roundtrip((1, 2))) is tuple


def test_arrays_frames_and_dates_keep_their_shape_and_dtype():
    array = np.arange(6, dtype="int16").reshape(2, 3)
    back = roundtrip(array)
    assert back.dtype == array.dtype and (back == array).all()
    assert type(roundtrip(np.float64(2.5))) is np.float64
    frame = pd.DataFrame({"x": [1.5, 2.0], "s": ["a", "b"]}, index=pd.Index([3, 7], name="id"))
    pd.testing.assert_frame_equal(roundtrip(frame), frame)
    series = pd.Series([1, 2], name="n")
    pd.testing.assert_series_equal(roundtrip(series), series)
    index = pd.MultiIndex.from_tuples([(1, "a"), (2, "b")], names=["n", "s"])
    pd.testing.assert_index_equal(roundtrip(index), index)
    pd.testing.assert_index_equal(roundtrip(pd.Index([3, 4], name="k")), pd.Index([3, 4], name="k"))
    assert roundtrip(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert roundtrip(Path("/data/x.csv")) == Path("/data/x.csv")
    assert isinstance(roundtrip(Path("/data/x.csv")), Path)  # pathlib._local.Path on 3.13


def test_geodataframes_keep_geometry_and_crs():
    import geopandas
    from shapely.geometry import Point

    frame = geopandas.GeoDataFrame(
        {"v": [1, 2]}, geometry=[Point(0, 1), Point(2, 3)], crs="EPSG:4326"
    )
    back = roundtrip(frame)
    assert isinstance(back, geopandas.GeoDataFrame) and back.crs == frame.crs
    assert back.geometry.equals(frame.geometry) and list(back["v"]) == [1, 2]


def test_subclasses_cross_as_their_plain_base_without_their_methods():
    class Liar(float):
        def __eq__(self, other):
            return True

        def __float__(self):
            return 42.0

        __hash__ = float.__hash__

    class Listy(list):
        def __iter__(self):
            return iter([42])

    class Arr(np.ndarray):
        pass

    back = roundtrip(Liar(41))
    assert type(back) is float and back == 41 and back != 42
    assert roundtrip(Listy([41])) == [41]
    assert type(roundtrip(np.array([41.0]).view(Arr))) is np.ndarray


def test_what_is_not_data_is_refused_or_kept_as_a_reference():
    class Thing:
        pass

    with pytest.raises(transfer.NotData, match="Thing is not plain data"):
        roundtrip(Thing())
    with pytest.raises(transfer.NotData, match="array of Python objects"):
        roundtrip(np.array([Thing()], dtype=object))
    kept = []
    assert roundtrip(Thing(), keep=lambda v: kept.append(v) or 0) == ("ref", 0)
    assert roundtrip(len, keep=lambda v: 5) == ("ref", 5)


def test_the_decoder_never_unpickles():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    message = transfer.Packer()
    tree = {"t": "npy", "b": message._blob(buffer.getvalue())}
    with pytest.raises(ValueError, match="allow_pickle"):
        roundtrip_raw(message.dumps(tree))


def roundtrip_raw(data: bytes):
    tree, blobs = transfer.loads(data)
    return transfer.Unpacker(blobs, lambda node: None).unpack(tree)


def test_malformed_messages_are_refused_with_a_reason():
    with pytest.raises(transfer.NotData, match="truncated"):
        transfer.loads(b"\x00\x00\x00\x00\x00\x00\x10\x00{}")
    with pytest.raises(transfer.NotData, match="unknown kind"):
        roundtrip_raw(transfer.Packer().dumps({"t": "pickle", "v": "..."}))
    with pytest.raises(transfer.NotData, match="not a scalar"):
        roundtrip_raw(transfer.Packer().dumps({"t": "json", "v": [1]}))
    with pytest.raises(transfer.NotData, match="not plain data|it is nested"):
        roundtrip_raw(transfer.Packer().dumps(transfer.refused("it is nested too deeply")))


def test_modules_cross_by_name_only_if_installed(tmp_path, monkeypatch):
    assert roundtrip(np) is np
    (tmp_path / "fake_lib_ungp.py").write_text("raise SystemExit('ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    tree = transfer.Packer().dumps({"t": "module", "v": "fake_lib_ungp"})
    if not str(tmp_path).startswith((sys.prefix, sys.base_prefix)):
        with pytest.raises(transfer.NotData, match="not an installed library"):
            roundtrip_raw(tree)
    assert "fake_lib_ungp" not in sys.modules


def test_remote_values_refuse_comparison_and_conversion():
    calls = []
    remote = transfer.Remote(3, "x.Y", lambda request: calls.append(request) or 7)
    assert remote(1, k=2) == 7 and remote.attr == 7 and remote[0] == 7
    assert [c["action"] for c in calls] == ["call", "getattr", "getitem"]
    for use in (
        lambda: remote == 42,
        lambda: bool(remote),
        lambda: float(remote),
        lambda: hash(remote),
    ):
        with pytest.raises(transfer.ValueNotTransferable, match="not plain"):
            use()
    with pytest.raises(AttributeError):
        remote.__array__  # noqa: B018 - numpy's probe must not reach the trainee
    with pytest.raises(transfer.ValueNotTransferable):
        len(remote)  # numpy would read a sequence through it: the trainee's numbers
    assert not isinstance(remote, float)
    figure = transfer.Remote(1, "matplotlib.figure.Figure", lambda r: None, cls=Path)
    assert isinstance(figure, Path)  # a library's class: isinstance as in the kernel
    refused = transfer.Refused("answer", "a Foo is not plain data")
    with pytest.raises(transfer.ValueNotTransferable, match="answer: a Foo is not plain"):
        refused == 42  # noqa: B015


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("assert answer == 42", ["answer"]),
        ("x = f(1)\nassert x == g", ["f", "g"]),
        ("df = df.dropna()\nassert len(df) == n", ["df", "n"]),
        ("import numpy as np\nnp.testing.assert_allclose(a, 1)", ["a"]),
        ("def helper(v):\n    return v + offset\nassert helper(answer)", ["answer", "offset", "v"]),
        ("total += 1", ["total"]),
        ("assert all(abs(v) < tol for v in values)", ["tol", "v", "values"]),
        ("%time assert answer == 42", ["answer"]),
        ("%%timeit\nassert answer == 42", ["answer"]),
        ("this is (not python", []),
    ],
)
def test_needed_names(source, names):
    """More names than needed do no harm (see needed_names); fewer would fail honest tests."""
    assert [n for n in needed_names(source) if n != "get_ipython"] == names


def test_a_trainee_exception_reaches_the_test_as_its_builtin_class():
    """nbgrader's quickstart: `except ValueError:` around a call of the trainee's function."""
    from ungp_hub.grader.clean_interpreter import TraineeCodeError, trainee_error
    from ungp_hub.grader.transfer import _builtin_base

    class Invalid(ValueError):
        pass

    assert _builtin_base(Invalid("x")) == "ValueError"
    error = trainee_error("Invalid", "n must be positive", "ValueError")
    assert isinstance(error, ValueError) and isinstance(error, TraineeCodeError)
    assert "Invalid: n must be positive" in str(error)
    # never one that would stop the test interpreter itself
    for base in ("SystemExit", "KeyboardInterrupt", "GeneratorExit", "NoSuchThing"):
        error = trainee_error("X", "", base)
        assert type(error) is TraineeCodeError
    assert isinstance(trainee_error("E", "", "OSError"), OSError)
