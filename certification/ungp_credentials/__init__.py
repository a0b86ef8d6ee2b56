"""ungp_credentials."""
