"""Simulation model of the mobile phone data domain."""
