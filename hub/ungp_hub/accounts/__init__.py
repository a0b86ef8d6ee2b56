"""Accounts: rosters of a workshop's users, their import, and printable login slips."""
