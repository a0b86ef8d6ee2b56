"""What every hub service shares: stopping, hub identity, the token API and page policies.

See docs/architecture.md for the runner every service uses.
"""
