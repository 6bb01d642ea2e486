"""One exception tree for the whole library.

    OnrecordError
    ├── InputError            a document or file we cannot read as text
    ├── ModelError            the base pipeline or the trained artifact is missing or unusable
    ├── StoreError            the SQLite store cannot be opened, migrated or written
    ├── OutputError           an export or output file cannot be written (full disk, no permission)
    └── ConfigError           a setting, alias file or option has a bad value

Every message says what went wrong *and* what to do about it.  Third-party
exceptions are translated where they cross into onrecord (``raise ... from``),
so callers only ever need to catch :class:`OnrecordError`.
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Root of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A document cannot be processed: binary, not UTF-8, empty, too large..."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class ModelError(OnrecordError):
    """The spaCy base pipeline or onrecord's trained model cannot be loaded."""


class StoreError(OnrecordError):
    """The SQLite store cannot be opened, migrated or written."""


class OutputError(OnrecordError):
    """An output (export file or folder, stdout) cannot be written; nothing partial is left behind."""


class ConfigError(OnrecordError):
    """A setting, option or configuration file has a value onrecord cannot use."""
