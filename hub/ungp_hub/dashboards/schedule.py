"""When a dashboard is refreshed: every N seconds, or on a cron expression (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import DashboardError

SHORTEST_INTERVAL = 300  # seconds; a refresh is a whole container run


def make_schedule(
    every: int | None, cron: str | None, parameters: dict[str, Any]
) -> dict[str, Any]:
    """A validated schedule: exactly one of every (seconds) and cron."""
    if (every is None) == (not cron):
        raise DashboardError("give exactly one of --every SECONDS and --cron 'EXPRESSION'")
    if every is not None:
        if every < SHORTEST_INTERVAL:
            raise DashboardError(
                f"--every {every} is too often: a refresh runs the whole notebook in a "
                f"container; use at least {SHORTEST_INTERVAL} seconds"
            )
        return {"every": int(every), "parameters": dict(parameters), "since": _iso(_now())}
    from croniter import croniter

    if not croniter.is_valid(cron):
        raise DashboardError(
            f"bad cron expression {cron!r}: use five fields, e.g. '0 6 * * 1' (Mondays 06:00 UTC)"
        )
    return {"cron": cron, "parameters": dict(parameters), "since": _iso(_now())}


def next_due(schedule: dict[str, Any], last_start: str | None) -> datetime:
    """When the next scheduled run is due, counted from the last scheduled start."""
    base = datetime.fromisoformat(last_start or schedule["since"])
    if "every" in schedule:
        return base + timedelta(seconds=int(schedule["every"]))
    from croniter import croniter

    return croniter(schedule["cron"], base).get_next(datetime)


def is_due(schedule: dict[str, Any], last_start: str | None, at: datetime | None = None) -> bool:
    return (at or _now()) >= next_due(schedule, last_start)


def describe(schedule: dict[str, Any] | None) -> str:
    if not schedule:
        return "not scheduled"
    when = f"every {schedule['every']} s" if "every" in schedule else f"cron {schedule['cron']}"
    params = ", ".join(f"{k}={v!r}" for k, v in schedule.get("parameters", {}).items())
    return f"{when} ({params})" if params else when


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
