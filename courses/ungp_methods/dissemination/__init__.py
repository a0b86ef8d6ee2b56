"""Fast indicators for dissemination: weekly aggregation with coverage flags.

A fast (high-frequency) indicator is published days after the period ends, so the last week
is often incomplete and some groups have no activity in some weeks. The functions here fix
the conventions a publication needs: ISO 8601 weeks (Monday to Sunday) in local time, a count
of the days the data covers in each week (so partial weeks are flagged, not compared with
full ones), and explicit zeros for groups with no activity in a covered week. Publish the
result through :func:`ungp_methods.mobile.suppress_small_counts` (small counts) before
charting it. Module 8 of the course teaches them (courses/m8-dissemination).
"""

from .weekly import IndicatorError, weekly_distinct

__all__ = ["IndicatorError", "weekly_distinct"]
