"""The trained attribution model: a cue tagger, then a role tagger per cue.

1. The cue tagger reads each paragraph and marks cue spans (BIO).
2. For every cue, the role tagger reads the cue's paragraph and its neighbours,
   with features saying where each token sits relative to the cue (distance,
   dependency branch, where the syntactic rules would put source and content),
   and marks the source and the content (BIO).  A cue left without content is
   not an attribution and is dropped: the second tagger also filters the first.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Generator, Iterable

import numpy as np
from spacy.tokens import Doc

from ..errors import ModelError
from ..settings import DEFAULT_MODEL_PATH, MODELS
from . import features as F
from . import lexicon
from .modelfile import read_model_file
from .boundaries import CONTENT, CUE, DEFAULT_BOUNDARY_PATH, SOURCE, BoundaryModel, CueFrame, DocFacts
from .cue_filter import CueFilter, judged
from .network import Blend, Tagger, WindowRequest
from .quotes import Quote
from .rules import LAYOUT_KINDS, RawAttribution, extract_raw
from .datelines import after_dateline
from .source_runs import one_source, source_belief, sourceless_cue, spoken_of

#: What a document's prediction asks of the taggers: which tagger ("cue" or "role") and the windows.
Ask = tuple[str, WindowRequest]
#: Each window's (log-probabilities, best path), as the tagger answers an :data:`Ask`.
Tagged = list[tuple[np.ndarray, np.ndarray]]
CUE_LABELS = ("O", "B", "I")
ROLE_LABELS = ("O", "B-S", "I-S", "B-C", "I-C")
BOUNDARY_FILE = "boundaries.npz"
LEX_COLUMN = F.DOC_FEATURES.index("lex")


def _bio_constraints(labels: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    n = len(labels)
    allowed = np.ones((n, n), dtype=bool)
    for b, lab in enumerate(labels):
        if lab.startswith("I"):
            kind = lab[1:]
            for a, prev in enumerate(labels):
                allowed[a, b] = prev in ("B" + kind, "I" + kind)
    start = np.array([not lab.startswith("I") for lab in labels])
    return allowed, start


def _runs(path: np.ndarray, begin: int, inside: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for k, lab in enumerate(path.tolist()):  # a list: numpy scalars one by one cost ten times more
        if lab == begin:
            runs.append((k, k + 1))
        elif lab == inside and runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
    return runs


def _tagger(name: str, arrays: dict[str, np.ndarray], n_features: int, n_layers: int,
            blend: float | None) -> Tagger | Blend:
    """A model file's tagger ``name``, blended with its ``blend.<name>`` tagger at weight ``blend`` if below 1."""
    tagger = Tagger.from_arrays(name, arrays, n_features, n_layers)
    if blend is None or float(blend) >= 1.0:
        return tagger
    if f"blend.{name}.out.weight" not in arrays:
        raise ModelError(f"the model's header blends its {name} tagger, but the file has no blend.{name} weights")
    return Blend(tagger, Tagger.from_arrays(f"blend.{name}", arrays, n_features, n_layers), float(blend))


def model_file(choice: str | Path | None) -> Path:
    """The model file for a name of :data:`~onrecord.settings.MODELS` ("default", "accurate") or a path;
    None is the default.  A bare word that names no model is an error, not a missing file."""
    if choice is None:
        return DEFAULT_MODEL_PATH
    text = str(choice)
    if text in MODELS:
        return MODELS[text]
    path = Path(text)
    if path.suffix != ".npz" and len(path.parts) == 1 and not path.exists():
        raise ModelError(f"unknown model {text!r}: use {', '.join(MODELS)} or the path of a .npz model file")
    return path


def sure_runs(lp: np.ndarray, runs: list[tuple[int, int]], threshold: float,
              cue: tuple[int, int]) -> list[tuple[int, int]]:
    """The content's runs without those the role tagger doubts: a run on the same side of the cue
    (tokens [cue[0], cue[1])) as the longest run (the content's body) whose tokens it holds to be content
    (B-C or I-C) with a mean probability below ``threshold`` is dropped."""
    inside = np.exp(lp[:, 3]) + np.exp(lp[:, 4])
    body = max(runs, key=lambda run: run[1] - run[0])
    after = body[0] >= cue[1]
    return [run for run in runs if run == body or (run[0] >= cue[1]) != after
            or float(inside[run[0]:run[1]].mean()) >= threshold]


