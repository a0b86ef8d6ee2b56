"""Decode raw AIVDM/AIVDO sentences into position reports and static/voyage data.

Raw AIS arrives as NMEA 0183 sentences (ITU-R M.1371 payloads armoured in six-bit ASCII);
long messages such as type 5 (static and voyage data) are split over two sentences that must
be re-joined before decoding. Feeds from satellite and terrestrial receivers always carry some
garbage: truncated lines, wrong checksums, orphan fragments. Following the UN Global Working
Group AIS Handbook's advice to keep the pipeline running and report data loss, every bad
sentence is counted and skipped, never fatal. The bit-level decoding is pyais's.

Times: NMEA sentences carry no date. The receive time is taken, in this order, from a tag
block ``\\c:<unix seconds>*hh\\``, from text before the sentence (``2024-01-05T10:00:00Z,!AIVDM…``
or a unix time), or from the ``received`` argument; otherwise it is NaT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pyais.exceptions import AISBaseException
from pyais.messages import AISSentence, NMEAMessage, NMEASentenceFactory

from .errors import AISDataError

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
STATIC_TYPES = frozenset({5, 19, 24})

POSITION_COLUMNS = [
    "mmsi",
    "timestamp",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "nav_status",
    "msg_type",
]
STATIC_COLUMNS = [
    "mmsi",
    "timestamp",
    "imo",
    "name",
    "callsign",
    "ship_type",
    "length",
    "beam",
    "draught",
    "destination",
    "msg_type",
]


@dataclass
class DecodedAIS:
    """What :func:`decode_nmea` found.

    ``positions`` has one row per position report (types 1-3, 18, 19, 27) and ``static`` one
    row per static/voyage report (types 5, 19, 24). ``counts`` says how many lines were read
    and why the others were skipped, so data loss is reported rather than hidden.
    """

    positions: pd.DataFrame
    static: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        """Number of sentences or messages dropped as unreadable."""
        keys = ("bad_sentence", "bad_checksum", "bad_timestamp", "incomplete", "undecodable")
        return sum(self.counts.get(k, 0) for k in keys)


def _nan_if(value: Any, missing: float) -> float:
    if value is None:
        return np.nan
    value = float(value)
    return np.nan if value == missing else value


def _int_or_na(value: Any) -> Any:
    if value is None:
        return pd.NA
    return int(value)


def _split_prefix(line: str) -> tuple[str, str]:
    """Separate free text (a receive time) written before the NMEA sentence or tag block."""
    starts = [i for i in (line.find("!"), line.find("\\"), line.find("$")) if i >= 0]
    if not starts:
        return "", line
    start = min(starts)
    return line[:start].strip(" ,;\t|"), line[start:]


def _parse_time(text: str) -> pd.Timestamp:
    if text.replace(".", "", 1).isdigit():
        return pd.Timestamp(float(text), unit="s", tz="UTC")
    ts = pd.Timestamp(text)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _position_row(msg: dict[str, Any], when: pd.Timestamp) -> dict[str, Any]:
    status = msg.get("status")
    if msg["msg_type"] == 27:
        sog_missing, cog_missing = 63.0, 511.0  # type 27 uses 6-bit knots and 9-bit degrees
    else:
        sog_missing, cog_missing = 102.3, 360.0
    return {
        "mmsi": int(msg["mmsi"]),
        "timestamp": when,
        "lat": float(msg["lat"]),
        "lon": float(msg["lon"]),
        "sog": _nan_if(msg.get("speed"), sog_missing),
        "cog": _nan_if(msg.get("course"), cog_missing),
        "heading": _nan_if(msg.get("heading"), 511.0),
        "nav_status": _int_or_na(status),
        "msg_type": int(msg["msg_type"]),
    }


def _static_row(msg: dict[str, Any], when: pd.Timestamp) -> dict[str, Any]:
    def dim(a: str, b: str) -> float:
        if msg.get(a) is None or msg.get(b) is None:
            return np.nan
        total = float(msg[a]) + float(msg[b])
        return total if total > 0 else np.nan

    imo = msg.get("imo")
    ship_type = msg.get("ship_type")
    return {
        "mmsi": int(msg["mmsi"]),
        "timestamp": when,
        "imo": int(imo) if imo else pd.NA,
        "name": (msg.get("shipname") or "").strip() or None,
        "callsign": (msg.get("callsign") or "").strip() or None,
        "ship_type": int(ship_type) if ship_type else pd.NA,
        "length": dim("to_bow", "to_stern"),
        "beam": dim("to_port", "to_starboard"),
        "draught": _nan_if(msg.get("draught"), 0.0),
        "destination": (msg.get("destination") or "").strip() or None,
        "msg_type": int(msg["msg_type"]),
    }


def _frame(rows: list[dict[str, Any]], columns: list[str], ints: Sequence[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    for col in ints:
        df[col] = df[col].astype("Int64")
    return df


def decode_nmea(
    lines: Iterable[str | bytes] | str,
    *,
    received: Sequence[Any] | None = None,
) -> DecodedAIS:
    """Decode AIVDM/AIVDO sentences (single and multi-part) into two tables.

    ``lines`` is an iterable of sentences, or one string holding many lines. Multi-part
    messages are re-joined by (sequence id, channel, talker, fragment count) and take the
    time of their first fragment. ``received`` optionally gives one receive time per line.
    Not-available values are turned into NaN where ITU-R M.1371 defines them (speed 102.3,
    course 360, heading 511, draught 0, dimension 0) except latitude 91 and longitude 181,
    which are kept so that :func:`ungp_methods.ais.clean_positions` can count them.

    Reference: ITU-R M.1371-5 message layouts as decoded by pyais; the skip-and-count
    policy follows the UN GWG AIS Handbook (AIS data processing chapter).
    """
    if isinstance(lines, str | bytes):
        lines = lines.splitlines() if isinstance(lines, str) else lines.decode().splitlines()
    lines = list(lines)
    if received is not None and len(received) != len(lines):
        raise AISDataError(
            f"received has {len(received)} times but there are {len(lines)} lines; "
            "give one receive time per line or leave received=None."
        )
    counts = dict.fromkeys(
        (
            "lines",
            "messages",
            "bad_sentence",
            "bad_checksum",
            "bad_timestamp",
            "incomplete",
            "undecodable",
            "other_types",
        ),
        0,
    )
    positions: list[dict[str, Any]] = []
    static: list[dict[str, Any]] = []
    pending: dict[tuple[Any, ...], tuple[list[AISSentence], pd.Timestamp]] = {}

    def emit(sentence: NMEAMessage, when: pd.Timestamp) -> None:
        try:
            msg = sentence.decode().asdict()
        except (AISBaseException, ValueError, TypeError, KeyError, IndexError):
            counts["undecodable"] += 1
            return
        counts["messages"] += 1
        kind = int(msg["msg_type"])
        if kind in POSITION_TYPES:
            positions.append(_position_row(msg, when))
        if kind in STATIC_TYPES:
            static.append(_static_row(msg, when))
        if kind not in POSITION_TYPES | STATIC_TYPES:
            counts["other_types"] += 1

    for i, raw in enumerate(lines):
        text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
        text = text.strip()
        if not text:
            continue
        counts["lines"] += 1
        prefix, body = _split_prefix(text)
        try:
            sentence = NMEASentenceFactory.produce(body.encode("ascii"))
        except (AISBaseException, ValueError, TypeError, IndexError, UnicodeEncodeError):
            counts["bad_sentence"] += 1
            continue
        if sentence.TYPE != AISSentence.TYPE:
            counts["other_types"] += 1
            continue
        if not sentence.is_valid:
            counts["bad_checksum"] += 1
            continue
        try:
            when = pd.NaT
            if sentence.tag_block is not None:
                sentence.tag_block.init()
                if sentence.tag_block.receiver_timestamp:
                    when = _parse_time(str(sentence.tag_block.receiver_timestamp))
            if pd.isna(when) and prefix:
                when = _parse_time(prefix)
            if pd.isna(when) and received is not None and pd.notna(received[i]):
                when = _parse_time(str(received[i]))
        except (ValueError, TypeError, AISBaseException):
            counts["bad_timestamp"] += 1
            continue
        if sentence.is_single:
            emit(sentence, when)
            continue
        slot = (sentence.seq_id, sentence.channel, sentence.talker_id, sentence.frag_cnt)
        if sentence.frag_num == 1:
            if slot in pending:
                counts["incomplete"] += len(pending[slot][0])
            pending[slot] = ([sentence], when)
            continue
        parts = pending.get(slot)
        if parts is None or sentence.frag_num != len(parts[0]) + 1:
            counts["incomplete"] += 1 + (len(parts[0]) if parts else 0)
            pending.pop(slot, None)
            continue
        parts[0].append(sentence)
        if len(parts[0]) == sentence.frag_cnt:
            del pending[slot]
            emit(NMEAMessage.assemble_from_iterable(parts[0]), parts[1])
    counts["incomplete"] += sum(len(p[0]) for p in pending.values())
    return DecodedAIS(
        positions=_frame(positions, POSITION_COLUMNS, ["mmsi", "nav_status", "msg_type"]),
        static=_frame(static, STATIC_COLUMNS, ["mmsi", "imo", "ship_type", "msg_type"]),
        counts=counts,
    )


def attach_static(
    positions: pd.DataFrame,
    static: pd.DataFrame,
    *,
    columns: Sequence[str] = ("imo", "ship_type", "length", "beam", "draught"),
) -> pd.DataFrame:
    """Give every position report the vessel's latest static/voyage data known at that time.

    Draught is only broadcast in static/voyage messages (type 5), so port-call and payload
    methods need it joined onto the position stream. The join is "as of": each ping takes
    the most recent earlier static report of the same MMSI (no look-ahead, as a real-time
    nowcast would see it); values missing in that report stay missing.
    """
    cols = [c for c in columns if c in static.columns]
    left = positions.reset_index(drop=True).assign(_row=lambda d: np.arange(len(d)))
    left = left.drop(columns=[c for c in cols if c in left.columns])
    right = static[["mmsi", "timestamp", *cols]].dropna(subset=["timestamp"])
    merged = pd.merge_asof(
        left.dropna(subset=["timestamp"]).sort_values("timestamp"),
        right.sort_values("timestamp"),
        on="timestamp",
        by="mmsi",
        direction="backward",
    )
    missing_time = left[left["timestamp"].isna()]
    out = pd.concat([merged, missing_time], ignore_index=True) if len(missing_time) else merged
    return out.sort_values("_row").drop(columns="_row").reset_index(drop=True)
