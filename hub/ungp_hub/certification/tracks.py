"""Certification tracks: which modules, which exam, pass mark, validity, attempts and re-sits.

Read from ``certification/tracks.yaml`` (human-edited), validated against
``tracks.schema.yaml`` and then for consistency (a required module must be defined, an exam
window must open before it closes, an open track's exam folder must exist). Every error names
the key, like the hub's settings: ``tracks.cpi.exam.pass_mark: 170 is greater than 100``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import TracksError

DEFAULT_VALIDITY_MONTHS = 36
DEFAULT_ATTEMPTS = {"max": 3, "days_between": 14}
DEFAULT_PASS_FRACTION = 0.6


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    assignments: tuple[str, ...]
    pass_fraction: float


@dataclass(frozen=True)
class ExamRules:
    id: str
    pass_mark: float  # percent of the exam's points
    time_limit: timedelta
    opens: datetime
    closes: datetime


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    level: str
    description: str
    required_modules: tuple[str, ...]
    status: str
    validity_months: int
    max_attempts: int
    days_between_attempts: int
    exam: ExamRules

    @property
    def offered(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Programme:
    """Everything tracks.yaml says; ``root`` is the certification folder (exams/ below it)."""

    root: Path
    modules: dict[str, Module]
    tracks: dict[str, Track]

    def track(self, track_id: str) -> Track:
        try:
            return self.tracks[track_id]
        except KeyError:
            raise TracksError(
                f"no track {track_id!r}; tracks: {', '.join(sorted(self.tracks))}"
            ) from None

    def track_of_exam(self, exam_id: str) -> Track:
        for track in self.tracks.values():
            if track.exam.id == exam_id:
                return track
        raise TracksError(f"no track uses exam {exam_id!r}")

    def exam_dir(self, exam_id: str) -> Path:
        return self.root / "exams" / exam_id


@cache
def tracks_schema() -> dict[str, Any]:
    text = resources.files("ungp_hub.certification").joinpath("tracks.schema.yaml").read_text()
    return yaml.safe_load(text)


def _plain(value: Any) -> Any:
    """YAML turns 2026-01-01T00:00:00Z into a datetime; the schema sees strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _key(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def _moment(text: str, key: str, source: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TracksError(
            f"{source}: {key}: {text!r} is not an ISO 8601 date-time (e.g. 2026-05-01T09:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise TracksError(f"{source}: {key}: {text!r} needs a time zone (e.g. Z or +02:00)")
    return moment.astimezone(UTC)


def parse_programme(data: Any, root: Path, source: str = "tracks.yaml") -> Programme:
    """Validate the parsed YAML; :class:`TracksError` names the first bad key."""
    data = _plain(data)
    validator = jsonschema.Draft202012Validator(tracks_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        raise TracksError(f"{source}: {_key(error.absolute_path)}: {error.message}")
    defaults = data.get("defaults", {})
    modules = {
        module_id: Module(
            module_id,
            entry["title"],
            tuple(entry["assignments"]),
            entry.get("pass_fraction", DEFAULT_PASS_FRACTION),
        )
        for module_id, entry in data["modules"].items()
    }
    tracks: dict[str, Track] = {}
    exams_seen: dict[str, str] = {}
    for track_id, entry in data["tracks"].items():
        key = f"tracks.{track_id}"
        for number, module_id in enumerate(entry["required_modules"]):
            if module_id not in modules:
                raise TracksError(
                    f"{source}: {key}.required_modules.{number}: module {module_id!r} is not "
                    f"defined under modules ({', '.join(sorted(modules))})"
                )
        exam = entry["exam"]
        opens = _moment(exam["opens"], f"{key}.exam.opens", source)
        closes = _moment(exam["closes"], f"{key}.exam.closes", source)
        if closes <= opens:
            raise TracksError(
                f"{source}: {key}.exam.closes: the exam window closes ({exam['closes']}) before "
                f"it opens ({exam['opens']})"
            )
        if exam["id"] in exams_seen:
            raise TracksError(
                f"{source}: {key}.exam.id: exam {exam['id']!r} is already the exam of track "
                f"{exams_seen[exam['id']]!r}; each track has its own exam"
            )
        exams_seen[exam["id"]] = track_id
        status = entry.get("status", "open")
        if status == "open" and not (root / "exams" / exam["id"] / "exam.yaml").is_file():
            raise TracksError(
                f"{source}: {key}.exam.id: track is open but {root / 'exams' / exam['id']} has "
                "no exam.yaml; write the exam or set the track's status to planned"
            )
        attempts = {**DEFAULT_ATTEMPTS, **defaults.get("attempts", {}), **entry.get("attempts", {})}
        tracks[track_id] = Track(
            id=track_id,
            title=entry["title"],
            level=entry["level"],
            description=entry["description"].strip(),
            required_modules=tuple(entry["required_modules"]),
            status=status,
            validity_months=entry.get(
                "validity_months", defaults.get("validity_months", DEFAULT_VALIDITY_MONTHS)
            ),
            max_attempts=attempts["max"],
            days_between_attempts=attempts["days_between"],
            exam=ExamRules(
                id=exam["id"],
                pass_mark=float(exam["pass_mark"]),
                time_limit=timedelta(minutes=exam["time_limit_minutes"]),
                opens=opens,
                closes=closes,
            ),
        )
    return Programme(root=root, modules=modules, tracks=tracks)


def load_programme(path: Path | str) -> Programme:
    """Read tracks.yaml at ``path``; the folder holding it is the certification root."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TracksError(f"{path} not found (set certification.tracks_file)") from None
    except yaml.YAMLError as exc:
        raise TracksError(f"{path} is not valid YAML: {exc}") from None
    return parse_programme(data, path.parent, str(path))
