"""The filter itself: a unix-socket HTTP proxy in front of the engine's socket.

One :class:`DockerFilter` per client (hub service), each with its own socket and
:class:`~.policy.Policy`. It reads one request, asks :func:`~.policy.decide`, and either
answers 403 with the reason (Docker clients show it as the error message) or forwards that
one request to the engine on a fresh connection and relays the answer until the engine closes
it. So streamed answers (logs, wait) pass as they come, and an upgraded connection (attach:
HTTP 101, then the container's raw stdin/stdout) is relayed both ways. Every request gets its
own engine connection with ``Connection: close``, so no second request can ride on an
allowed one unseen; Docker clients reconnect on their own (a unix connect costs microseconds).

Objects named in a path are resolved to their full id by asking the engine (which also says
whether they carry the client's label), and the forwarded path names that id: a name cannot
be given to another container between the check and the call.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .policy import Allow, Policy, Refuse, decide, host_paths, normalise, not_owned

log = logging.getLogger("ungp_hub.dockerfilter")

HEAD_LIMIT = 64 * 1024
JSON_LIMIT = 1 << 20  # create bodies are a few kB
ARCHIVE = re.compile(r"^/containers/[^/]+/archive$")
HIJACKED = re.compile(r"^/containers/[^/]+/attach$|^/exec/[^/]+/start$")
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"}


class EngineUnavailable(Exception):
    """The engine's socket does not answer; answered with 502."""


async def connect_engine(upstream: str):
    try:
        return await asyncio.open_unix_connection(upstream)
    except OSError as error:
        raise EngineUnavailable(f"the Docker engine does not answer at {upstream}") from error


class BadRequest(Exception):
    """The request cannot be read safely; answered with 400 and the message."""


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name]
        if len(values) > 1:
            raise BadRequest(f"more than one {name} header")
        return values[0] if values else None


def parse_head(head: bytes) -> Request:
    """The request line and headers; refuses what could be read two ways (smuggling)."""
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError as error:
        raise BadRequest("the request head is not ASCII") from error
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest("malformed request line")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" or ":" not in line:
            raise BadRequest("malformed header line")
        name, _, value = line.partition(":")
        if name != name.strip():
            raise BadRequest("malformed header name")
        headers.append((name, value.strip()))
    request = Request(parts[0], parts[1], parts[2], headers)
    coding, length = request.header("transfer-encoding"), request.header("content-length")
    if coding is not None and (coding.lower() != "chunked" or length is not None):
        raise BadRequest("only a chunked body or a Content-Length body is accepted")
    if length is not None and not length.isdigit():
        raise BadRequest("bad Content-Length")
    return request


async def read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    body = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError as error:
            raise BadRequest("bad chunk size") from error
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return bytes(body)
        if len(body) + size > limit:
            raise BadRequest(f"body larger than {limit} bytes")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise BadRequest("bad chunk end")


async def engine_json(upstream: str, path: str) -> tuple[int, Any]:
    """(status, parsed body) of a GET to the engine. HTTP/1.0: the body ends at close."""
    reader, writer = await connect_engine(upstream)
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    try:
        return status, json.loads(body or b"null")
    except ValueError:
        return status, None


