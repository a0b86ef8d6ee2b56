"""Values between the trainee's kernel and the clean test interpreter, as data only.

A test cell runs in an interpreter in which no trainee code ran (see ``test_runner``). What
it reads of the trainee's work crosses in one direction as *data*: a JSON tree whose leaves
are JSON scalars, ``.npy`` arrays (loaded with ``allow_pickle=False``) and Arrow IPC streams
(DataFrames, Series). Nothing here ever unpickles, imports a module named by the sender
from anywhere but the installed libraries, or calls a method of a received object, so the
decoding side cannot be made to run code by what it receives.

What is not plain data stays where it is: the encoding side keeps it in a table and sends a
*reference* (its type's name, whether it is callable). The test interpreter wraps it in a
:class:`Remote`, whose calls, attribute and item reads run in the trainee's kernel and return
data or further references. A Remote refuses comparisons, truth tests and hashing with a
clear reason: those are how a value with a lying ``__eq__`` would pass a test.

Subclasses of plain types (``class A(float)`` with its own ``__eq__``, a list subclass, an
ndarray subclass) cross as their plain base value, read with the base type's own methods.

Standard library, numpy, pandas and pyarrow only: both sides run in the course image.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import datetime as dt
import importlib.util
import io
import json
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any

MAX_DEPTH = 64
MAX_NODES = 2_000_000
SCALARS = (bool, int, float, str, type(None))


class NotData(Exception):
    """A value that cannot be sent as data (the message says why)."""


class Packer:
    """Encode a tree of values; blobs (npy, Arrow) are stored beside the JSON tree.

    ``keep`` is called for a value that is not data; it returns a reference id (the trainee's
    side keeps such values) or raises :class:`NotData` (the test side sends only data).
    """

    def __init__(self, keep: Callable[[Any], int] | None = None):
        self.blobs: list[bytes] = []
        self.keep = keep
        self.nodes = 0

    def pack(self, value: Any, depth: int = 0) -> dict[str, Any]:  # noqa: C901, PLR0911, PLR0912 - one case per type
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise NotData("it is nested too deeply or too large to send as data")
        kind = type(value)
        if kind in SCALARS:
            return {"t": "json", "v": value}
        if isinstance(value, Remote):
            return {"t": "ref", "id": object.__getattribute__(value, "_ref")}
        np = sys.modules.get("numpy")
        pd = sys.modules.get("pandas")
        if np is not None and isinstance(value, np.ndarray | np.generic):
            array = np.asarray(value.view(np.ndarray) if isinstance(value, np.ndarray) else value)
            if array.dtype.hasobject:
                return self._other(value, "an array of Python objects is not plain data")
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            return {
                "t": "npy",
                "b": self._blob(buffer.getvalue()),
                "scalar": isinstance(value, np.generic),
            }
        if pd is not None and isinstance(value, pd.DataFrame | pd.Series | pd.Index):
            return self._frame(value, pd)
        if isinstance(value, bool | int | float | str | complex | bytes):
            return self._plain_subclass(value)
        if isinstance(value, list | tuple | set | frozenset):
            base = next(b for b in (list, tuple, set, frozenset) if isinstance(value, b))
            items = [self.pack(v, depth + 1) for v in base.__iter__(value)]
            return {"t": base.__name__, "v": items}
        if isinstance(value, dict):
            pairs = [
                [self.pack(k, depth + 1), self.pack(v, depth + 1)] for k, v in dict.items(value)
            ]
            return {"t": "dict", "v": pairs}
        if isinstance(value, dt.datetime | dt.date):
            base = dt.datetime if isinstance(value, dt.datetime) else dt.date
            return {"t": base.__name__, "v": base.isoformat(value)}
        pathlib = sys.modules.get("pathlib")
        if pathlib is not None and isinstance(value, pathlib.PurePath):
            return {"t": "path", "v": pathlib.PurePath.__str__(value)}
        if kind is type(sys):
            return {"t": "module", "v": value.__name__}
        return self._other(value, f"a {_type_name(value)} is not plain data")

    def _plain_subclass(self, value: Any) -> dict[str, Any]:
        """A subclass of a scalar type, read with the base type's own methods."""
        if isinstance(value, bool):
            return {"t": "json", "v": bool(int.__int__(value))}
        if isinstance(value, int):
            return {"t": "json", "v": int.__int__(value)}
        if isinstance(value, float):
            return {"t": "json", "v": float.__float__(value)}
        if isinstance(value, str):
            return {"t": "json", "v": str.__str__(value)}
        if isinstance(value, complex):
            return {"t": "complex", "v": [complex.real.__get__(value), complex.imag.__get__(value)]}
        return {"t": "bytes", "v": base64.b64encode(bytes.__bytes__(value)).decode()}

    def _frame(self, value: Any, pd: Any) -> dict[str, Any]:
        """DataFrame, Series, Index (and subclasses: GeoDataFrame...) as an Arrow stream;
        geometry columns as WKB with their CRS as WKT."""
        import pyarrow as pa

        kind = "frame"
        if isinstance(value, pd.Index):
            kind, names = "index", [_scalar(n) for n in value.names]
            frame = pd.MultiIndex.from_frame(value.to_frame(index=False)).to_frame(index=False)
            frame.columns = [str(i) for i in range(frame.shape[1])]
        elif isinstance(value, pd.Series):
            kind, names = "series", [_scalar(value.name)]
            frame = value.to_frame("values")
        else:
            frame, names = value, []
        node: dict[str, Any] = {"t": kind, "names": names, "geometry": {}}
        frame = pd.DataFrame(frame)
        for column in list(frame.columns):
            if str(frame[column].dtype) == "geometry":
                import geopandas

                source = value[column] if kind == "frame" else value
                crs = getattr(source, "crs", None)
                node["geometry"][str(column)] = crs.to_wkt() if crs is not None else None
                frame[column] = geopandas.GeoSeries(frame[column]).to_wkb()
        active = getattr(value, "_geometry_column_name", None)
        node["active"] = str(active) if kind == "frame" and active is not None else None
        try:
            table = pa.Table.from_pandas(frame)
        except (pa.ArrowException, TypeError, ValueError) as error:
            return self._other(value, f"a table whose columns Arrow cannot store ({error})")
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        node["b"] = self._blob(sink.getvalue().to_pybytes())
        return node

    def _other(self, value: Any, reason: str) -> dict[str, Any]:
        if self.keep is None:
            raise NotData(reason)
        kind = type(value)
        return {
            "t": "ref",
            "id": self.keep(value),
            "type": _type_name(value),
            "module": str(kind.__module__),
            "qualname": str(kind.__qualname__),
        }

    def _blob(self, data: bytes) -> int:
        self.blobs.append(data)
        return len(self.blobs) - 1

    def dumps(self, tree: Any) -> bytes:
        header = json.dumps({"tree": tree, "sizes": [len(b) for b in self.blobs]}).encode()
        return struct.pack(">Q", len(header)) + header + b"".join(self.blobs)


