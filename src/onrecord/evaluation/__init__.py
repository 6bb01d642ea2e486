"""Measuring onrecord against annotated articles (beyond the PolNeAR scorer)."""
