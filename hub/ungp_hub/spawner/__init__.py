"""User servers: Docker containers per user (the real setting), local processes for a demo."""
