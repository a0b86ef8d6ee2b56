"""AIS methods for official statistics: decode, clean, port calls, payloads, weekly indicators.

The pipeline follows the UN Global Working Group's AIS task team (AIS Handbook) and
Cerdeiro, Komaromi, Liu and Saeed (2020), "World Seaborne Trade in Real Time: A Proof of
Concept for Building AIS-based Nowcasts from Scratch", IMF Working Paper 20/57:

    decoded = decode_nmea(lines)                      # pyais; bad sentences counted
    clean = clean_positions(decoded.positions)        # MMSI, positions, duplicates, jumps
    pings = attach_static(clean.positions, decoded.static)   # draught onto every report
    calls = detect_port_calls(pings, ports, buffer_km=2)     # 1-day rule, 24 h routes
    calls = call_payloads(calls, vessels)             # displacement change, tonnes
    weekly_port_calls(calls); weekly_trade_volume(calls, by="country")
"""

from .cleaning import RULES, CleanedAIS, clean_positions, implied_speed_knots, valid_mmsi
from .errors import AISDataError
from .geo import haversine_km
from .indicators import iso_week, weekly_port_calls, weekly_trade_volume
from .nmea import DecodedAIS, attach_static, decode_nmea
from .payload import (
    SEAWATER_DENSITY,
    block_coefficient_at_draught,
    call_payloads,
    displacement_tonnes,
)
from .port_calls import CALL_COLUMNS, detect_port_calls, merge_stays, port_stays
from .ports import assign_ports, port_country

__all__ = [
    "CALL_COLUMNS",
    "RULES",
    "SEAWATER_DENSITY",
    "AISDataError",
    "CleanedAIS",
    "DecodedAIS",
    "assign_ports",
    "attach_static",
    "block_coefficient_at_draught",
    "call_payloads",
    "clean_positions",
    "decode_nmea",
    "detect_port_calls",
    "displacement_tonnes",
    "haversine_km",
    "implied_speed_knots",
    "iso_week",
    "merge_stays",
    "port_country",
    "port_stays",
    "valid_mmsi",
    "weekly_port_calls",
    "weekly_trade_volume",
]
