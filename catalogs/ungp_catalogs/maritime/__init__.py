"""Maritime (AIS) simulation: real ports, a synthetic fleet, voyages, pings and NMEA."""
