"""Retail scanner-data simulation (weekly store x GTIN sales) for price-index methods."""
