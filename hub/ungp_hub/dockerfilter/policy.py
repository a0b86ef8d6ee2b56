"""What one client of the Docker filter may ask the engine: pure functions, no I/O.

The Docker socket is host root: whoever may create a container may mount ``/`` or run it
privileged. A hub service that needs containers therefore talks to a filter (``proxy``) that
passes only the calls and options on its :class:`Policy`: containers of the allowed images,
with resource limits, without privileges, host namespaces or host paths outside the allow
list, carrying the client's label; and actions only on what carries that label.

:func:`decide` looks at one request (method, path, query, JSON body). Questions only the
engine can answer (does container X carry the label?) come back as an :class:`Allow` with
``needs_owned`` set; the proxy asks the engine and refuses with :func:`not_owned` if not.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Docker's clients prefix paths with the API version (/v1.45/containers/create).
_VERSION = re.compile(r"^/v\d+(\.\d+)?(?=/)")
_ID = r"(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]*)"
# The security options a client may pass; anything else (seccomp/apparmor=unconfined,
# label=disable, a custom seccomp profile) loosens the engine's defaults.
_SAFE_SECURITY_OPTS = {"no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"}
# HostConfig keys that reach outside the container or around its limits: refused when set
# to anything but their empty value.
_FORBIDDEN_HOST_KEYS = (
    "CapAdd",
    "Devices",
    "DeviceRequests",
    "DeviceCgroupRules",
    "VolumesFrom",
    "Links",
    "CgroupParent",
    "Sysctls",
    "PortBindings",
    "MaskedPaths",
    "ReadonlyPaths",
    "Cgroup",
)
_NAMESPACE_KEYS = {
    "PidMode": {""},
    "UTSMode": {""},
    "UsernsMode": {""},
    "IpcMode": {"", "private", "none", "shareable"},
    "CgroupnsMode": {"", "private"},
}


@dataclass(frozen=True)
class BindSource:
    """A host path (and everything below it) a client may bind; ``read_only``: only with ro."""

    path: str
    read_only: bool = True


@dataclass(frozen=True)
class Policy:
    """One client's rights. Built from the site's settings by whoever starts the filter.

    ``label``: "key=value" the client puts on every container and network it creates; it may
    act only on objects carrying it (lists are narrowed to them). ``images``: exact image
    references; ``image_prefixes``: e.g. "ungp/user:" for every built tag. ``binds``: host
    paths allowed as bind sources; ``volumes``: fnmatch patterns of named volumes (home
    volumes). ``networks``: networks the client may join besides "none" and its own.
    ``max_*``: upper limits on the resource limits every container must have (0: no upper
    limit, a limit is still required). ``networks_create``, ``exec``: extra rights;
    ``list_all_networks``: network lists are not narrowed (the Dask backend picks a subnet no
    other network uses; a list shows names, subnets and labels, not containers).
    """

    name: str
    label: str
    images: tuple[str, ...] = ()
    image_prefixes: tuple[str, ...] = ()
    binds: tuple[BindSource, ...] = ()
    volumes: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    networks_create: bool = False
    list_all_networks: bool = False
    exec: bool = False
    max_memory: int = 0
    max_nano_cpus: int = 0
    max_pids: int = 0

    @property
    def label_key(self) -> str:
        return self.label.partition("=")[0]

    @property
    def label_value(self) -> str:
        return self.label.partition("=")[2]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        """From a policy file's parsed YAML/JSON; a ValueError names a bad or unknown key."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown policy keys {unknown}; known: {sorted(known)}")
        for key in ("name", "label"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"policy needs a non-empty string {key!r}")
        if "=" not in data["label"]:
            raise ValueError(f"policy label {data['label']!r} must be 'key=value'")
        values = dict(data)
        for key in ("images", "image_prefixes", "volumes", "networks"):
            values[key] = tuple(str(v) for v in data.get(key) or ())
        binds = []
        for entry in data.get("binds") or ():
            entry = {"path": entry} if isinstance(entry, str) else dict(entry)
            path = str(entry.get("path", ""))
            if not posixpath.isabs(path) or posixpath.normpath(path) in ("/", "//"):
                raise ValueError(f"bind source {path!r} must be an absolute path below /")
            binds.append(BindSource(posixpath.normpath(path), bool(entry.get("read_only", True))))
        values["binds"] = tuple(binds)
        return cls(**values)


