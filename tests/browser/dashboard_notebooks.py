"""Small notebooks for the dashboard tests, written with nbformat (no files to keep in sync)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

WIDGET_CELL = """
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

calls = pd.DataFrame({"port": ["Rotterdam", "Antwerp", "Hamburg"], "calls": [12, 9, 5]})
calls["calls"] = calls["calls"] * scale
port = widgets.Dropdown(options=list(calls["port"]), value="Rotterdam", description="Port")
table = widgets.Output()


def show(change=None):
    table.clear_output(wait=True)
    with table:
        row = calls[calls["port"] == port.value]
        print(f"calls at {port.value}: {int(row['calls'].iloc[0])}")


port.observe(show, names="value")
show()
display(port, table)
"""

PROBE_CELL = """
import os
home = os.path.expanduser("~")
print("home files:", sorted(f for f in os.listdir(home) if not f.startswith(".")))
print("token in kernel:", "JUPYTERHUB_API_TOKEN" in os.environ)
try:
    open("/srv/dashboard/written.txt", "w").write("x")
    print("snapshot writable: yes")
except OSError:
    print("snapshot writable: no")
"""


DIAGRAM = """```mermaid
flowchart LR
  positions[positions] --> calls[port calls]
```"""


def notebook(*cells: str, title: str = "Test dashboard", markdown: str = "") -> bytes:
    book = new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    parameters = new_code_cell("scale = 1")
    parameters.metadata["tags"] = ["parameters"]
    heading = new_markdown_cell(f"# {title}\n\n{markdown}".strip())
    book.cells = [heading, parameters, *(new_code_cell(c) for c in cells)]
    return nbformat.writes(book).encode()


def widget_notebook(markdown: str = "") -> bytes:
    return notebook(WIDGET_CELL, PROBE_CELL, title="Port calls (test)", markdown=markdown)


def failing_notebook() -> bytes:
    return notebook("raise ValueError('reference week 2024-W99 has no AIS data')")


def static_notebook() -> bytes:
    return notebook("print('public figure:', 6 * 7)", title="Public test dashboard")
