"""A privacy-loss budget shared by several differentially private queries.

Under pure differential privacy, releasing several results computed on the same data costs the
sum of their epsilons (sequential composition), so a data holder fixes a total epsilon for a
data set and refuses any query that would exceed it. Parallel composition (queries on disjoint
subsets cost only the largest epsilon) is not tracked here: charge such a group once.

Reference: Dwork & Roth (2014), The Algorithmic Foundations of Differential Privacy, Found.
Trends Theor. Comput. Sci. 9(3-4), theorem 3.14; McSherry (2009), Privacy integrated queries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import BudgetExceededError, DisclosureDataError

# Sums of decimal epsilons (0.1 + 0.2) must not refuse a query that exactly fills the budget.
_TOLERANCE = 1e-9


@dataclass
class PrivacyBudget:
    """Total epsilon for one data set and the ledger of what has been spent."""

    total_epsilon: float
    ledger: list[tuple[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not (self.total_epsilon > 0 and math.isfinite(self.total_epsilon)):
            raise DisclosureDataError(
                f"total_epsilon must be a positive finite number, got {self.total_epsilon}."
            )

    @property
    def spent(self) -> float:
        """Epsilon used by the queries answered so far."""
        return math.fsum(eps for _, eps in self.ledger)

    @property
    def remaining(self) -> float:
        """Epsilon still available (never negative)."""
        return max(0.0, self.total_epsilon - self.spent)

    def can_afford(self, epsilon: float) -> bool:
        """Whether a query costing ``epsilon`` fits in what is left."""
        return epsilon <= self.remaining + _TOLERANCE

    def charge(self, epsilon: float, label: str = "query") -> None:
        """Record a query costing ``epsilon``, or refuse it with :class:`BudgetExceededError`.

        Charge *before* running the mechanism: a refused query must release nothing.
        """
        if not (epsilon > 0 and math.isfinite(epsilon)):
            raise DisclosureDataError(f"epsilon must be a positive finite number, got {epsilon}.")
        if not self.can_afford(epsilon):
            raise BudgetExceededError(
                f"{label!r} needs epsilon={epsilon:g} but only {self.remaining:g} of "
                f"{self.total_epsilon:g} is left ({len(self.ledger)} queries answered); ask "
                "for a smaller epsilon (less accuracy) or drop a query."
            )
        self.ledger.append((label, float(epsilon)))
