"""ungp_methods."""
