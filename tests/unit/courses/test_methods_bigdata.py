"""ungp_methods.bigdata: a cluster without a gateway, catalogue entries as checked Dask frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ungp_catalogs import read_entry
from ungp_catalogs.errors import ChecksumMismatch
from ungp_methods.bigdata import (
    ClusterUnavailable,
    entry_files,
    entry_frame,
    gateway_address,
    open_cluster,
)


@pytest.fixture(scope="module")
def client():
    cluster = open_cluster(2, local=True)
    with cluster, cluster.get_client() as client:
        yield client


def test_entry_frame_has_one_partition_per_file_and_the_catalogue_rows(small_catalog, client):
    frame = entry_frame("mobile_events", small_catalog)
    assert frame.npartitions == len(entry_files("mobile_events", small_catalog)) > 1
    whole = read_entry("mobile_events", small_catalog)
    computed = frame.compute()
    assert len(computed) == len(whole)
    assert (computed["subscriber"].to_numpy() == whole["subscriber"].to_numpy()).all()
    assert (computed["timestamp"].to_numpy() == whole["timestamp"].to_numpy()).all()


def test_entry_frame_reads_only_the_columns_asked(small_catalog, client):
    frame = entry_frame("ais_pings", small_catalog, columns=["mmsi", "sog"])
    assert list(frame.columns) == ["mmsi", "sog"]
    assert list(frame.partitions[0].compute().columns) == ["mmsi", "sog"]


def test_a_tampered_file_fails_on_the_worker_that_reads_it(small_catalog, client, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(Path(small_catalog).parent, copy)
    victim = entry_files("ais_pings", copy / "catalog.yaml")[-1]
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    frame = entry_frame("ais_pings", copy / "catalog.yaml")
    assert len(frame.partitions[0]) > 0  # untouched files still read
    with pytest.raises(ChecksumMismatch, match="ais_pings"):
        frame.compute()


def test_the_gateway_is_used_only_when_the_environment_names_one(monkeypatch):
    monkeypatch.delenv("DASK_GATEWAY__ADDRESS", raising=False)
    assert gateway_address() is None
    with pytest.raises(ClusterUnavailable, match="DASK_GATEWAY__ADDRESS"):
        open_cluster(local=False)
    monkeypatch.setenv("DASK_GATEWAY__ADDRESS", "http://10.0.0.1:8000/services/dask-gateway")
    assert gateway_address() == "http://10.0.0.1:8000/services/dask-gateway"
    monkeypatch.delenv("DASK_GATEWAY__ADDRESS")
    assert gateway_address() is None  # dask.config refreshed: no stale address
