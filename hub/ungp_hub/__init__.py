"""ungp_hub."""
