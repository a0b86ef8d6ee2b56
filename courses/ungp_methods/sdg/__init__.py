"""Geospatial and household-survey methods for SDG indicators.

SDG 9.1.1 Rural Access Index (World Bank 2016) from gridded population and all-season roads,
and SDG 11.1.1 urban population in slum / inadequate housing (UN-Habitat) from household
data.
"""

from .errors import SDGDataError
from .housing import MAX_PERSONS_PER_ROOM, SlumShare, household_deprivations, slum_population_share
from .rural_access import RAI_DISTANCE_M, RuralAccess, raster_cells, rural_access_index

__all__ = [
    "MAX_PERSONS_PER_ROOM",
    "RAI_DISTANCE_M",
    "RuralAccess",
    "SDGDataError",
    "SlumShare",
    "household_deprivations",
    "raster_cells",
    "rural_access_index",
    "slum_population_share",
]
