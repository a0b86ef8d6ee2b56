"""The example dashboards run on the `small` catalogue and compute what ungp_methods computes."""

from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from ungp_hub.dashboards.examples import EXAMPLES, example_paths

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    from ungp_catalogs.build import build_catalog

    data = tmp_path_factory.mktemp("catalog") / "data"
    return build_catalog(data, scale="small", domains=["ais", "scanner"]).root


def run(path: Path, catalog: Path, **parameters) -> dict:
    """Execute the notebook's code cells in one namespace (as Voila would, minus the kernel)."""
    book = nbformat.read(path, as_version=4)
    namespace: dict = {}
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, path.name, "exec"), namespace)  # noqa: S102 - our own file
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(catalog_path=str(catalog), **parameters)
    return namespace


def test_the_examples_are_listed_and_have_parameters():
    paths = example_paths()
    assert [p.name for p in paths] == list(EXAMPLES)
    for path in paths:
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        tags = [c.metadata.get("tags", []) for c in book.cells]
        assert ["parameters"] in tags, path.name
        assert any("ipywidgets" in c.source for c in book.cells)


def test_weekly_ports(catalog):
    from ungp_catalogs import read_entry
    from ungp_methods.ais import (
        call_payloads,
        clean_positions,
        detect_port_calls,
        weekly_port_calls,
        weekly_trade_volume,
    )

    ns = run(example_paths()[0], catalog)
    pings, ports = read_entry("ais_pings", catalog), read_entry("ais_ports", catalog)
    found = detect_port_calls(clean_positions(pings).positions, ports, buffer_km=2.0)
    calls = call_payloads(found, read_entry("ais_vessels", catalog))
    week = ns["week"]
    assert week == max(weekly_port_calls(calls)["week"])  # the latest week by default
    for level in ("port", "country"):
        table = ns["week_table"](level, week).set_index(level)
        expected_calls = weekly_port_calls(calls, by=level).query("week == @week")
        expected_volume = weekly_trade_volume(calls, by=level).query("week == @week")
        for row in expected_calls.itertuples():
            assert table.loc[getattr(row, level), "calls"] == row.port_calls
        for row in expected_volume.itertuples():
            assert table.loc[getattr(row, level), "tonnes"] == pytest.approx(
                row.total_tonnes, abs=0.05
            )
    # the widgets follow the level: countries after switching
    ns["level"].value = "country"
    assert set(ns["place"].options) == set(weekly_port_calls(calls, by="country")["country"])


def test_weekly_ports_refuses_a_week_without_data(catalog):
    with pytest.raises(ValueError, match="2001-W01 is not in the data"):
        run(example_paths()[0], catalog, reference_week="2001-W01")


def test_monthly_cpi(catalog):
    from ungp_methods.prices import multilateral_index

    ns = run(example_paths()[1], catalog)
    subclass = ns["subclasses"][0]
    table = ns["cpi"](subclass, "geks_tornqvist")
    data = ns["unit_values"][ns["unit_values"]["coicop"] == subclass]
    expected = 100 * multilateral_index(
        data, "geks_tornqvist", window=13, splice="movement", period="month", product="gtin"
    )
    assert table["index"].to_numpy() == pytest.approx(expected.round(2).to_numpy())
    assert table["index"].iloc[0] == 100
    change = (table["index"].iloc[-1] / table["index"].iloc[-2] - 1) * 100
    assert table["change_pct"].iloc[-1] == pytest.approx(change, abs=0.02)
    for method in ns["METHODS"].values():
        assert isinstance(ns["cpi"](subclass, method), pd.DataFrame)


def test_weekly_ports_has_a_trend_and_the_documented_week(catalog):
    """docs/dashboards.md publishes with `-p reference_week=2024-W10`: it must be in the data,
    and a fast indicator needs weeks to compare (the small scale holds 8 whole ISO weeks)."""
    ns = run(example_paths()[0], catalog, reference_week="2024-W10")
    assert ns["week"] == "2024-W10"
    assert ns["weeks"] == [f"2024-W{n:02d}" for n in range(9, 17)]
    busiest = ns["week_table"]("port", "2024-W10")["port"].iloc[0]
    series = ns["series"]("port", busiest, "port_calls")
    assert len(series) == 8 and series.nunique() > 1  # a line, not one point
    assert not ns["week_table"]("port", "2024-W10")["calls, % w/w"].isna().all()
