"""A filter in front of the Docker engine: each hub service gets only the calls it needs."""
