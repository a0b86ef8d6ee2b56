"""Write the example dashboards. Run after editing; commit the .ipynb files it writes."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent


def md(text: str):
    return new_markdown_cell(dedent(text).strip())


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(dedent(text).strip())
    if tags:
        cell.metadata["tags"] = tags
    return cell


def write(name: str, cells: list) -> None:
    book = new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}  # fmt: skip
    for number, cell in enumerate(book.cells):  # stable ids: the files only change with edits
        cell.id = f"{Path(name).stem}-{number}"
    nbformat.write(book, HERE / name)


AIS = [
    md("""
    # Weekly port calls and trade volume from AIS

    Port calls detected in AIS position reports, and a trade-volume proxy (tonnes loaded and
    unloaded, from the change of draught), per port or country and ISO week, with the
    week-on-week change. Method: Cerdeiro, Komaromi, Liu and Saeed (2020), IMF WP/20/57, as
    implemented in `ungp_methods.ais`. Data: the `ais` domain of the hub's catalogue.
    """),
    code(
        """
    catalog_path = None  # None: $UNGP_CATALOG (the hub's read-only data)
    reference_week = ""  # ISO week, e.g. "2024-W10"; empty: the latest week in the data
    buffer_km = 2.0  # added around every port area when detecting calls
    """,
        tags=["parameters"],
    ),
    code("""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    import pandas as pd
    from IPython.display import display
    from ungp_catalogs import read_entry
    from ungp_methods.ais import (
        call_payloads, clean_positions, detect_port_calls, weekly_port_calls, weekly_trade_volume,
    )

    pings = read_entry("ais_pings", catalog_path)
    ports = read_entry("ais_ports", catalog_path)
    vessels = read_entry("ais_vessels", catalog_path)
    calls = call_payloads(detect_port_calls(clean_positions(pings).positions, ports,
                                            buffer_km=buffer_km), vessels)
    weekly = {
        level: weekly_port_calls(calls, by=level).merge(
            weekly_trade_volume(calls, by=level).drop(columns="week_start"),
            on=[level, "week"], suffixes=("_calls", "_tonnes"), how="left",
        )
        for level in ("port", "country")
    }
    weeks = sorted(weekly["port"]["week"].unique())
    week = reference_week or weeks[-1]
    if week not in weeks:
        raise ValueError(f"reference week {week} is not in the data ({weeks[0]} to {weeks[-1]})")
    print(f"{len(calls)} port calls, weeks {weeks[0]} to {weeks[-1]}; reference week {week}")
    """),
    code("""
    def week_table(level: str, week: str) -> pd.DataFrame:
        \"\"\"Every port (or country) in the reference week, busiest first.\"\"\"
        table = weekly[level][weekly[level]["week"] == week]
        columns = {level: level, "port_calls": "calls", "change_pct_calls": "calls, % w/w",
                   "total_tonnes": "tonnes", "change_pct_tonnes": "tonnes, % w/w"}
        table = table[list(columns)].rename(columns=columns)
        return table.sort_values("calls", ascending=False).round(1).reset_index(drop=True)


    def series(level: str, place: str, indicator: str) -> pd.Series:
        rows = weekly[level][weekly[level][level] == place]
        return rows.set_index("week")[indicator]
    """),
    code("""
    level = widgets.ToggleButtons(options=["port", "country"], description="By")
    place = widgets.Dropdown(description="Place")
    indicator = widgets.Dropdown(
        options=[("Port calls", "port_calls"), ("Tonnes handled", "total_tonnes")],
        description="Indicator",
    )
    chosen_week = widgets.Dropdown(options=weeks, value=week, description="Week")
    out = widgets.Output()


    def places(*_):
        names = sorted(weekly[level.value][level.value].unique())
        place.options = names
        place.value = week_table(level.value, chosen_week.value)[level.value].iloc[0]


    def render(*_):
        with out:
            out.clear_output(wait=True)
            values = series(level.value, place.value, indicator.value)
            fig, ax = plt.subplots(figsize=(9, 3))
            values.plot(ax=ax, marker="o", title=f"{place.value}: {indicator.label} per week")
            if chosen_week.value in values.index:
                ax.axvline(list(values.index).index(chosen_week.value), color="grey", ls="--")
            plt.show()
            plural = {"port": "ports", "country": "countries"}[level.value]
            print(f"Reference week {chosen_week.value}, all {plural}:")
            display(week_table(level.value, chosen_week.value))


    places()
    level.observe(lambda change: (places(), render()), names="value")
    for control in (place, indicator, chosen_week):
        control.observe(render, names="value")
    render()
    display(widgets.VBox([widgets.HBox([level, chosen_week]), widgets.HBox([place, indicator]),
                          out]))
    """),
]

CPI = [
    md("""
    # Monthly CPI from scanner data

    A monthly price index per ECOICOP subclass from supermarket scanner transactions: unit
    values per GTIN and month, then a multilateral index (GEKS-Törnqvist by default) on a
    rolling window, extended by a splice. Method: `ungp_methods.prices` (it reproduces the
    published PriceIndexCalc test set). Data: the `scanner` domain of the hub's catalogue.
    """),
    code(
        """
    catalog_path = None  # None: $UNGP_CATALOG (the hub's read-only data)
    window = 13  # months per estimation window (the series is spliced beyond it)
    splice = "movement"  # how windows are joined: movement, window, half, mean
    """,
        tags=["parameters"],
    ),
    code("""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    import pandas as pd
    from IPython.display import display
    from ungp_catalogs import read_entry
    from ungp_methods.prices import bilateral_series, multilateral_index

    tx = read_entry("scanner_transactions", catalog_path)
    tx["month"] = pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m")
    unit_values = tx.groupby(["coicop", "month", "gtin"], as_index=False)[
        ["turnover", "quantity"]
    ].sum()
    unit_values["price"] = unit_values["turnover"] / unit_values["quantity"]
    subclasses = sorted(unit_values["coicop"].unique())
    months = sorted(unit_values["month"].unique())
    print(f"{len(subclasses)} subclasses, {len(months)} months ({months[0]} to {months[-1]})")
    METHODS = {"GEKS-Törnqvist": "geks_tornqvist", "GEKS-Fisher": "geks_fisher",
               "Geary-Khamis": "gk", "Time-product dummy": "tpd",
               "Chained Törnqvist (drifts)": "chained_tornqvist"}
    """),
    code("""
    def cpi(coicop: str, method: str) -> pd.DataFrame:
        \"\"\"Index (first month = 100) and its month-on-month change in %, for one subclass.\"\"\"
        data = unit_values[unit_values["coicop"] == coicop]
        keys = {"period": "month", "product": "gtin"}
        if method == "chained_tornqvist":
            index = bilateral_series(data, "tornqvist", chained=True, **keys)
        else:
            index = multilateral_index(data, method, window=window, splice=splice, **keys)
        table = pd.DataFrame({"index": 100 * index})
        table["change_pct"] = table["index"].pct_change() * 100
        return table.round(2)
    """),
    code("""
    subclass = widgets.Dropdown(options=subclasses, description="Subclass")
    method = widgets.Dropdown(options=list(METHODS.items()), description="Index method")
    out = widgets.Output()


    def render(*_):
        with out:
            out.clear_output(wait=True)
            table = cpi(subclass.value, method.value)
            fig, ax = plt.subplots(figsize=(9, 3))
            table["index"].plot(ax=ax, marker="o",
                                title=f"{subclass.value}: {method.label} (first month = 100)")
            plt.show()
            print(f"Index method {method.label}, subclass {subclass.value}, last six months:")
            display(table.tail(6))


    subclass.observe(render, names="value")
    method.observe(render, names="value")
    render()
    display(widgets.VBox([widgets.HBox([subclass, method]), out]))
    """),
]

if __name__ == "__main__":
    write("ais-weekly-ports.ipynb", AIS)
    write("scanner-monthly-cpi.ipynb", CPI)