@dataclass(frozen=True)
class Allow:
    """Forward the request. ``query``: the query to send (narrowed lists); ``needs_owned``:
    ("container"|"network"|"exec", id) that must carry the client's label first."""

    query: dict[str, list[str]] | None = None
    needs_owned: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Refuse:
    """Answer ``status`` (403; 404 when the engine has no such object) with ``reason``
    (the Docker client shows it as the error's message)."""

    reason: str
    status: int = 403


Decision = Allow | Refuse


def normalise(path: str) -> str:
    """The API path without its version prefix, so one rule covers every API version."""
    return _VERSION.sub("", path, count=1) or "/"


def not_owned(kind: str, ident: str, policy: Policy) -> Refuse:
    return Refuse(f"{kind} {ident} does not carry the label {policy.label} of {policy.name}")


def miswritten_key(body: Any) -> str | None:
    """A key that the engine would read as one the policy checks, spelt otherwise.

    The engine decodes bodies with Go's encoding/json, which matches field names ignoring
    case (with Unicode folding: "privileged" and "Mountſ" are Privileged and Mounts). The
    policy reads the exact names, so any other spelling of them is refused."""
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                canonical = _CHECKED_KEYS.get(str(key).casefold())
                if canonical is not None and key != canonical:
                    return str(key)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return None


def decide(
    method: str, path: str, query: Mapping[str, list[str]], body: Any, policy: Policy
) -> Decision:
    """Allow or refuse one request (``body``: the parsed JSON body, or None)."""
    method = method.upper()
    path = normalise(path)
    key = miswritten_key(body)
    if key is not None:
        canonical = _CHECKED_KEYS[key.casefold()]
        return Refuse(f"the body key {key!r} must be written {canonical!r}")
    for route_method, pattern, rule in _ROUTES:
        if route_method == method:
            found = re.fullmatch(pattern, path)
            if found:
                return rule(policy, dict(query), body, **found.groupdict())
    return Refuse(f"{method} {path} is not allowed for {policy.name}")


def _owned(kind: str):
    def rule(policy: Policy, query, body, id: str) -> Decision:  # noqa: A002 - Docker's word
        return Allow(needs_owned=((kind, id),))

    return rule


def _always(policy: Policy, query, body) -> Decision:
    return Allow()


def _narrowed_list(policy: Policy, query: dict[str, list[str]], body) -> Decision:
    """Listing shows only the client's own objects: its label joins the filters."""
    raw = (query.get("filters") or ["{}"])[-1] or "{}"
    try:
        filters = json.loads(raw)
    except ValueError:
        return Refuse("the filters parameter is not JSON")
    if not isinstance(filters, dict):
        return Refuse("the filters parameter is not a JSON object")
    labels = filters.get("label", [])
    if isinstance(labels, dict):  # the old {"key=value": true} form
        labels = [k for k, v in labels.items() if v]
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list):
        return Refuse("the label filter is not a list")
    filters["label"] = [*labels, policy.label]
    return Allow(query={**query, "filters": [json.dumps(filters)]})


def _network_list(policy: Policy, query: dict[str, list[str]], body) -> Decision:
    return Allow() if policy.list_all_networks else _narrowed_list(policy, query, body)


def _image_allowed(image: Any, policy: Policy) -> bool:
    return isinstance(image, str) and (
        image in policy.images or any(image.startswith(p) for p in policy.image_prefixes if p)
    )


def _image_inspect(policy: Policy, query, body, name: str) -> Decision:
    if _image_allowed(name, policy):
        return Allow()
    return Refuse(f"image {name} is not one {policy.name} may use")


def _check_source(source: str, read_only: bool, policy: Policy) -> str | None:
    """None if ``source`` (a host path or a volume name) may be mounted, else the reason."""
    if not source.startswith("/"):
        if any(fnmatch.fnmatchcase(source, p) for p in policy.volumes):
            return None
        return f"volume {source!r} is not one {policy.name} may mount"
    if ".." in source.split("/"):
        return f"bind source {source} contains '..'"
    clean = posixpath.normpath(source)
    for allowed in policy.binds:
        if clean == allowed.path or clean.startswith(allowed.path.rstrip("/") + "/"):
            if allowed.read_only and not read_only:
                return f"bind source {clean} is allowed read-only only"
            return None
    return f"host path {clean} is not a bind source {policy.name} may mount"


