"""Mobile phone data methods for official statistics.

Home location (night-time and majority rules), present population, origin-destination
matrices, inbound tourism from roaming SIMs, population coverage by technology (ITU,
SDG 9.c.1) and publication thresholds. The methods follow the UN Global Working Group's task
team on mobile phone data (Handbook on the Use of Mobile Phone Data for Official Statistics,
2019), Eurostat's 2014 tourism feasibility study and the ITU handbook; each function's
docstring names its source. Every function reads a long event table with one row per event
(default columns ``subscriber``, ``timestamp``, ``area``; all renamable).
"""

from .coverage import TECHNOLOGIES, population_coverage
from .errors import MobileDataError
from .home import HomeLocations, majority_home, night_time_home
from .od import od_home_to_visited, od_matrix, od_trips, stays
from .presence import presence_counts
from .thresholds import suppress_small_counts
from .tourism import inbound_tourism, mcc_from_imsi

__all__ = [
    "TECHNOLOGIES",
    "HomeLocations",
    "MobileDataError",
    "inbound_tourism",
    "majority_home",
    "mcc_from_imsi",
    "night_time_home",
    "od_home_to_visited",
    "od_matrix",
    "od_trips",
    "population_coverage",
    "presence_counts",
    "stays",
    "suppress_small_counts",
]