def _scalar(value: Any) -> Any:
    return value if type(value) in SCALARS else str(value)


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def loads(data: bytes) -> tuple[Any, list[bytes]]:
    """The JSON tree and the blobs of a message (untrusted bytes: sizes are checked)."""
    if len(data) < 8:
        raise NotData("the message is truncated")
    (size,) = struct.unpack(">Q", data[:8])
    if size > len(data) - 8:
        raise NotData("the message is truncated")
    header = json.loads(data[8 : 8 + size])
    if not isinstance(header, dict) or not isinstance(header.get("sizes"), list):
        raise NotData("the message has no valid header")
    blobs, offset = [], 8 + size
    for length in header["sizes"]:
        if type(length) is not int or length < 0 or offset + length > len(data):
            raise NotData("the message is truncated")
        blobs.append(data[offset : offset + length])
        offset += length
    return header.get("tree"), blobs


class Unpacker:
    """Rebuild values from a tree; ``ref`` makes the value for a reference (or refuses)."""

    def __init__(self, blobs: list[bytes], ref: Callable[[dict[str, Any]], Any]):
        self.blobs = blobs
        self.ref = ref

    def unpack(self, node: Any, depth: int = 0) -> Any:  # noqa: C901, PLR0911, PLR0912 - one case per type
        if depth > MAX_DEPTH or not isinstance(node, dict):
            raise NotData("a value in the message is malformed")
        kind, value = node.get("t"), node.get("v")
        if kind == "json":
            if type(value) not in SCALARS:
                raise NotData("a scalar in the message is not a scalar")
            return value
        if kind in ("list", "tuple", "set", "frozenset"):
            items = [self.unpack(v, depth + 1) for v in _list(value)]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        if kind == "dict":
            return {
                self.unpack(k, depth + 1): self.unpack(v, depth + 1)
                for k, v in (_pair(p) for p in _list(value))
            }
        if kind == "npy":
            import numpy as np

            array = np.load(io.BytesIO(self._blob(node)), allow_pickle=False)
            return array[()] if node.get("scalar") and array.ndim == 0 else array
        if kind in ("frame", "series", "index"):
            return self._frame(node, kind)
        if kind == "complex":
            real, imag = _list(value)[:2]
            return complex(float(real), float(imag))
        if kind == "bytes":
            return base64.b64decode(str(value))
        if kind in ("datetime", "date"):
            return getattr(dt, kind).fromisoformat(str(value))
        if kind == "path":
            from pathlib import Path

            return Path(str(value))
        if kind == "module":
            return installed_module(str(value))
        if kind == "ref":
            return self.ref(node)
        if kind == "refused":
            raise NotData(str(value))
        raise NotData(f"unknown kind of value {kind!r}")

    def _frame(self, node: dict[str, Any], kind: str) -> Any:
        import pandas as pd
        import pyarrow as pa

        table = pa.ipc.open_stream(pa.py_buffer(self._blob(node))).read_all()
        frame = table.to_pandas()
        names = [n if type(n) in SCALARS else None for n in _list(node.get("names", []))]
        geometry = node.get("geometry") or {}
        if geometry and isinstance(geometry, dict):
            import geopandas

            for column, crs in geometry.items():
                frame[column] = geopandas.GeoSeries.from_wkb(
                    frame[column], crs=str(crs) if crs is not None else None
                )
            active = node.get("active")
            if kind == "frame" and active in frame.columns:
                return geopandas.GeoDataFrame(frame, geometry=active)
        if kind == "frame":
            return frame
        if kind == "series":
            series = frame.iloc[:, 0]
            series.name = names[0] if names else None
            return series
        if frame.shape[1] == 1:
            return pd.Index(frame.iloc[:, 0], name=names[0] if names else None)
        return pd.MultiIndex.from_frame(frame, names=names or None)

    def _blob(self, node: dict[str, Any]) -> bytes:
        index = node.get("b")
        if type(index) is not int or not 0 <= index < len(self.blobs):
            raise NotData("a value refers to data that is not in the message")
        return self.blobs[index]


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise NotData("a value in the message is malformed")
    return value


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise NotData("a value in the message is malformed")
    return value[0], value[1]


