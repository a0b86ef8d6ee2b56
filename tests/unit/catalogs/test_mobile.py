"""Mobile domain: the methods library recovers what the generator planted."""

from __future__ import annotations

import pandas as pd
import ungp_methods.mobile as mm
from ungp_catalogs import read_entry
from ungp_catalogs.domains.mobile import HOME_MCC


def _read(data_dir, name):
    return read_entry(name, data_dir)


def test_night_time_rule_with_defaults_recovers_planted_homes(data_dir):
    events = _read(data_dir, "mobile_events")
    truth = _read(data_dir, "mobile_homes_truth")
    domestic = events[events["mcc"] == HOME_MCC]
    found = mm.night_time_home(domestic, area="cell_id")
    merged = truth.merge(found.homes, on="subscriber", how="left")
    agreement = (merged["home_cell"] == merged["home_area"]).mean()
    assert agreement >= 0.9, agreement
    # low-activity subscribers lack evidence: mostly left unassigned, not guessed
    low = set(truth.loc[truth["low_activity"], "subscriber"])
    assert low and len(low & set(found.unassigned["subscriber"])) >= 0.8 * len(low)


def test_workers_spend_weekday_office_hours_at_their_work_cell(data_dir):
    events = _read(data_dir, "mobile_events")
    truth = _read(data_dir, "mobile_homes_truth").dropna(subset=["work_cell"])
    t = events["timestamp"]
    office = events[(t.dt.day_of_week < 5) & (t.dt.hour >= 9) & (t.dt.hour < 17)]
    top = office.groupby("subscriber")["cell_id"].agg(lambda s: s.value_counts().index[0])
    merged = truth[~truth["low_activity"]].merge(top.rename("top"), on="subscriber")
    assert len(merged) > 100
    assert (merged["top"] == merged["work_cell"]).mean() >= 0.85


def test_od_truth_counts_the_planted_commuters(data_dir):
    od = _read(data_dir, "mobile_od_truth")
    homes = _read(data_dir, "mobile_homes_truth")
    workers = homes.dropna(subset=["work_cell"])
    assert od["commuters"].sum() == len(workers)
    expected = workers.groupby(["home_zone", "work_zone"]).size()
    got = od.set_index(["origin_zone", "destination_zone"])["commuters"]
    assert got.sort_index().tolist() == expected.sort_index().tolist()


def test_coverage_truth_agrees_with_the_itu_method_on_lat_lon(data_dir):
    cells = _read(data_dir, "mobile_cells")
    grid = _read(data_dir, "mobile_population_grid")
    truth = _read(data_dir, "mobile_coverage_truth").set_index("technology")
    ours = mm.population_coverage(grid, cells).set_index("technology")
    diff = (ours["coverage_pct"] - truth["coverage_pct"]).abs()
    assert (diff < 0.5).all(), diff
    pct = truth.loc[list(mm.TECHNOLOGIES), "coverage_pct"].to_numpy()
    assert (pct[:-1] >= pct[1:]).all() and pct[-1] < pct[0]
    assert set(cells["technology"]) == set(mm.TECHNOLOGIES)


def test_roamers_are_foreign_sims_seen_on_the_days_the_truth_says(data_dir):
    events = _read(data_dir, "mobile_events")
    roamers = _read(data_dir, "mobile_roamers_truth")
    foreign = events[events["mcc"] != HOME_MCC]
    assert set(foreign["subscriber"]) <= set(roamers["subscriber"])
    days = foreign.groupby("subscriber")["timestamp"].apply(lambda t: t.dt.date.nunique())
    merged = roamers.set_index("subscriber").join(days.rename("seen"))
    merged["seen"] = merged["seen"].fillna(0).astype(int)
    assert (merged["seen"] == merged["days_seen"]).all()
    assert (merged["overnight"] == (merged["seen"] >= 2)).all()
    assert merged["overnight"].any() and (~merged["overnight"]).any()
    tourism = mm.inbound_tourism(events.rename(columns={"cell_id": "area"}), home_mcc=HOME_MCC)
    assert set(tourism["mcc"]) <= set(roamers.loc[roamers["overnight"], "mcc"])


def test_events_reference_known_cells_and_local_time(data_dir):
    events = _read(data_dir, "mobile_events")
    cells = _read(data_dir, "mobile_cells")
    assert cells["cell_id"].is_unique
    assert set(events["cell_id"]) <= set(cells["cell_id"])
    assert str(events["timestamp"].dt.tz) == "Africa/Dar_es_Salaam"
    night = events["timestamp"].dt.hour.isin([1, 2, 3, 4])
    assert 0 < night.mean() < 0.1
    assert isinstance(events["timestamp"].iloc[0], pd.Timestamp)
