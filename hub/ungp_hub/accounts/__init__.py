"""Accounts: rosters of workshop participants, their import, and printable login slips."""
