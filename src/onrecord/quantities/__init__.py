"""Figures inside attributed statements: the number, what it counts, the qualifier and who reported it."""

from .extract import Bound, Quantity, parse_number, quantities

__all__ = ["Bound", "Quantity", "parse_number", "quantities"]
