"""Subnets for the per-cluster networks."""

from __future__ import annotations

import ipaddress

import pytest
from ungp_hub.dask.networks import NoFreeSubnet, free_subnet


def test_first_subnet_of_an_empty_pool():
    assert free_subnet("10.213.0.0/16", 26, []) == "10.213.0.0/26"


def test_subnets_in_use_and_overlapping_networks_are_skipped():
    used = ["10.213.0.0/26", "10.213.0.64/26", "10.213.0.128/25", "172.17.0.0/16"]
    chosen = ipaddress.ip_network(free_subnet("10.213.0.0/16", 26, used))
    assert chosen.prefixlen == 26
    assert not any(chosen.overlaps(ipaddress.ip_network(net)) for net in used)
    assert chosen.subnet_of(ipaddress.ip_network("10.213.0.0/16"))


def test_a_network_covering_the_whole_pool_leaves_nothing():
    with pytest.raises(NoFreeSubnet, match="dask.subnet_pool"):
        free_subnet("10.213.0.0/24", 26, ["10.0.0.0/8"])


def test_a_full_pool_is_reported():
    pool = "10.213.0.0/24"
    used = [str(net) for net in ipaddress.ip_network(pool).subnets(new_prefix=26)]
    with pytest.raises(NoFreeSubnet):
        free_subnet(pool, 26, used)
