"""The planted truths agree with the data they are the truth of."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ungp_catalogs import read_entry
from ungp_catalogs.maritime.ports import haversine_km


def _read(data_dir, name):
    return read_entry(name, data_dir)


def test_every_planted_port_call_has_pings_inside_the_port_area(data_dir):
    calls = _read(data_dir, "ais_port_calls_truth")
    pings = _read(data_dir, "ais_pings")
    ports = _read(data_dir, "ais_ports").set_index("locode")
    assert len(calls) > 10
    merged = calls.merge(pings, on="mmsi")
    merged = merged[
        (merged["timestamp"] >= merged["arrival"]) & (merged["timestamp"] <= merged["departure"])
    ]
    port = ports.loc[merged["locode"]]
    dist = haversine_km(
        merged["lat"].to_numpy(),
        merged["lon"].to_numpy(),
        port["lat"].to_numpy(),
        port["lon"].to_numpy(),
    )
    inside = merged[dist <= port["radius_km"].to_numpy()]
    counts = inside.groupby("call_id").size()
    missing = sorted(set(calls["call_id"]) - set(counts.index))
    assert not missing, f"calls without pings in the port area: {missing}"


def test_reported_draught_in_port_matches_the_planted_payload(data_dir):
    calls = _read(data_dir, "ais_port_calls_truth")
    pay = _read(data_dir, "ais_payload_truth")
    pings = _read(data_dir, "ais_pings")
    df = calls.merge(pay, on=["call_id", "mmsi", "locode"]).merge(pings, on="mmsi")
    df = df[(df["timestamp"] >= df["arrival"]) & (df["timestamp"] < df["departure"])]
    df = df[df["nav_status"] == 5].dropna(subset=["draught"])
    assert len(df) > 50
    # AIS reports draught to 0.1 m: within half a step of the exact arrival or departure value
    near_arr = (df["draught"] - df["draught_arrival_m"]).abs() < 0.051
    near_dep = (df["draught"] - df["draught_departure_m"]).abs() < 0.051
    assert (near_arr | near_dep).all()
    balance = pay["on_board_arrival_t"] - pay["unloaded_t"] + pay["loaded_t"]
    assert np.allclose(balance, pay["on_board_departure_t"], atol=0.2)
    # Displacement with a draught-adjusted block coefficient (MAN 2011), written out here.
    vessels = _read(data_dir, "ais_vessels").set_index("mmsi").loc[pay["mmsi"]]
    length, beam = vessels["length"].to_numpy(), vessels["beam"].to_numpy()
    cb0, t0 = vessels["block_coefficient"].to_numpy(), vessels["design_draught"].to_numpy()

    def displacement(draught):
        draught = draught.to_numpy()
        return 1.025 * (1 - (1 - cb0) * (t0 / draught) ** (1 / 3)) * length * beam * draught

    implied = displacement(pay["draught_departure_m"]) - displacement(pay["draught_arrival_m"])
    assert np.allclose(implied, pay["loaded_t"] - pay["unloaded_t"], rtol=0.001, atol=5)


def test_pings_carry_the_advertised_noise(data_dir):
    pings = _read(data_dir, "ais_pings")
    vessels = _read(data_dir, "ais_vessels")
    assert pings.duplicated().sum() > 0
    assert (~pings["mmsi"].isin(vessels["mmsi"])).sum() > 0
    assert pings["draught"].isna().sum() > 0
    assert (pings["heading"] == 511).sum() > 0
    assert pings["timestamp"].is_monotonic_increasing


def test_relaunch_truth_matches_transactions(data_dir):
    rel = _read(data_dir, "scanner_relaunch_truth")
    tx = _read(data_dir, "scanner_transactions")
    products = _read(data_dir, "scanner_products")
    assert len(rel) > 0
    assert set(rel["old_gtin"]) | set(rel["new_gtin"]) <= set(products["gtin"])
    tx["week_start"] = pd.to_datetime(tx["week_start"])
    for row in rel.itertuples():
        week = pd.Timestamp(row.relaunch_week)
        new = tx.loc[tx["gtin"] == row.new_gtin, "week_start"]
        old = tx.loc[tx["gtin"] == row.old_gtin, "week_start"]
        assert (new >= week).all() and (old < week).all()


def test_promotions_cut_prices_and_lift_quantities(data_dir):
    promo = _read(data_dir, "scanner_promotion_truth")
    tx = _read(data_dir, "scanner_transactions")
    tx["unit_value"] = tx["turnover"] / tx["quantity"]
    sold = promo[promo["sold"]][["week_start", "store_id", "gtin"]].assign(promo=True)
    df = tx.merge(sold, on=["week_start", "store_id", "gtin"], how="left")
    assert df["promo"].fillna(False).sum() == len(sold)
    df["promo"] = df["promo"].fillna(False).astype(bool)
    ratio = df.groupby(["store_id", "gtin", "promo"])[["unit_value", "quantity"]].median().unstack()
    ratio = ratio.dropna()
    assert (ratio[("unit_value", True)] < ratio[("unit_value", False)]).mean() > 0.9
    assert (ratio[("quantity", True)] > ratio[("quantity", False)]).mean() > 0.6


def test_trade_benchmark_is_close_to_the_planted_payloads(data_dir):
    trade = _read(data_dir, "benchmark_trade_monthly")
    pay = _read(data_dir, "ais_payload_truth")
    imports = trade.loc[trade["flow"] == "import", "quantity_t"].sum()
    exports = trade.loc[trade["flow"] == "export", "quantity_t"].sum()
    assert abs(imports / pay["unloaded_t"].sum() - 1) < 0.05
    assert abs(exports / pay["loaded_t"].sum() - 1) < 0.05


def test_cpi_benchmark_follows_the_planted_price_level(data_dir):
    cpi = _read(data_dir, "benchmark_cpi_monthly")
    level = _read(data_dir, "scanner_price_level_truth")
    level["month"] = pd.to_datetime(level["week_start"]).dt.to_period("M")
    monthly = level.groupby(["coicop", "month"])["price_level"].mean()
    for code, series in monthly.groupby(level=0):
        expected = 100 * series.iloc[-1] / series.iloc[0]
        published = cpi[cpi["coicop"] == code]["index"].iloc[-1]
        assert abs(published / expected - 1) < 0.01
    total = cpi[cpi["coicop"] == "00"]
    assert total["index"].iloc[0] == 100.0 and len(total) == cpi["month"].nunique()


def test_anchorage_waits_are_outside_the_port_area(data_dir):
    calls = _read(data_dir, "ais_port_calls_truth").dropna(subset=["anchored_from"])
    pings = _read(data_dir, "ais_pings")
    ports = _read(data_dir, "ais_ports").set_index("locode")
    assert len(calls) > 0
    df = calls.merge(pings[pings["nav_status"] == 1], on="mmsi")
    df = df[(df["timestamp"] >= df["anchored_from"]) & (df["timestamp"] < df["arrival"])]
    df = df[df["lat"] <= 90]
    assert len(df) > 0
    port = ports.loc[df["locode"]]
    dist = haversine_km(
        df["lat"].to_numpy(), df["lon"].to_numpy(), port["lat"].to_numpy(), port["lon"].to_numpy()
    )
    # GPS jumps aside, every anchored report lies beyond the port area's radius
    assert (dist > port["radius_km"].to_numpy()).mean() > 0.99
