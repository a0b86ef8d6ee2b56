"""The gate forwards Voila's rendering and widget traffic, and nothing that reaches files,
kernels or code execution."""

import json
import struct

import pytest
from ungp_hub.dashboards.policy import (
    http_allowed,
    message_allowed,
    message_type,
    websocket_allowed,
)

KERNEL = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "voila/static/voila.js"),
        ("GET", "voila/templates/lab/static/index.css"),
        ("GET", "voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/remoteEntry.js"),
        ("GET", f"api/kernels/{KERNEL}"),
        ("POST", f"voila/api/shutdown/{KERNEL}"),
    ],
)
def test_voila_routes_pass(method, path):
    assert http_allowed(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "api/contents"),
        ("GET", "api/contents/dashboard.ipynb"),
        ("GET", "api/terminals"),
        ("POST", "api/terminals"),
        ("GET", "api/kernels"),
        ("POST", "api/kernels"),
        ("DELETE", f"api/kernels/{KERNEL}"),
        ("GET", "voila/files/dashboard.ipynb"),
        ("GET", "voila/tree"),
        ("GET", "voila/render/dashboard.ipynb"),
        ("GET", "voila/static/../../etc/passwd"),
        ("GET", "lab"),
        ("GET", "anything-else"),
        ("POST", ""),
    ],
)
def test_everything_else_is_refused(method, path):
    assert not http_allowed(method, path)


def test_only_the_kernel_channels_websocket():
    assert websocket_allowed(f"api/kernels/{KERNEL}/channels")
    assert not websocket_allowed("api/kernels/not-a-kernel/channels")
    assert not websocket_allowed("terminals/websocket/1")
    assert not websocket_allowed(f"voila/execution/{KERNEL}")


def _json_message(msg_type: str) -> str:
    return json.dumps({"header": {"msg_type": msg_type}, "content": {}, "channel": "shell"})


def _binary_message(msg_type: str, buffers: list[bytes]) -> bytes:
    parts = [_json_message(msg_type).encode(), *buffers]
    offsets, position = [], 4 * (len(parts) + 1)
    for part in parts:
        offsets.append(position)
        position += len(part)
    return struct.pack(f"!{len(parts) + 1}I", len(parts), *offsets) + b"".join(parts)


@pytest.mark.parametrize(
    "kind", ["comm_msg", "comm_open", "comm_info_request", "kernel_info_request"]
)
def test_widget_messages_pass(kind):
    assert message_allowed(_json_message(kind))
    assert message_allowed(_binary_message(kind, [b"\x00\x01buffer"]))


@pytest.mark.parametrize(
    "kind",
    [
        "execute_request",
        "complete_request",
        "inspect_request",
        "history_request",
        "shutdown_request",
        "interrupt_request",
    ],
)
def test_code_execution_is_refused(kind):
    assert not message_allowed(_json_message(kind))
    assert not message_allowed(_binary_message(kind, [b"x" * 10]))


def test_unreadable_messages_are_refused():
    assert message_type("not json") is None
    assert not message_allowed(b"\x00")
    assert not message_allowed(json.dumps({"no": "header"}))