class AttributionModel:
    def __init__(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        self.meta = meta
        self.dense_width: int = int(meta.get("dense_width", 0))
        # The accurate tier: part of the dense input is a transformer encoder's (onrecord.nlp.encoder).
        self.encoder: dict | None = meta.get("encoder")
        # ... whose layers the model may carry fine-tuned (onrecord.training.finetune).
        self._tuned_encoder = {k: v for k, v in arrays.items() if k.startswith("encoder.")}
        self.context = None  # set by bind(): where the contextual vectors come from
        self.version: str = meta["version"]
        self.vocab = F.Vocab(meta["vocab"])
        # The accurate tier may read each of its taggers together with another model's (``blend``: its own
        # tagger's weight per tagger; the other tagger's weights under "blend.<name>." in the same file).
        blend = meta.get("blend") or {}
        self.cue = _tagger("cue", arrays, len(F.DOC_FEATURES), meta["layers"], blend.get("cue"))
        self.role = _tagger("role", arrays, len(F.DOC_FEATURES) + len(F.ROLE_FEATURES), meta["layers"],
                            blend.get("role"))
        self.cue_constraints = _bio_constraints(CUE_LABELS)
        self.role_constraints = _bio_constraints(ROLE_LABELS)
        self.min_cue_prob = float(meta.get("min_cue_prob", 0.0))
        # An attribution less confident than this (cue x roles) is dropped unless a word of its cue is in the
        # cue lexicon or its cue's head is a word that often heads a cue in PolNeAR train
        # (nlp/data/cue_heads.txt): PolNeAR marks many one-off verbs as cues ("revised", "hired"), and the
        # taggers' unsure readings of such words are mostly wrong.
        self.min_unlisted_confidence = float(meta.get("min_unlisted_confidence", 0.0))
        # Then a learned check of each attribution's cue (nlp/cue_filter.py; None: none).
        self.cue_filter: CueFilter | None = CueFilter.from_header(meta["cue_filter"]) if meta.get("cue_filter") else None
        # Rule cues the cue tagger passed over get a second chance: the role tagger (trained to find
        # no content around false cues) accepts them when it labels a content with this confidence.
        self.rule_backoff = float(meta.get("rule_backoff", 0.0))  # 0 disables
        reach = meta.get("window_reach")
        self.reach: tuple[int, int] | None = (int(reach[0]), int(reach[1])) if reach else None
        # Nominal attributions the rules find ("Moscow's assertion of having taken control") are kept
        # even where the taggers pass over them: PolNeAR rarely annotates them, readers of disputes need them.
        self.keep_nominal = bool(meta.get("keep_nominal", False))
        # Likewise "as reported by X", "according to X": fixed phrases the rules read reliably.
        self.keep_introducers = bool(meta.get("keep_introducers", False))
        # A cue at least this probable whose roles the role tagger leaves empty gets the rules' roles (0: never).
        self.rule_roles = float(meta.get("rule_roles", 0.0))
        # Where the role tagger marks no source, take the rules' subject of the same cue.
        self.rule_source = bool(meta.get("rule_source", False))
        # A content of several runs loses those on its longest run's side of the cue that the role tagger
        # holds to be content with a mean probability below this (0: keeps them all): the listener in
        # "told his supporters | to ...", a stray quotation after the last one.
        self.min_run_prob = float(meta.get("min_run_prob", 0.0))
        # Where spans start and end: re-chosen after the taggers by the boundary model (None: as tagged).
        self.boundaries: BoundaryModel | None = None

    @classmethod
    def load(cls, path: str | Path) -> "AttributionModel":
        path = Path(path)
        if not path.exists():
            raise ModelError(
                f"trained model {path} is missing: reinstall onrecord, rebuild it with "
                "`python -m onrecord.training.train` (see docs/training.md), or use strategy='rules'"
            )
        try:
            meta, arrays = read_model_file(path)
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"trained model {path} is unreadable ({err}); rebuild it or reinstall onrecord") from err
        model = cls(meta, arrays)
        # The boundary model travels next to the taggers' file.  It reads the parse, not the taggers, so a
        # model file copied elsewhere alone keeps the bundled one instead of silently losing its span edges.
        beside = path.with_name(BOUNDARY_FILE)
        model.use_boundaries(BoundaryModel.load(beside if beside.exists() else DEFAULT_BOUNDARY_PATH))
        return model

    def use_boundaries(self, boundaries: BoundaryModel) -> None:
        """Re-choose span edges with ``boundaries``, weighing the taggers' log-probabilities as this model's
        header says (``boundary_tagger_weight``, per role: tuned for its taggers) where it does."""
        own = self.meta.get("boundary_tagger_weight")
        if own:
            boundaries = copy.copy(boundaries)
            boundaries.tagger_weight = {**boundaries.tagger_weight, **{k: float(v) for k, v in own.items()}}
        self.boundaries = boundaries

    def bind(self, nlp) -> "AttributionModel":
        """Attach to the pipeline it runs in (decides where contextual vectors come from)."""
        if self.encoder:
            from .contextual import EncoderVectors

            self.context = EncoderVectors(nlp, self.encoder, self.dense_width, self._tuned_encoder)
        elif self.dense_width:
            from .contextual import ContextVectors

            self.context = ContextVectors(nlp, self.dense_width)
        return self

    # -- cues ---------------------------------------------------------------
    def _cues(self, feats: np.ndarray, para: np.ndarray, dense: np.ndarray | None, facts: DocFacts | None = None,
              tagged_as: dict[int, list[int]] | None = None
              ) -> Generator[Ask, Tagged, list[tuple[list[int], float]]]:
        """Cue runs with their mean label probability; where the boundary model moved a cue's edges,
        ``tagged_as`` receives the cue as tagged, under the moved cue's first token.  A generator: it
        asks for the cue tagger's reading of the document's chunks (paragraphs of at most 200 tokens)."""
        chunks = []
        lo = 0
        n = len(feats)
        for k in range(1, n + 1):
            if k == n or para[k] != para[k - 1] or k - lo >= 200:
                chunks.append((lo, k))
                lo = k
        tagged = yield "cue", WindowRequest(self.cue.document_inputs(feats, dense), chunks)
        cues = []
        for (a, _), (lp, path) in zip(chunks, tagged):
            moved = {}
            if facts is not None and self.boundaries.active(CUE):
                path, moved = self._refine_cues(facts, lp, path, a)
            for i, j in _runs(path, 1, 2):
                prob = float(np.exp(lp[np.arange(i, j), path[i:j]]).mean())
                if prob >= self.min_cue_prob:
                    cues.append((list(range(a + i, a + j)), prob))
                    if (i, j) in moved and tagged_as is not None:
                        tagged_as[a + i] = moved[(i, j)]
        return cues

    def _refine_cues(self, facts: DocFacts, lp: np.ndarray, path: np.ndarray,
                     offset: int) -> tuple[np.ndarray, dict[tuple[int, int], list[int]]]:
        """Each cue run of a chunk's path with its edges re-chosen by the boundary model, and for each run
        that moved, the cue (document tokens) as tagged."""
        runs = _runs(path, 1, 2)
        out = np.zeros_like(path)
        moved: dict[tuple[int, int], list[int]] = {}
        for k, (i, j) in enumerate(runs):
            alone = np.zeros_like(path)
            alone[i] = 1
            alone[i + 1 : j] = 2
            others = np.zeros(len(path), dtype=bool)
            for m, (a, b) in enumerate(runs):
                if m != k:
                    others[max(a - 1, 0) : b + 1] = True  # runs stay apart
            frame = CueFrame.of(facts.doc, list(range(offset + i, offset + j)), facts.view, head_only=True)
            alone = self.boundaries.refine(facts, frame, CUE, lp, alone, offset, (offset, offset + len(path)), others)
            out[alone > 0] = alone[alone > 0]
            now = np.flatnonzero(alone > 0)
            if (int(now[0]), int(now[-1]) + 1) != (i, j):
                moved[(int(now[0]), int(now[-1]) + 1)] = list(range(offset + i, offset + j))
        return out, moved

    # -- documents ----------------------------------------------------------
    def predict(self, doc: Doc, quotes: list[Quote], text: str | None = None) -> list[RawAttribution]:
        result = self.predict_many([(doc, quotes, text)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def predict_many(self, items: Iterable[tuple[Doc, list[Quote], str | None]]
                     ) -> list[list[RawAttribution] | Exception]:
        """:meth:`predict` of several documents at once: the taggers read the windows of all of them
        together (see :meth:`Tagger.tag_windows`).  A document whose prediction fails gets its exception
        in its place, and the others go on."""
        steps = [self._predict(doc, quotes, text) for doc, quotes, text in items]
        results: list = [None] * len(steps)
        asks: dict[int, Ask] = {}

        def advance(i: int, answer: Tagged | None) -> None:
            try:
                asks[i] = steps[i].send(answer)
            except StopIteration as done:
                results[i] = done.value
            except Exception as err:  # one bad document must not stop the others
                results[i] = err

        for i in range(len(steps)):
            advance(i, None)
        while asks:
            which = next(iter(asks.values()))[0]
            waiting = [i for i, (name, _) in asks.items() if name == which]
            requests = [asks.pop(i)[1] for i in waiting]
            for i, answer in zip(waiting, self._tag(which, requests)):
                if isinstance(answer, Exception):
                    results[i] = answer
                    steps[i].close()
                else:
                    advance(i, answer)
        return results

    def _tag(self, which: str, requests: list[WindowRequest]) -> list[Tagged | Exception]:
        """The tagger's answers to several documents' requests at once; should that fail (a window's
        features raising), each document alone, so that only the faulty one gets the error."""
        tagger, constraints = (self.cue, self.cue_constraints) if which == "cue" else (self.role, self.role_constraints)
        try:
            return tagger.tag_windows(requests, *constraints)
        except Exception as err:
            if len(requests) == 1:
                return [err]
        out: list[Tagged | Exception] = []
        for request in requests:
            try:
                out.append(tagger.tag_windows([request], *constraints)[0])
            except Exception as err:
                out.append(err)
        return out

    def _predict(self, doc: Doc, quotes: list[Quote], text: str | None) -> Generator[Ask, Tagged, list[RawAttribution]]:
        """One document's prediction, as a generator that asks for the taggers' readings (see predict_many)."""
        if len(doc) == 0:
            return []
        raws = extract_raw(doc, quotes, text)
        para = F.paragraph_ids(doc, text)
        feats = F.doc_features(doc, quotes, raws, self.vocab, para=para)
        view = F.DocView.of(doc, para)
        dense = None
        if self.dense_width:
            if self.context is None:
                raise ModelError("this model needs contextual vectors: call bind(nlp) before predict")
            dense = self.context(doc)
        facts = DocFacts(doc, view, feats[:, 9]) if self.boundaries is not None else None
        tagged_as: dict[int, list[int]] = {}
        cues: list[tuple[list[int], float | None]] = list((yield from self._cues(feats, para, dense, facts, tagged_as)))
        if self.rule_backoff:
            taken = {i for cue, _ in cues for i in cue}
            cues += [(r.cue, None) for r in raws if not taken.intersection(r.cue)]
        if not cues:
            return []
        rule_by_cue = {i: r for r in raws for i in r.cue}
        inputs = self.role.document_inputs(feats, dense)  # the windows overlap: embed each token once
        found = yield from self._roles(doc, cues, inputs, para, view, rule_by_cue, facts)
        # A cue whose moved edges left the role tagger without content is read again as it was tagged.
        again = [(tagged_as[cue[0]], prob) for (cue, prob), att in zip(cues, found)
                 if att is None and cue[0] in tagged_as]
        if again:
            found += yield from self._roles(doc, again, inputs, para, view, rule_by_cue, facts)
        out = [att for att in found if att is not None]
        if self.min_unlisted_confidence:
            out = [att for att in out
                   if att.confidence >= self.min_unlisted_confidence or self._listed(doc, feats, att.cue)]
        if self.cue_filter is not None:
            # Only attributions the filter judges need _listed (a head lookup): the rest are kept unread.
            out = [att for att in out if not judged(doc, att)
                   or self.cue_filter.keeps(doc, att, self._listed(doc, feats, att.cue))]
        # Signed quotations and transcript turns are a layout, not a wording: the taggers hardly saw them, and
        # the rules are precise, so their reading replaces the taggers'.
        layout = [r for r in raws if r.kind_hint in LAYOUT_KINDS]
        if layout:
            marks = {i for r in layout for i in r.cue}
            out = [r for r in out if not marks.intersection(r.cue)] + layout
        kept = {"nominal"} if self.keep_nominal else set()
        if self.keep_introducers:
            kept.add("according_to")
        if kept:
            taken = {i for r in out for i in r.cue}
            out += [r for r in raws if r.kind_hint in kept and not taken.intersection(r.cue)]
        return out

    @staticmethod
    def _listed(doc: Doc, feats: np.ndarray, cue: list[int]) -> bool:
        """Whether a word of the cue is in the cue lexicon or its head often heads a cue in PolNeAR train."""
        if (feats[cue, LEX_COLUMN] > F.LEX_UNLISTED).any():
            return True
        head = F.cue_head(doc, cue)
        return (head.lemma_.lower(), head.pos_) in lexicon.train_cue_heads()

    # -- roles --------------------------------------------------------------
    def _roles(self, doc: Doc, cues: list[tuple[list[int], float | None]], inputs, para: np.ndarray,
               view: F.DocView, rule_by_cue: dict[int, RawAttribution],
               facts: DocFacts | None) -> Generator[Ask, Tagged, list[RawAttribution | None]]:
        """The role tagger's reading of each cue: its attribution, or None where it finds no content.
        A generator: it asks for the role tagger's reading of the cues' windows."""
        windows = F.windows_for([cue for cue, _ in cues], para, self.reach)
        rules = [next((rule_by_cue[i] for i in cue if i in rule_by_cue), None) for cue, _ in cues]

        def extra(k: int) -> np.ndarray:  # built when the window's batch runs: memory flat in the number of cues
            return F.role_features(doc, cues[k][0], windows[k], rules[k], view, self.vocab)

        tagged = yield "role", WindowRequest(inputs, windows, extra)
        out: list[RawAttribution | None] = []
        for (cue, cue_prob), (lo, hi), rule, (lp, path) in zip(cues, windows, rules, tagged):
            out.append(self._attribution(doc, cue, cue_prob, lo, hi, rule, lp, path, facts))
        return out

    def _attribution(self, doc: Doc, cue: list[int], cue_prob: float | None, lo: int, hi: int,
                     rule: RawAttribution | None, lp: np.ndarray, path: np.ndarray,
                     facts: DocFacts | None) -> RawAttribution | None:
        if facts is not None:
            path = self._refine_roles(facts, cue, lo, hi, lp, path)
        runs = _runs(path, 3, 4)
        if self.min_run_prob and len(runs) > 1:
            runs = sure_runs(lp, runs, self.min_run_prob, (min(cue) - lo, max(cue) + 1 - lo))
        content = [(lo + i, lo + j) for i, j in runs]
        source = [(lo + i, lo + j) for i, j in _runs(path, 1, 2)]
        if not content:
            # A cue the cue tagger is sure of, left without content: trust the rules' reading of it.
            if not (self.rule_roles and cue_prob is not None and cue_prob >= self.rule_roles
                    and rule is not None and rule.content):
                return None
            content, source = list(rule.content), list(rule.source)
            path = np.zeros_like(path)  # no tagger labels behind these roles: rated below
        if not source and self.rule_source and rule is not None and rule.source:
            source = list(rule.source)
        content = [(k, j) for i, j in content if (k := after_dateline(doc, i, j)) < j]  # "LAUSANNE (AP) - | ..."
        if source:
            source = one_source(doc, source, lambda run: source_belief(lp, run[0] - lo, run[1] - lo))
        if source and sourceless_cue(doc, cue, source):
            source = []
        if not source:  # a cue whose subject is what it is about has that subject in its content
            subject = spoken_of(doc, cue)
            if subject is not None and not any(i < subject[1] and subject[0] < j for i, j in content):
                content = sorted(content + [subject])
        labelled = np.flatnonzero(path > 0)
        role_prob = float(np.exp(lp[labelled, path[labelled]]).mean()) if len(labelled) else 0.5
        if cue_prob is None:  # a rule cue the cue tagger did not mark
            if role_prob < self.rule_backoff:
                return None
            cue_prob = 0.5
        return RawAttribution(cue=cue, source=source, content=content, kind_hint=self._kind_hint(doc, cue, rule),
                              confidence=cue_prob * role_prob)

    def _refine_roles(self, facts: DocFacts, cue: list[int], lo: int, hi: int, lp: np.ndarray,
                      path: np.ndarray) -> np.ndarray:
        """One cue's role labels with the content's and the source's edges re-chosen."""
        frame = CueFrame.of(facts.doc, cue, facts.view)
        in_cue = np.zeros(hi - lo, dtype=bool)
        in_cue[[i - lo for i in cue if lo <= i < hi]] = True
        for role in (CONTENT, SOURCE):
            path = self.boundaries.refine(facts, frame, role, lp, path, lo, (lo, hi), in_cue)
        return path

    @staticmethod
    def _kind_hint(doc: Doc, cue: list[int], rule: RawAttribution | None) -> str | None:
        words = tuple(doc[i].lower_ for i in cue)
        if any(words[k : k + len(p)] == p for p in lexicon.SOURCE_INTRODUCERS for k in range(len(words))):
            return "according_to"
        head = F.cue_head(doc, cue)
        if head.pos_ == "NOUN":
            return "nominal"
        if rule is not None and rule.kind_hint:
            return rule.kind_hint
        lemma = head.lemma_.lower()
        if (lemma in lexicon.BELIEF_VERBS and lemma not in lexicon.SPEECH_VERBS) or head.lower_ in lexicon.BELIEF_ADJECTIVES:
            return "belief"
        return None
