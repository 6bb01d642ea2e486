"""Text from articles, names and arguments made safe to show or to hand to a spreadsheet.

    printable("a\x1b[2Jb")      'a\ufffd[2Jb'   (one character for one: offsets into the text still hold)
    spreadsheet_cell("=1+2")    "'=1+2"         (a formula becomes text)
"""

from __future__ import annotations

from typing import Any

#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str, keep: str = "\n\t") -> str:
    """Control characters (C0 but those in ``keep``, DEL, C1) become U+FFFD: nothing can drive a terminal."""
    return "".join("\ufffd" if (ord(c) < 32 and c not in keep) or 127 <= ord(c) < 160 else c for c in text)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as written: control characters replaced, a formula start quoted with '."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return printable(value, keep="\n\t\r")  # line ends inside a quoted cell are text
