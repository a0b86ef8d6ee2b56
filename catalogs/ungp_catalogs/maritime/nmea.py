"""Raw NMEA 0183 AIVDM sentences for ingestion exercises, encoded with pyais.

Each line carries an NMEA tag block with the receiver timestamp (`c:` epoch seconds) and the
source station, as shore-based receivers and most archives write them:
`\\s:ungp-sim,c:1709164802*hh\\!AIVDM,1,1,,A,...*hh`. Each vessel in the sample first sends its
static and voyage report (type 5: name, IMO, type, dimensions, draught), then position reports
(type 1), including the garbled MMSIs and not-available values of the pings.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
from pyais.encode import encode_dict

from .fleet import Fleet


def _tag_block(epoch: int) -> str:
    body = f"s:ungp-sim,c:{epoch}"
    csum = reduce(lambda acc, ch: acc ^ ord(ch), body, 0)
    return f"\\{body}*{csum:02X}\\"


def encode_sample(pings: dict[str, np.ndarray], fleet: Fleet, destinations: dict[int, str]) -> str:
    """NMEA text for the given pings (already sorted by time)."""
    by_mmsi = {int(m): i for i, m in enumerate(fleet.mmsi)}
    announced: set[int] = set()
    lines: list[str] = []
    for row in range(len(pings["mmsi"])):
        mmsi = int(pings["mmsi"][row])
        epoch = int(pings["timestamp"][row])
        tag = _tag_block(epoch)
        v = by_mmsi.get(mmsi)
        if v is not None and mmsi not in announced:
            announced.add(mmsi)
            bow = int(round(fleet.length[v] * 0.85))
            half = int(round(fleet.beam[v] / 2))
            static = {
                "type": 5,
                "mmsi": mmsi,
                "imo": int(fleet.imo[v]),
                "shipname": str(fleet.name[v]),
                "callsign": f"U{mmsi % 100000:05d}",
                "ship_type": int(fleet.ship_type[v]),
                "to_bow": bow,
                "to_stern": int(round(fleet.length[v])) - bow,
                "to_port": half,
                "to_starboard": int(round(fleet.beam[v])) - half,
                "draught": float(pings["draught"][row]) if pings["draught_ok"][row] else 0.0,
                "destination": destinations.get(mmsi, ""),
            }
            lines.extend(tag + s for s in encode_dict(static, talker_id="AI", sentence_type="VDM"))
        position = {
            "type": 1,
            "mmsi": mmsi,
            "status": int(pings["nav_status"][row]),
            "speed": float(pings["sog"][row]),
            "lat": float(pings["lat"][row]),
            "lon": float(pings["lon"][row]),
            "course": float(pings["cog"][row]),
            "heading": int(pings["heading"][row]),
            "second": epoch % 60,
        }
        lines.extend(tag + s for s in encode_dict(position, talker_id="AI", sentence_type="VDM"))
    return "\n".join(lines) + "\n"