def installed_module(name: str) -> Any:
    """The module ``name`` if it is an installed library (not a file the trainee could write:
    the notebook's folder, the home or /tmp); imported here, by this interpreter."""
    if name in sys.modules:
        return sys.modules[name]
    valid = bool(name) and all(part.isidentifier() for part in name.split("."))
    spec = importlib.util.find_spec(name) if valid else None
    origin = (spec.origin or "") if spec else ""
    trusted = origin in ("built-in", "frozen") or origin.startswith(
        (sys.base_prefix + "/", sys.prefix + "/")
    )
    if not trusted:
        raise NotData(f"module {name!r} is not an installed library")
    return importlib.import_module(name)


class Refused:
    """Stands for a value that could not cross; any use of it raises the reason."""

    def __init__(self, name: str, reason: str):
        object.__setattr__(self, "_why", f"{name}: {reason}")

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueNotTransferable(object.__getattribute__(self, "_why"))

    __getattr__ = __call__ = __getitem__ = __iter__ = __len__ = _fail
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __hash__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _fail
    __float__ = __int__ = __index__ = __array__ = _fail

    def __repr__(self) -> str:
        return f"<not sent: {object.__getattribute__(self, '_why')}>"


class ValueNotTransferable(TypeError):
    """A test used a trainee value that could not be sent to the test interpreter as data."""


