"""Training the attribution taggers on PolNeAR (needs the `train` extra: torch)."""
