"""Simulation model of the geospatial/SDG domain."""