class Remote:
    """A trainee value that is not data: operations on it run in the trainee's kernel.

    ``call`` is the test interpreter's channel: ``call(request) -> value``. Comparisons,
    truth tests, hashing and conversions are refused: a value that decides for itself whether
    it equals the expected answer is exactly what a test must not trust.
    """

    def __init__(
        self,
        ref: int,
        type_name: str,
        call: Callable[[dict[str, Any]], Any],
        cls: type | None = None,
    ):
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_call", call)
        object.__setattr__(self, "_cls", cls)

    @property
    def __class__(self) -> type:  # noqa: D105 - isinstance(fig, Figure) as in the kernel
        """The value's class if it is an installed library's: ``isinstance`` tests pass as
        they would in the trainee's kernel; every use still goes through this proxy."""
        return object.__getattribute__(self, "_cls") or Remote

    def _do(self, action: str, *args: Any, **kwargs: Any) -> Any:
        request = {
            "ref": object.__getattribute__(self, "_ref"),
            "action": action,
            "args": list(args),
            "kwargs": kwargs,
        }
        return object.__getattribute__(self, "_call")(request)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._do("call", *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            # numpy, pandas, pytest probe these (__array__, _mgr...): never the trainee's
            raise AttributeError(name)
        return self._do("getattr", name)

    def __getitem__(self, key: Any) -> Any:
        return self._do("getitem", key)

    def _refuse(self, *args: Any) -> Any:
        raise ValueNotTransferable(
            f"a {object.__getattribute__(self, '_type')} made by the trainee's code is not plain"
            " data; a test can call it or read its attributes, not compare or convert it"
        )

    # No __len__ and __iter__ either: numpy would read a sequence through them, and so take
    # whatever numbers the trainee's object chose to give as its value.
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __hash__ = _refuse
    __float__ = __int__ = __index__ = __contains__ = __len__ = __iter__ = _refuse

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_type')} in the trainee's kernel>"


# ---- the trainee's side: these run in the trainee's kernel (whose answers are not trusted)

_KEPT: list[Any] = []


def _keep(value: Any) -> int:
    _KEPT.append(value)
    return len(_KEPT) - 1


def export(namespace: dict[str, Any], names: list[str], path: str) -> None:
    """Write the values of ``names`` (those that exist) to ``path`` for the test interpreter."""
    packer = Packer(keep=_keep)
    tree = {}
    for name in names:
        if name in namespace:
            try:
                tree[name] = packer.pack(namespace[name])
            except NotData as error:
                tree[name] = refused(str(error))
    _write(path, packer.dumps(tree))


def refused(reason: str) -> dict[str, Any]:
    """The node of a value that could not be sent, with the reason (shown if a test uses it)."""
    return {"t": "refused", "v": reason}


def serve(namespace: dict[str, Any], request_path: str, path: str) -> None:
    """Do one operation a test asked for on a kept value; write the result or the error."""
    packer = Packer(keep=_keep)
    try:
        with open(request_path, "rb") as handle:
            tree, blobs = loads(handle.read())
        request = Unpacker(blobs, lambda node: _KEPT[int(node["id"])]).unpack(tree)
        target = _KEPT[int(request["ref"])]
        action, args, kwargs = request["action"], request["args"], request["kwargs"]
        with _as_the_test_sees_it(namespace, request.get("hide"), request.get("alias")):
            if action == "call":
                value = target(*args, **kwargs)
            elif action == "getattr":
                value = getattr(target, args[0])
            elif action == "getitem":
                value = target[args[0]]
            else:
                raise ValueError(f"unknown action {action!r}")
        result = {"ok": packer.pack(value)}
    except BaseException as error:  # noqa: BLE001 - the test sees it as the call's error
        packer = Packer()
        result = {"error": [type(error).__name__, str(error)[:2000], _builtin_base(error)]}
    _write(path, packer.dumps(result))


@contextlib.contextmanager
def _as_the_test_sees_it(namespace: dict[str, Any], hide: Any, alias: Any) -> Iterator[None]:
    """While a test calls the trainee's code: the trainee's names the test deleted are gone,
    and those it bound to another of the trainee's objects point at that one (nbgrader's
    quickstart: ``del squares`` checks that ``sum_of_squares`` uses ``squares``). Only names
    and the trainee's own objects: no value of the test's reaches the kernel."""
    hidden = [n for n in hide or [] if isinstance(n, str)]
    aliased = {n: _KEPT[int(i)] for n, i in dict(alias or {}).items() if isinstance(n, str)}
    touched = [*hidden, *aliased]
    saved = {n: namespace[n] for n in touched if n in namespace}
    for name in hidden:
        namespace.pop(name, None)
    namespace.update(aliased)
    try:
        yield
    finally:
        for name in touched:
            namespace.pop(name, None)
        namespace.update(saved)


def _builtin_base(error: BaseException) -> str:
    """The most derived builtin exception class of `error` (a test's ``except ValueError``
    catches a trainee's ``ValueError`` and its subclasses, as in stock nbgrader)."""
    for cls in type(error).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "Exception"


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
