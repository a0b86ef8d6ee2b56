"""Privacy-preserving techniques for official statistics.

Statistical disclosure control of microdata in the style of sdcMicro (key-variable
frequencies, individual risk, k-anonymity, local suppression), the ABS cell-key method for
tables, and differentially private counts and means with OpenDP under a privacy budget.
"""

from .budget import PrivacyBudget
from .cellkey import (
    KEY_MODULUS,
    cell_key_table,
    perturb_counts,
    perturbation_table,
    record_keys,
)
from .dp import DPRelease, count_measurement, dp_count, dp_mean, mean_measurement
from .errors import BudgetExceededError, DisclosureDataError
from .risk import individual_risk, k_anonymity_violations, key_frequencies, risk_summary
from .suppression import LocalSuppression, local_suppression

__all__ = [
    "KEY_MODULUS",
    "BudgetExceededError",
    "DPRelease",
    "DisclosureDataError",
    "LocalSuppression",
    "PrivacyBudget",
    "cell_key_table",
    "count_measurement",
    "dp_count",
    "dp_mean",
    "individual_risk",
    "k_anonymity_violations",
    "key_frequencies",
    "local_suppression",
    "mean_measurement",
    "perturb_counts",
    "perturbation_table",
    "record_keys",
    "risk_summary",
]
