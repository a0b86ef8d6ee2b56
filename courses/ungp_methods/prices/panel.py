"""Turn a long price table into the period x product matrices every index method works on.

All methods in this package read the same long layout (one row per period and product) so
that a trainee can move from a bilateral index to GEKS or Geary-Khamis without reshaping
data. Internally they work on dense matrices: prices and quantities with one row per period
(sorted) and one column per product, NaN where the product was not sold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


class PriceDataError(ValueError):
    """The input table cannot be used to compute a price index; the message says why."""


@dataclass(frozen=True)
class PricePanel:
    """Prices and quantities of one elementary aggregate, period x product.

    ``prices[t, i]`` is NaN when product ``i`` was not sold in period ``t``; the quantity is
    then 0, so expenditure-weighted sums can ignore the mask.
    """

    periods: pd.Index
    products: pd.Index
    prices: np.ndarray
    quantities: np.ndarray

    @property
    def present(self) -> np.ndarray:
        """Boolean mask of the (period, product) cells that were observed."""
        return ~np.isnan(self.prices)

    @property
    def expenditure(self) -> np.ndarray:
        """p * q, 0 where the product is missing."""
        return np.where(self.present, self.prices, 0.0) * self.quantities

    def subset(self, start: int, stop: int) -> PricePanel:
        """The panel restricted to periods ``start:stop`` (positions, stop excluded).

        Products never seen in the subset are dropped, as a window-based method would never
        know about them.
        """
        prices = self.prices[start:stop]
        seen = ~np.all(np.isnan(prices), axis=0)
        return PricePanel(
            periods=self.periods[start:stop],
            products=self.products[seen],
            prices=prices[:, seen],
            quantities=self.quantities[start:stop][:, seen],
        )


def _require_columns(df: pd.DataFrame, columns: dict[str, str | None]) -> None:
    missing = [f"{role}={name!r}" for role, name in columns.items() if name and name not in df]
    if missing:
        raise PriceDataError(
            f"column(s) {', '.join(missing)} not found in the table (it has {list(df.columns)}); "
            "pass the right names with period=, product=, price=, quantity= or group=."
        )


def build_panel(
    df: pd.DataFrame,
    *,
    period: str = "month",
    product: str = "id",
    price: str = "price",
    quantity: str | None = "quantity",
) -> PricePanel:
    """Pivot a long table (one row per period and product) into a :class:`PricePanel`.

    Periods are sorted with their natural order (int, ``'YYYY-MM'`` strings and Timestamps
    all sort correctly). Each (period, product) pair must appear once: aggregate duplicate
    rows (for example to unit values, sum of expenditure / sum of quantity) before calling.
    Prices must be positive; quantities non-negative. ``quantity=None`` is allowed for the
    unweighted methods (Jevons, Dutot, Carli); every quantity is then 1.
    """
    _require_columns(df, {"period": period, "product": product, "price": price})
    if quantity is not None:
        _require_columns(df, {"quantity": quantity})
    if df.empty:
        raise PriceDataError("the price table is empty; an index needs at least one period.")
    keys = df[[period, product]]
    if keys.isna().any().any():
        raise PriceDataError(f"some rows have no {period!r} or {product!r}; drop or fill them.")
    dup = keys.duplicated(keep=False)
    if dup.any():
        example = keys[dup].iloc[0].tolist()
        raise PriceDataError(
            f"{int(dup.sum())} rows repeat a (period, product) pair, e.g. {example}; "
            "aggregate them first (unit value = sum(price*quantity) / sum(quantity))."
        )
    p = pd.to_numeric(df[price], errors="coerce").to_numpy(dtype=float)
    if np.isnan(p).any() or (p <= 0).any():
        raise PriceDataError(
            f"column {price!r} must hold positive numbers; found missing, zero, negative "
            "or non-numeric values. Remove those rows (a product not sold has no row)."
        )
    if quantity is None:
        q = np.ones_like(p)
    else:
        q = pd.to_numeric(df[quantity], errors="coerce").to_numpy(dtype=float)
        if np.isnan(q).any() or (q < 0).any():
            raise PriceDataError(
                f"column {quantity!r} must hold non-negative numbers; found missing, negative "
                "or non-numeric values."
            )
    periods = pd.Index(pd.unique(df[period])).sort_values()
    products = pd.Index(pd.unique(df[product])).sort_values()
    rows = periods.get_indexer(df[period])
    cols = products.get_indexer(df[product])
    prices = np.full((len(periods), len(products)), np.nan)
    quantities = np.zeros_like(prices)
    prices[rows, cols] = p
    quantities[rows, cols] = q
    return PricePanel(periods=periods, products=products, prices=prices, quantities=quantities)
