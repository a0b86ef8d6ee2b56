"""The example dashboards that ship with the hub (see docs/dashboards.md).

The notebooks are edited as notebooks (and kept ruff-formatted); `ungp dashboards examples
DEST` copies them into an analyst's folder to publish or adapt.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLES = {
    "ais-weekly-ports.ipynb": "Weekly port calls and trade volume (AIS)",
    "scanner-monthly-cpi.ipynb": "Monthly CPI from scanner data (multilateral)",
}


def example_paths() -> list[Path]:
    folder = Path(str(resources.files("ungp_hub.dashboards.examples")))
    return [folder / name for name in EXAMPLES]
