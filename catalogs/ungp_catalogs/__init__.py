"""ungp_catalogs."""
