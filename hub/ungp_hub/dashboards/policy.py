"""What the gate in front of Voila lets through: Voila's rendering and widgets, nothing else.

Voila (standalone, one notebook) also answers on routes a dashboard viewer must never use:
files next to the notebook (/voila/files/), kernel management, and every other path renders
the notebook again. And the kernel's websocket accepts ``execute_request`` from anybody who
holds it, which would let a viewer run code as the dashboard. The gate forwards only the
paths below, and on the websocket only the messages ipywidgets need.
"""

from __future__ import annotations

import json
import re
import struct

KERNEL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# (method, pattern relative to the server's prefix)
ALLOWED_HTTP = [
    ("GET", re.compile(r"^$")),
    ("GET", re.compile(r"^voila/static/[\w./-]+$")),
    ("GET", re.compile(r"^voila/templates/[\w./-]+$")),
    ("GET", re.compile(r"^voila/labextensions/[@\w./-]+$")),
    ("GET", re.compile(r"^voila/api/themes/[\w./-]+$")),
    ("GET", re.compile(rf"^api/kernels/{KERNEL_ID}$")),
    ("POST", re.compile(rf"^voila/api/shutdown/{KERNEL_ID}$")),
]
WEBSOCKET = re.compile(rf"^api/kernels/{KERNEL_ID}/channels$")

# What a page's widgets send to the kernel; execute/complete/inspect/history are refused.
ALLOWED_MESSAGES = frozenset(
    {"comm_msg", "comm_open", "comm_close", "comm_info_request", "kernel_info_request"}
)


def http_allowed(method: str, relative_path: str) -> bool:
    if ".." in relative_path.split("/"):
        return False
    return any(method == m and pattern.match(relative_path) for m, pattern in ALLOWED_HTTP)


def websocket_allowed(relative_path: str) -> bool:
    return bool(WEBSOCKET.match(relative_path))


def message_type(message: str | bytes) -> str | None:
    """msg_type of a kernel websocket message (JSON text, or the legacy binary framing)."""
    try:
        if isinstance(message, str):
            return json.loads(message)["header"]["msg_type"]
        # legacy binary: uint32 count, then that many uint32 offsets; part 0 is the JSON message
        (count,) = struct.unpack("!I", message[:4])
        offsets = struct.unpack(f"!{count}I", message[4 : 4 + 4 * count])
        end = offsets[1] if count > 1 else len(message)
        return json.loads(message[offsets[0] : end])["header"]["msg_type"]
    except (ValueError, KeyError, TypeError, struct.error, IndexError):
        return None


def message_allowed(message: str | bytes) -> bool:
    return message_type(message) in ALLOWED_MESSAGES
