"""The harness's kernel websocket address follows the server's scheme.

The kit's and Ansible's login check run ``run_cell`` against the hub on https; a plain ``ws://``
there would be refused by the TLS port, so the address must be ``wss://`` behind TLS.
"""

from __future__ import annotations

from ungp_hub.testing.client import kernel_channels_url


def test_a_hub_behind_tls_is_reached_over_wss():
    url = kernel_channels_url("https://127.0.0.1:443/user/ada/", "k1")
    assert url == "wss://127.0.0.1:443/user/ada/api/kernels/k1/channels"


def test_a_plain_http_server_is_reached_over_ws():
    url = kernel_channels_url("http://127.0.0.1:8890/user/ada", "k2")
    assert url == "ws://127.0.0.1:8890/user/ada/api/kernels/k2/channels"