def _check_binds(host: Mapping[str, Any], policy: Policy) -> str | None:
    for bind in host.get("Binds") or ():
        parts = str(bind).split(":")
        if len(parts) < 2:
            return f"bind {bind!r} has no destination"
        options = parts[2].split(",") if len(parts) > 2 else []
        problem = _check_source(parts[0], "ro" in options, policy)
        if problem:
            return problem
    for mount in host.get("Mounts") or ():
        kind = mount.get("Type", "volume")
        if kind == "tmpfs":
            continue
        if kind not in ("bind", "volume"):
            return f"mounts of type {kind!r} are not allowed"
        if kind == "volume" and (mount.get("VolumeOptions") or {}).get("DriverConfig"):
            return "volume mounts with a driver configuration are not allowed"
        if kind == "volume" and not mount.get("Source"):
            continue  # an anonymous volume: fresh and empty
        problem = _check_source(str(mount.get("Source", "")), bool(mount.get("ReadOnly")), policy)
        if problem:
            return problem
    return None


def host_paths(body: Any) -> list[str]:
    """The host paths a containers/create body binds (for the proxy's symlink check)."""
    host = (body.get("HostConfig") or {}) if isinstance(body, dict) else {}
    found = [str(b).split(":")[0] for b in host.get("Binds") or ()]
    found += [str(m.get("Source", "")) for m in host.get("Mounts") or () if m.get("Type") == "bind"]
    return [posixpath.normpath(p) for p in found if p.startswith("/")]


def _check_limits(host: Mapping[str, Any], policy: Policy) -> str | None:
    memory, pids = host.get("Memory") or 0, host.get("PidsLimit") or 0
    cpus = host.get("NanoCpus") or 0
    if not cpus and (host.get("CpuQuota") or 0) > 0:
        cpus = int(host["CpuQuota"] * 1e9 / (host.get("CpuPeriod") or 100_000))
    for name, value, upper in (
        ("Memory", memory, policy.max_memory),
        ("PidsLimit", pids, policy.max_pids),
        ("NanoCpus or CpuQuota", cpus, policy.max_nano_cpus),
    ):
        if not isinstance(value, int) or value <= 0:
            return f"a container needs a {name} limit"
        if upper and value > upper:
            return f"{name} {value} is above the limit {upper} of {policy.name}"
    swap = host.get("MemorySwap") or 0
    if swap and swap != -1 and swap < memory:
        return "MemorySwap is below Memory"
    if swap == -1:
        return "MemorySwap -1 (unlimited swap) is not allowed"
    return None


def _network_refusal(name: str, policy: Policy) -> tuple[str | None, tuple[str, str] | None]:
    """(reason to refuse, or an owned-check to make) for joining network ``name``."""
    name = "bridge" if name in ("", "default") else name
    if name == "none" or name in policy.networks:
        return None, None
    if name == "host":
        return "the host network is not allowed", None
    if name.startswith("container:"):
        return None, ("container", name.split(":", 1)[1])
    if name == "bridge":
        return "the default bridge network is not allowed (name a network)", None
    return None, ("network", name)


def _container_create(policy: Policy, query, body) -> Decision:
    if not isinstance(body, dict):
        return Refuse("containers/create needs a JSON object body")
    if not _image_allowed(body.get("Image"), policy):
        return Refuse(f"image {body.get('Image')} is not one {policy.name} may use")
    labels = body.get("Labels") or {}
    if not isinstance(labels, dict) or labels.get(policy.label_key) != policy.label_value:
        return Refuse(f"a container of {policy.name} must carry the label {policy.label}")
    host = body.get("HostConfig") or {}
    if not isinstance(host, dict):
        return Refuse("HostConfig is not a JSON object")
    if host.get("Privileged"):
        return Refuse("privileged containers are not allowed")
    for key in _FORBIDDEN_HOST_KEYS:
        if host.get(key):
            return Refuse(f"HostConfig.{key} is not allowed")
    if host.get("PublishAllPorts"):
        return Refuse("HostConfig.PublishAllPorts is not allowed")
    if host.get("Runtime") not in (None, "", "runc"):
        return Refuse(f"runtime {host.get('Runtime')} is not allowed")
    for key, allowed in _NAMESPACE_KEYS.items():
        value = host.get(key) or ""
        if value not in allowed:
            return Refuse(f"HostConfig.{key} {value!r} is not allowed (host or shared namespace)")
    for option in host.get("SecurityOpt") or ():
        if str(option).replace(" ", "") not in _SAFE_SECURITY_OPTS:
            return Refuse(f"security option {option!r} is not allowed")
    problem = _check_binds(host, policy) or _check_limits(host, policy)
    if problem:
        return Refuse(problem)
    checks: list[tuple[str, str]] = []
    networks = [str(host.get("NetworkMode") or "")]
    endpoints = ((body.get("NetworkingConfig") or {}).get("EndpointsConfig")) or {}
    networks += [str(n) for n in endpoints]
    for network in networks:
        reason, check = _network_refusal(network, policy)
        if reason:
            return Refuse(reason)
        if check:
            checks.append(check)
    return Allow(needs_owned=tuple(checks))


