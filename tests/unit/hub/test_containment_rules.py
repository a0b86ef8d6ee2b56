"""The containment rules, read as an admin would read `iptables -S` (nothing is applied)."""

from __future__ import annotations

import ipaddress
import json

import pytest
import yaml
from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.configure.containment import hub_ports
from ungp_hub.containment.rules import (
    LINK_LOCAL,
    ContainmentError,
    bridge_tag,
    cluster_bridge_name,
    make_plan,
    users_bridge_name,
)
from ungp_hub.settings import load_settings


def plan(**allow_entries):
    return make_plan("ungp-users", "172.30.0.1", [8002, 8005, 8003], **allow_entries)


def first_index(rules: list[list[str]], predicate) -> int:
    return next(i for i, rule in enumerate(rules) if predicate(rule))


@pytest.mark.parametrize("chain", ["input_rules", "forward_rules"])
def test_metadata_range_is_dropped_before_anything_passes(chain):
    """169.254.169.254 (cloud metadata) is dropped even with an allow-all list."""
    rules = getattr(plan(allow=[{"address": "0.0.0.0/0"}]), chain)()
    metadata = first_index(rules, lambda r: r[:2] == ["-d", LINK_LOCAL] and r[-1] == "DROP")
    passes = [
        i for i, r in enumerate(rules) if r[-1] == "RETURN" and "--ctstate" not in r and i > 0
    ]
    assert passes and metadata < min(passes)
    assert ipaddress.ip_address("169.254.169.254") in ipaddress.ip_network(LINK_LOCAL)
    assert rules[-1] == ["-j", "DROP"]  # everything not allowed: the LAN, other hosts


def test_only_the_hub_ports_on_the_hub_address_reach_the_host():
    rules = plan().input_rules()
    opened = [r for r in rules if r[-1] == "RETURN" and "--ctstate" not in r]
    assert opened == [
        ["-d", "172.30.0.1", "-p", "tcp", "-m", "multiport", "--dports", "8002,8003,8005"]
        + ["-j", "RETURN"]
    ]


def test_forwarded_traffic_passes_only_within_a_bridge_or_to_the_allow_list():
    allow = [{"address": "10.1.2.3", "ports": [3128]}, {"address": "10.9.0.0/16"}]
    rules = plan(allow=allow).forward_rules()
    opened = [r for r in rules if r[-1] == "RETURN" and "--ctstate" not in r]
    assert opened == [
        ["-m", "physdev", "--physdev-is-bridged", "-j", "RETURN"],
        ["-d", "10.1.2.3/32", "-p", "tcp", "-m", "multiport", "--dports", "3128", "-j", "RETURN"],
        ["-d", "10.9.0.0/16", "-p", "tcp", "-j", "RETURN"],
    ]
    # No allow list: nothing but same-bridge traffic and replies.
    assert len(plan().forward_rules()) == 4


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("mirror.example.org", "host names are not accepted"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00::1", "IPv6"),
    ],
)
def test_bad_allow_list_entries_are_refused_with_the_reason(address, words):
    with pytest.raises(ContainmentError, match=words):
        plan(allow=[{"address": address}])


def test_many_ports_are_split_in_groups_iptables_accepts():
    rules = make_plan("n", "10.0.0.1", range(9000, 9020)).input_rules()
    groups = [r[r.index("--dports") + 1] for r in rules if "--dports" in r]
    assert [len(g.split(",")) for g in groups] == [15, 5]


def test_bridges_share_the_tag_and_fit_interface_names():
    tag = bridge_tag("ungp-users")
    assert users_bridge_name("ungp-users").startswith(tag + "-")
    names = {
        cluster_bridge_name(tag + "-", "10.213.0.0/16", str(sub))
        for sub in ipaddress.ip_network("10.213.0.0/16").subnets(new_prefix=26)
    }
    assert len(names) == 1024 and all(len(n) <= 15 and n.startswith(tag + "-") for n in names)
    assert bridge_tag("ungp-test-users") != tag  # two hubs on one engine keep apart
    with pytest.raises(ContainmentError, match="dask.subnet_pool"):
        cluster_bridge_name(tag + "-", "64.0.0.0/2", "127.255.255.248/29")


def test_the_jumps_cover_every_bridge_of_the_hub_and_old_ones():
    plan_ = make_plan("ungp-users", "172.30.0.1", [8002], extra_interfaces=["br-0123456789ab"])
    jumps = plan_.jumps("DOCKER-USER")
    assert ("INPUT", ["-i", f"{bridge_tag('ungp-users')}-+", "-j", plan_.input_chain]) in jumps
    assert ("DOCKER-USER", ["-i", "br-0123456789ab", "-j", plan_.forward_chain]) in jumps
    script = plan_.restore_script()
    assert script.startswith("*filter\n") and script.endswith("COMMIT\n")
    assert f"-A {plan_.input_chain} -d {LINK_LOCAL} -j DROP" in script


def test_the_hub_configuration_opens_each_service_on_the_hub_address(tmp_path):
    c = Config()
    c.JupyterHub.hub_port = 8002
    c.JupyterHub.bind_url = "http://127.0.0.1:8000"
    c.JupyterHub.services = [
        {"name": "exchange", "url": "http://172.30.0.1:8005"},
        {"name": "local-only", "url": "http://127.0.0.1:8010"},
        {"name": "idle-culler", "command": ["x"]},
    ]
    assert hub_ports(c, "172.30.0.1") == {8002, 8005}
    c.JupyterHub.bind_url = "https://0.0.0.0"
    assert 443 in hub_ports(c, "172.30.0.1")


def test_settings_reach_the_applied_plan(tmp_path, applied_containment):
    (tmp_path / "images.json").write_text(json.dumps({"user": "ungp/user:abc"}))
    settings = {
        "hub": {"state_dir": str(tmp_path), "bind_url": "http://127.0.0.1:9000"},
        "network": {"allow": [{"address": "10.1.2.3", "ports": [3128]}]},
    }
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump(settings))
    apply_settings(Config(), load_settings(path, environ={}))
    (applied,) = applied_containment
    assert applied.hub_ip == "172.30.0.1"
    # The hub's API, the exchange, the grader, the certification, Dask and dashboards.
    assert {9002, 9003, 9005, 9006}.issubset(applied.hub_ports)
    assert [str(a.network) for a in applied.allow] == ["10.1.2.3/32"]

    applied_containment.clear()
    settings["network"] = {"contain": False}
    path.write_text(yaml.safe_dump(settings))
    apply_settings(Config(), load_settings(path, environ={}))
    assert applied_containment == []
