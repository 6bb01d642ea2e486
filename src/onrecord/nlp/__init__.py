"""spaCy side of onrecord: the attribution component and what it is built from."""