def _exec_create(policy: Policy, query, body, id: str) -> Decision:  # noqa: A002
    if not policy.exec:
        return Refuse(f"exec is not allowed for {policy.name}")
    if not isinstance(body, dict) or body.get("Privileged"):
        return Refuse("privileged exec is not allowed")
    return Allow(needs_owned=(("container", id),))


def _exec_owned(policy: Policy, query, body, id: str) -> Decision:  # noqa: A002
    if not policy.exec:
        return Refuse(f"exec is not allowed for {policy.name}")
    return Allow(needs_owned=(("exec", id),))


def _network_create(policy: Policy, query, body) -> Decision:
    if not policy.networks_create:
        return Refuse(f"creating networks is not allowed for {policy.name}")
    if not isinstance(body, dict):
        return Refuse("networks/create needs a JSON object body")
    labels = body.get("Labels") or {}
    if not isinstance(labels, dict) or labels.get(policy.label_key) != policy.label_value:
        return Refuse(f"a network of {policy.name} must carry the label {policy.label}")
    if body.get("Driver") not in (None, "", "bridge"):
        return Refuse(f"network driver {body.get('Driver')} is not allowed")
    for key in ("Options", "ConfigFrom", "ConfigOnly", "Ingress", "Scope"):
        if body.get(key):
            return Refuse(f"networks/create {key} is not allowed")
    return Allow()


def _network_connect(policy: Policy, query, body, id: str) -> Decision:  # noqa: A002
    container = body.get("Container") if isinstance(body, dict) else None
    if not container:
        return Refuse("network connect needs a Container")
    reason, check = _network_refusal(id, policy)
    if reason:
        return Refuse(reason)
    return Allow(needs_owned=(("container", str(container)), *((check,) if check else ())))


_C = f"/containers/{_ID}"
_E = f"/exec/{_ID}"
_N = f"/networks/{_ID}"
_ROUTES: list[tuple[str, str, Any]] = [
    ("GET", r"/_ping", _always),
    ("HEAD", r"/_ping", _always),
    ("GET", r"/version", _always),
    ("GET", r"/containers/json", _narrowed_list),
    ("POST", r"/containers/create", _container_create),
    ("GET", f"{_C}/(?:json|logs|archive)", _owned("container")),
    ("HEAD", f"{_C}/archive", _owned("container")),
    ("PUT", f"{_C}/archive", _owned("container")),
    (
        "POST",
        f"{_C}/(?:start|stop|restart|kill|wait|attach|resize|pause|unpause)",
        _owned("container"),
    ),
    ("DELETE", _C, _owned("container")),
    ("POST", f"{_C}/exec", _exec_create),
    ("POST", f"{_E}/(?:start|resize)", _exec_owned),
    ("GET", f"{_E}/json", _exec_owned),
    ("GET", r"/networks", _network_list),
    ("POST", r"/networks/create", _network_create),
    ("GET", _N, _owned("network")),
    ("DELETE", _N, _owned("network")),
    ("POST", f"{_N}/(?:connect|disconnect)", _network_connect),
    ("GET", r"/images/(?P<name>.+)/json", _image_inspect),
]

# Every struct field name the rules above read (Go's decoder would match other spellings).
_CHECKED_KEYS = {
    name.casefold(): name
    for name in (
        *_FORBIDDEN_HOST_KEYS,
        *_NAMESPACE_KEYS,
        *(
            "Image Labels HostConfig NetworkingConfig EndpointsConfig Privileged SecurityOpt "
            "Binds Mounts Type Source ReadOnly VolumeOptions DriverConfig Memory MemorySwap "
            "PidsLimit NanoCpus CpuQuota CpuPeriod NetworkMode PublishAllPorts Runtime "
            "Container Driver Options ConfigFrom ConfigOnly Ingress Scope"
        ).split(),
    )
}