def through_links(paths: list[str]) -> Refuse | None:
    """Refuse a bind source that passes through a symbolic link: the engine follows it,
    so an allowed folder with a link to / would mount /. Paths this process cannot see
    (the engine's host has other folders) are left to the policy's path check."""
    for path in paths:
        if os.path.lexists(path) and os.path.realpath(path) != path:
            return Refuse(f"bind source {path} goes through a symbolic link")
    return None


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until EOF, then pass the EOF on (half-close) so the other side sees it."""
    try:
        while chunk := await reader.read(1 << 16):
            writer.write(chunk)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


class DockerFilter:
    """Serve ``policy`` on the unix socket ``path``, forwarding to the engine at ``upstream``.

    ``mode``/``gid``: who may connect (the client's account; the proxy's account must reach
    the engine's socket). Use :meth:`start`/:meth:`close` in an event loop, or
    :func:`~ungp_hub.dockerfilter.run.start_in_thread`.
    """

    def __init__(
        self,
        policy: Policy,
        path: Path,
        upstream: str = "/var/run/docker.sock",
        mode: int = 0o660,
        gid: int | None = None,
        archive_limit: int = 1 << 30,
    ):
        self.policy = policy
        self.path = Path(path)
        self.upstream = upstream
        self.mode = mode
        self.gid = gid
        self.archive_limit = archive_limit
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        if self.path.is_socket():
            self.path.unlink()
        elif self.path.exists():
            raise FileExistsError(f"{self.path} exists and is not a socket; not replacing it")
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.path))
        os.chmod(self.path, self.mode)
        if self.gid is not None:
            os.chown(self.path, -1, self.gid)
        log.info("Docker filter for %s on %s", self.policy.name, self.path)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        try:
            if stat.S_ISSOCK(os.lstat(self.path).st_mode):
                self.path.unlink()
        except FileNotFoundError:
            pass

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._one_request(reader, writer)
        except BadRequest as error:
            await self._answer(writer, 400, str(error))
        except EngineUnavailable as error:
            log.error("Docker filter for %s: %s", self.policy.name, error)
            await self._answer(writer, 502, str(error))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        except Exception:
            log.exception("Docker filter for %s failed on a request", self.policy.name)
            await self._answer(writer, 500, "the Docker filter failed; see the hub's log")
        finally:
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        head = await reader.readuntil(b"\r\n\r\n")
        if len(head) > HEAD_LIMIT:
            raise BadRequest("request head too large")
        request = parse_head(head[:-4])
        url = urlsplit(request.target)
        path = url.path
        if "%" in path or "//" in path or "/./" in path or "/../" in path or path.endswith(".."):
            raise BadRequest("encoded or dotted paths are not accepted")
        stream_body = request.method == "PUT" and ARCHIVE.match(normalise(path))
        length = int(request.header("content-length") or 0)
        body: bytes | None = None
        if request.header("transfer-encoding"):
            limit = self.archive_limit if stream_body else JSON_LIMIT
            body, length, stream_body = await read_chunked(reader, limit), None, False
        elif not stream_body:
            if length > JSON_LIMIT:
                raise BadRequest(f"body larger than {JSON_LIMIT} bytes")
            body = await reader.readexactly(length)
        parsed = None
        if body:
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        query = parse_qs(url.query, keep_blank_values=True)
        decision = decide(request.method, path, query, parsed, self.policy)
        if isinstance(decision, Allow) and parsed is not None:
            decision = through_links(host_paths(parsed)) or decision
        if isinstance(decision, Allow):
            decision, path, parsed = await self._check_owned(decision, path, parsed)
        if isinstance(decision, Refuse):
            log.warning(
                "Docker filter refused %s %s for %s: %s",
                *(request.method, path, self.policy.name, decision.reason),
            )
            await self._answer(writer, decision.status, decision.reason)
            return
        if decision.query is not None:
            query = decision.query
        if parsed is not None and body is not None and isinstance(decision, Allow):
            body = json.dumps(parsed).encode()
        target = path + (f"?{urlencode(query, doseq=True)}" if query else "")
        await self._forward(request, target, body, length if stream_body else None, reader, writer)

    async def _check_owned(
        self, decision: Allow, path: str, body: Any
    ) -> tuple[Allow | Refuse, str, Any]:
        """Resolve each object the request names; refuse if one lacks the client's label.
        The path (and a create's NetworkMode) then names the object by its full id."""
        for kind, ident in decision.needs_owned:
            full = await self._owned_id(kind, ident)
            if isinstance(full, Refuse):
                return full, path, body
            segment = {"container": "containers", "network": "networks", "exec": "exec"}[kind]
            path = path.replace(f"/{segment}/{ident}", f"/{segment}/{full}", 1)
            host = body.get("HostConfig") if isinstance(body, dict) else None
            if kind == "container" and isinstance(host, dict):
                if host.get("NetworkMode") == f"container:{ident}":
                    host["NetworkMode"] = f"container:{full}"
            if kind == "container" and isinstance(body, dict) and body.get("Container") == ident:
                body["Container"] = full  # a network connect
        return decision, path, body

    async def _owned_id(self, kind: str, ident: str) -> str | Refuse:
        if kind == "exec":
            status, info = await engine_json(self.upstream, f"/exec/{ident}/json")
            if status != 200 or not isinstance(info, dict):
                return Refuse(f"exec {ident} not found", 404)
            owner = await self._owned_id("container", str(info.get("ContainerID", "")))
            return owner if isinstance(owner, Refuse) else str(info.get("ID", ident))
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", ident):
            return Refuse(f"{kind} {ident!r} is not a name or id")
        where = f"/containers/{ident}/json" if kind == "container" else f"/networks/{ident}"
        status, info = await engine_json(self.upstream, where)
        if status != 200 or not isinstance(info, dict):
            return Refuse(f"{kind} {ident} not found", 404)
        if kind == "container":
            labels = (info.get("Config") or {}).get("Labels")
        else:
            labels = info.get("Labels")
        if (labels or {}).get(self.policy.label_key) != self.policy.label_value:
            return not_owned(kind, ident, self.policy)
        return str(info.get("Id") or ident)

    async def _forward(
        self,
        request: Request,
        target: str,
        body: bytes | None,
        stream_length: int | None,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        upgrade = (request.header("upgrade") or "").lower() == "tcp" and bool(
            HIJACKED.match(normalise(target.split("?", 1)[0]))
        )
        headers = [
            (k, v)
            for k, v in request.headers
            if k.lower() not in _HOP_BY_HOP | {"content-length", "transfer-encoding"}
        ]
        headers.append(("Connection", "Upgrade") if upgrade else ("Connection", "close"))
        if upgrade:
            headers.append(("Upgrade", "tcp"))
        length = stream_length if stream_length is not None else len(body or b"")
        if length or request.method in ("POST", "PUT"):
            headers.append(("Content-Length", str(length)))
        head = f"{request.method} {target} HTTP/1.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        up_reader, up_writer = await connect_engine(self.upstream)
        try:
            up_writer.write(head.encode("ascii") + (body or b""))
            if stream_length:
                remaining = stream_length
                while remaining:
                    chunk = await reader.read(min(remaining, 1 << 16))
                    if not chunk:
                        raise asyncio.IncompleteReadError(b"", remaining)
                    up_writer.write(chunk)
                    await up_writer.drain()
                    remaining -= len(chunk)
            await up_writer.drain()
            if upgrade:
                # Only after the engine's 101 are the client's bytes the container's stdin;
                # before it (or on an error answer) they would be read as another request.
                answer = await up_reader.readuntil(b"\r\n\r\n")
                writer.write(answer)
                await writer.drain()
                if answer.split(b" ", 2)[1:2] == [b"101"]:
                    # Until the container's output ends; its stdin may be closed earlier.
                    stdin = asyncio.create_task(_pipe(reader, up_writer))
                    try:
                        await _pipe(up_reader, writer)
                    finally:
                        stdin.cancel()
                    return
                # An error instead: the engine keeps the connection open (the request asked
                # for an upgrade), so relay the answer's length and stop.
                length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", answer)
                if length:
                    writer.write(await up_reader.readexactly(int(length.group(1))))
                    await writer.drain()
                    return
            await _pipe(up_reader, writer)
        finally:
            up_writer.close()

    async def _answer(self, writer: asyncio.StreamWriter, status: int, reason: str) -> None:
        words = HTTPStatus(status).phrase
        body = json.dumps({"message": f"ungp docker filter: {reason}"}).encode()
        head = (
            f"HTTP/1.1 {status} {words}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            writer.write(head.encode() + body)
            await writer.drain()
        except (ConnectionError, OSError, RuntimeError):  # closed, or part of an answer sent
            pass
