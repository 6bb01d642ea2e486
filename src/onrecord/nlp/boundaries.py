"""Boundary decoding: where a cue, a source or a content starts and ends.

The taggers find attributions well but often place their edges a few tokens off PolNeAR's conventions
(the content starts at "that", not at the listener before it; a trailing "during a campaign stop" or
"and encouraged Americans to ..." belongs to the reporting clause; "said Friday" is a cue of one word).
For every span a tagger marks, this module re-chooses its start and its end among the gaps within
``radius`` tokens of the tagger's (a role may have its own radius: a content's edges are often a clause
away from the tagger's), by the sum of

* the tagger's own preference: how much its log-probabilities lose when the labels move to that gap
  (zero for the tagger's choice), times a weight tuned on dev; and
* a learned score of the gap: a linear model over the words, tags, dependency relations and clause
  edges on either side of the gap and their relation to the cue, trained on PolNeAR **train** gold by
  ``python -m onrecord.training.boundaries`` (a softmax over the gaps near each gold edge).

The start and the end are chosen independently (the tagger's loss separates into the two edges while
the new span overlaps the old one).  The model is a vocabulary of feature names and one weight per
name, loadable with numpy alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import DEP, LIKE_NUM, LOWER, POS, SENT_START
from spacy.tokens import Doc

from ..errors import ModelError
from . import features as F
from .modelfile import read_model_file, write_model_file

DEFAULT_BOUNDARY_PATH = Path(__file__).parent / "model" / "boundaries.npz"
RADIUS = 6

# Roles and the label ids of their B / I tags in the taggers' label sets.
CUE, SOURCE, CONTENT = "Q", "S", "C"
ROLE_TAGS = {CUE: (1, 2), SOURCE: (1, 2), CONTENT: (3, 4)}


def _subtree_edges(heads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leftmost and rightmost token of every token's subtree, from the head of every token."""
    n = len(heads)
    left = np.arange(n)
    right = np.arange(n)
    for _ in range(n):  # each round carries the edges one level up; the tree's depth bounds the rounds
        new_left = left.copy()
        new_right = right.copy()
        np.minimum.at(new_left, heads, left)
        np.maximum.at(new_right, heads, right)
        if np.array_equal(new_left, left) and np.array_equal(new_right, right):
            break
        left, right = new_left, new_right
    return left, right


#: The labels of the constituents a token opens or closes that a gap's features name (lowest first).
MAX_EDGES = 4


@dataclass
class Slot:
    """One of a gap's cue-independent features, read for every gap of a document at once.

    ``ids[k]`` is the feature's value at position k (an index into ``values``; -1: the gap has no such
    feature): k is the token before the gap (the "l" features), the token after it ("r"), or the gap
    itself (the pair's).  A ``flag`` feature is named without a value ("sent")."""

    name: str
    ids: np.ndarray
    values: list[str]
    flag: bool = False

    def feature(self, k: int) -> str:
        return self.name if self.flag else f"{self.name}={self.values[k]}"


def _edge_labels(heads: np.ndarray, deps: np.ndarray, edge: np.ndarray) -> list[np.ndarray]:
    """For every token i, the dependency labels (ids in ``deps``) of the constituents whose left (or right)
    edge it is, lowest first: the k-th array holds each token's k-th label, or -1."""
    n = len(heads)
    tokens = np.arange(n)
    node = tokens.copy()
    alive = np.ones(n, dtype=bool)
    out = []
    for _ in range(MAX_EDGES):
        alive &= edge[node] == tokens
        out.append(np.where(alive, deps[node], -1))
        up = heads[node]
        alive &= up != node
        node = np.where(alive, up, node)
    return out


@dataclass
class DocFacts:
    """Token facts of one document the gap features read: read from the Doc's arrays once, when the
    first gap is scored, as the columns (:class:`Slot`) of every gap's features."""

    doc: Doc
    view: F.DocView
    quote: np.ndarray  # features.quote_state: 1 outside, 2 inside, 3 a quote mark
    _gaps: dict[int, list[str]] = field(default_factory=dict)
    scores: dict = field(default_factory=dict)  # the boundary model's use: its gap scores of this document
    _ready: bool = False

    def _read(self) -> None:
        doc = self.doc
        n = len(doc)
        a = doc.to_array([LOWER, POS, DEP, SENT_START, LIKE_NUM]).reshape(n, 5)
        strings = doc.vocab.strings

        def column(hashes: np.ndarray) -> tuple[np.ndarray, list[str]]:
            uniq, inverse = np.unique(hashes, return_inverse=True)
            return inverse.reshape(-1), [strings[int(h)] if h else "" for h in uniq.tolist()]

        words, word_names = column(a[:, 0])
        words[a[:, 4] != 0] = len(word_names)  # numbers are one word
        word_names.append("<num>")
        pos, pos_names = column(a[:, 1])
        deps, dep_names = column(a[:, 2])
        uniq, quotes = np.unique(np.asarray(self.quote), return_inverse=True)
        quotes, quote_names = quotes.reshape(-1), [str(q) for q in uniq.tolist()]
        heads = np.array(self.view.heads, dtype=np.int64)
        left, right = _subtree_edges(heads)
        sent = (a[:, 3].astype(np.int64) == 1)
        if n:
            sent[0] = True
        para = np.zeros(n, dtype=bool)
        para[1:] = self.view.para[1:] != self.view.para[:-1]
        flag = np.where(sent, 0, -1), np.where(para, 0, -1)
        token = [("w", words, word_names), ("p", pos, pos_names), ("d", deps, dep_names), ("q", quotes, quote_names)]
        self.left = [Slot("l" + name, ids, values) for name, ids, values in token]
        self.left += [Slot("lcloses", ids, dep_names) for ids in _edge_labels(heads, deps, right)]
        self.right = [Slot("r" + name, ids, values) for name, ids, values in token]
        self.right += [Slot("ropens", ids, dep_names) for ids in _edge_labels(heads, deps, left)]
        self.right += [Slot("sent", flag[0], [""], True), Slot("para", flag[1], [""], True)]
        self.pairs = [Slot("lr", *self._pairs(words, word_names)), Slot("lrp", *self._pairs(pos, pos_names))]
        self.n = n
        self._lists: dict[int, list[int]] = {}
        self._ready = True

    @staticmethod
    def _pairs(ids: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
        """The pair feature of every gap (the values either side of it), -1 at the document's two ends."""
        out = np.full(len(ids) + 1, -1, dtype=np.int64)
        if len(ids) < 2:
            return out, []
        codes = ids[:-1].astype(np.int64) * len(names) + ids[1:]
        uniq, inverse = np.unique(codes, return_inverse=True)
        out[1:-1] = inverse.reshape(-1)
        return out, [f"{names[c // len(names)]}|{names[c % len(names)]}" for c in uniq.tolist()]

    def slots(self) -> tuple[list[Slot], list[Slot], list[Slot]]:
        """The features of the token before a gap, of the token after it, and of the pair, each in order."""
        if not self._ready:
            self._read()
        return self.left, self.right, self.pairs

    def gap(self, gap: int) -> list[str]:
        """The features of the gap before token ``gap`` that do not depend on the cue."""
        out = self._gaps.get(gap)
        if out is None:
            out = self._gaps[gap] = self._gap(gap)
        return out

    def _gap(self, gap: int) -> list[str]:
        left, right, pairs = self.slots()
        n = self.n
        feats: list[str] = []
        for tag, i, slots in (("l", gap - 1, left), ("r", gap, right)):
            if i < 0 or i >= n:
                feats.append(tag + "=NONE")
                continue
            feats.extend(slot.feature(k) for slot in slots if (k := self._ids(slot)[i]) >= 0)
        if 0 < gap < n:
            feats.extend(slot.feature(k) for slot in pairs if (k := self._ids(slot)[gap]) >= 0)
        return feats

    def _ids(self, slot: Slot) -> list[int]:
        ids = self._lists.get(id(slot))
        if ids is None:
            ids = self._lists[id(slot)] = slot.ids.tolist()
        return ids


@dataclass
class CueFrame:
    """One cue as the gap features see it: its tokens, head and the head's ancestors."""

    first: int
    last: int
    head: int
    ancestors: dict[int, int]
    walk: F._Branches  # each token's branch from the head, its walk up the tree remembered
    _branch: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc, cue: list[int], view: F.DocView, *, head_only: bool = False) -> "CueFrame":
        """``head_only``: the frame of a cue whose own edges are being chosen, so that the features see
        only its head and never where the span already ends."""
        head = F.cue_head(doc, cue).i
        if head_only:
            cue = [head]
        ancestors = F.head_ancestors(view, head)
        return cls(min(cue), max(cue), head, ancestors, F._Branches(head, ancestors, view))

    def branch(self, i: int, facts: DocFacts) -> str:
        name = self._branch.get(i)
        if name is None:
            view = facts.view
            if self.first <= i <= self.last:
                name = "incue"
            elif view.sents[i] != view.sents[self.head]:
                name = "othersent"
            else:
                name = self.walk.of(i)
            self._branch[i] = name
        return name

    def parts(self, facts: DocFacts, gap: int) -> tuple[str, str, str]:
        """How the gap's two tokens hang from this cue, and where the gap lies from it (side, distance)."""
        left = self.branch(gap - 1, facts) if gap > 0 else "NONE"
        right = self.branch(gap, facts) if gap < len(facts.doc) else "NONE"
        after = gap > self.last
        return left, right, ("a" if after else "b") + _bucket(gap - self.last - 1 if after else self.first - gap)

    def features(self, facts: DocFacts, gap: int) -> list[str]:
        """The gap's features relative to this cue: how its two tokens hang from it, and how far it is."""
        left, right, where = self.parts(facts, gap)
        return [f"lb={left}", f"rb={right}", f"lbrb={left}|{right}", where]

    def side(self, gap: int) -> str:
        return "a" if gap > self.last else "b"


#: The names of the cue-independent features (``DocFacts``; "l" and "r" at the document's ends) and of the
#: features that read the cue (``CueFrame.features``, besides the side and distance).
GAP_FEATURES = frozenset({"l", "r", "lw", "lp", "ld", "lq", "lcloses", "rw", "rp", "rd", "rq", "ropens", "sent",
                          "para", "lr", "lrp"})
FRAME_FEATURES = ("lb", "rb", "lbrb")


def _bucket(d: int) -> str:
    d = abs(d)
    return str(d) if d <= 3 else "4-6" if d <= 6 else "7-12" if d <= 12 else "13+"


def prefixes(frame: CueFrame, gap: int, role: str, side: str) -> tuple[str, ...]:
    """The weight tables a gap's features are read in: the role and side, and for source and content
    also whether the gap lies after or before the cue."""
    if role == CUE:
        return (role + side,)
    return (role + side, role + side + frame.side(gap))


def gap_features(facts: DocFacts, frame: CueFrame, gap: int, role: str, side: str) -> list[str]:
    """Feature names of the gap before token ``gap`` as the ``side`` ("s" or "e") of a ``role`` span."""
    base = facts.gap(gap) + frame.features(facts, gap)
    return [f"{p}|{f}" for p in prefixes(frame, gap, role, side) for f in base]


def start_deltas(lp: np.ndarray, path: np.ndarray, s0: int, first: int, stop: int, b_tag: int,
                 i_tag: int) -> list[float]:
    """For each start i in [first, stop): the change in the path's log-probability when the span that
    starts at s0 starts at i instead (tokens i..s0-1 join it, or s0..i-1 leave it and i opens it; where
    the span has several runs, i may open a later one).  Needs stop > s0.
    (Plain Python: the ranges are a dozen tokens, where numpy's per-call cost dominates.)"""
    if first >= stop:
        return []
    rows = lp[first:stop].tolist()
    labels = path[first:stop].tolist()
    at = s0 - first
    out = [0.0] * (stop - first)
    shift = rows[at][i_tag] - rows[at][b_tag]  # s0 turns from B to I when the span grows leftwards
    joined = 0.0  # tokens k+1..s0-1 turned to I
    for k in range(at - 1, -1, -1):
        row = rows[k]
        out[k] = joined + row[b_tag] - row[labels[k]] + shift
        joined += row[i_tag] - row[labels[k]]
    left = 0.0  # the span's tokens among s0..k-1 turned to O (another role's tokens between its runs stay)
    for k in range(at + 1, stop - first):
        if labels[k - 1] in (b_tag, i_tag):
            left += rows[k - 1][0] - rows[k - 1][labels[k - 1]]
        out[k] = left + rows[k][b_tag] - rows[k][labels[k]]
    return out


def end_deltas(lp: np.ndarray, path: np.ndarray, e0: int, first: int, stop: int, b_tag: int,
               i_tag: int) -> list[float]:
    """For each end j in [first, stop) (exclusive ends): the change in the path's log-probability when
    the span that ends at e0 ends at j instead (tokens e0..j-1 join it, or j..e0-1 leave it)."""
    if first >= stop:
        return []
    last = min(stop - 1, len(path))
    rows = lp[first:last].tolist()
    labels = path[first:last].tolist()
    at = e0 - first
    out = [0.0] * (stop - first)
    left = 0.0  # the span's tokens among j..e0-1 turned to O
    for k in range(at - 1, -1, -1):
        if labels[k] in (b_tag, i_tag):
            left += rows[k][0] - rows[k][labels[k]]
        out[k] = left
    joined = 0.0
    for k in range(at + 1, stop - first):
        joined += rows[k - 1][i_tag] - rows[k - 1][labels[k - 1]]
        out[k] = joined
    return out


def role_edges(path: np.ndarray, b: int, i: int) -> tuple[int, int] | None:
    """(first token, end) of the hull of a role's runs in a label path, or None."""
    marked = np.flatnonzero((path == b) | (path == i))
    if not len(marked):
        return None
    return int(marked[0]), int(marked[-1]) + 1


class BoundaryModel:
    def __init__(self, meta: dict, weights: np.ndarray) -> None:
        self.meta = meta
        self.weights = weights.astype(np.float32)
        # one table per prefix: feature name → weight (the names are stored as "prefix|feature")
        tables: dict[str, dict[str, float]] = {}
        for name, w in zip(meta["features"], self.weights.tolist()):
            prefix, _, feature = name.partition("|")
            tables.setdefault(prefix, {})[feature] = w
        # A gap reads one table: the weights of all its prefixes ("Cs" and "Csa") added up front.
        self.tables: dict[tuple[str, ...], dict[str, float]] = {}
        self._table_of: dict[tuple[str, str, str], tuple[str, ...]] = {}  # (role, side, gap after/before cue)
        for role in (CUE, SOURCE, CONTENT):
            for side in ("s", "e"):
                for where in ("a", "b"):
                    names = (role + side,) if role == CUE else (role + side, role + side + where)
                    self._table_of[(role, side, where)] = names
                    merged: dict[str, float] = {}
                    for prefix in names:
                        for feature, w in tables.get(prefix, {}).items():
                            merged[feature] = merged.get(feature, 0.0) + w
                    self.tables[names] = merged
        self._index_tables()
        self.radius = int(meta.get("radius", RADIUS))
        # A role whose edges travel further (the content's: a clause or an adjunct more or less) has its own.
        self.role_radius: dict[str, int] = {r: int(v) for r, v in meta.get("role_radius", {}).items()}
        # How much the tagger's log-probabilities count against the learned gap scores, per role.
        self.tagger_weight: dict[str, float] = {r: float(v) for r, v in meta.get("tagger_weight", {}).items()}
        # A gap the weighted tagger scores this far below its own choice is not scored at all: the learned
        # gap scores seldom differ by more, and most gaps are out of the running at once.
        self.prune = float(meta.get("prune", 4.0))

    def _index_tables(self) -> None:
        """The tables as the decoder reads them: the weights of the cue-independent features, one row per
        (feature name, value) over all tables, so that every gap of a document is scored at once
        (:meth:`_gap_scores`); the frame features' weights by their values, one set of dicts per table."""
        self._keys = list(self.tables)
        self._table_of = {key: self._keys.index(names) for key, names in self._table_of.items()}
        self._rows: dict[str, dict[str, int]] = {name: {} for name in GAP_FEATURES}  # name -> value -> row
        cells: tuple[list[int], list[int], list[float]] = ([], [], [])  # row, table, weight
        n_rows = 1  # row 0: no weight anywhere
        self._frame: list[tuple[dict[str, float], ...]] = []
        for k, names in enumerate(self._keys):
            frame: dict[str, dict[str, float]] = {name: {} for name in FRAME_FEATURES}
            where: dict[str, float] = {}
            for feature, w in self.tables[names].items():
                name, _, value = feature.partition("=")
                by_value = self._rows.get(name)
                if by_value is not None:
                    at = by_value.get(value)
                    if at is None:
                        at = by_value[value] = n_rows
                        n_rows += 1
                    cells[0].append(at)
                    cells[1].append(k)
                    cells[2].append(w)
                elif name in frame:
                    frame[name][value] = w
                else:
                    where[feature] = w  # "a4-6": the side and distance from the cue
            self._frame.append((frame["lb"], frame["rb"], frame["lbrb"], where))
        self._matrix = np.zeros((n_rows, len(self._keys)), dtype=np.float64)
        self._matrix[cells[0], cells[1]] = cells[2]

    def _gap_scores(self, facts: DocFacts) -> np.ndarray:
        """The cue-independent score of every gap of the document in every table (gap, table), summed
        feature after feature in the order ``DocFacts.gap`` lists them (as ``sum`` of their weights would:
        a feature the gap lacks adds 0.0, which changes nothing); kept on ``facts``."""
        got = facts.scores.get(self)
        if got is not None:
            return got
        left, right, pairs = facts.slots()
        n = facts.n
        matrix = self._matrix
        acc = np.zeros((n + 1, len(self._keys)))

        def add(rows: slice, slot: Slot) -> None:
            by_value = self._rows.get(slot.name, {})
            row_of = np.array([by_value.get(v, 0) for v in slot.values] + [0], dtype=np.int64)  # [-1]: none
            acc[rows] += matrix[row_of[slot.ids]]

        acc[0] += matrix[self._rows.get("l", {}).get("NONE", 0)]
        for slot in left:
            add(slice(1, n + 1), slot)  # the gap before token g reads token g - 1
        acc[n] += matrix[self._rows.get("r", {}).get("NONE", 0)]
        for slot in right:
            add(slice(0, n), slot)
        for slot in pairs:
            add(slice(0, n + 1), slot)
        facts.scores[self] = acc
        return acc

    @classmethod
    def load(cls, path: str | Path = DEFAULT_BOUNDARY_PATH) -> "BoundaryModel":
        path = Path(path)
        try:
            meta, arrays = read_model_file(path)
            weights = arrays["weights"]
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"boundary model {path} is missing or unreadable ({err}); rebuild it with "
                             "`python -m onrecord.training.boundaries` (see docs/training.md)") from err
        return cls(meta, weights)

    def save(self, path: str | Path) -> None:
        write_model_file(path, self.meta, {"weights": self.weights.astype(np.float32)})

    def gap_score(self, facts: DocFacts, frame: CueFrame, gap: int, role: str, side: str) -> float:
        """The learned score of the gap: the sum of the weights of its ``gap_features`` (the cue-independent
        ones first, then the frame's, each part summed in their order)."""
        k = self._table_of[(role, side, frame.side(gap))]
        lb, rb, lbrb, where = self._frame[k]
        left, right, bucket = frame.parts(facts, gap)
        return self._gap_scores(facts).item(gap, k) + (
            lb.get(left, 0.0) + rb.get(right, 0.0) + lbrb.get(f"{left}|{right}", 0.0) + where.get(bucket, 0.0))

    def radius_of(self, role: str) -> int:
        return self.role_radius.get(role, self.radius)

    def active(self, role: str) -> bool:
        return self.tagger_weight.get(role, 0.0) > 0.0

    def _best(self, facts: DocFacts, frame: CueFrame, role: str, side: str, gaps: list[tuple[int, float]],
              offset: int, current: int) -> int:
        """The gap with the best weighted tagger change plus learned score (``current`` if it is alone)."""
        if len(gaps) < 2:
            return current
        best, best_score = current, None
        for gap, weighted in gaps:
            total = weighted + self.gap_score(facts, frame, gap + offset, role, side)
            if best_score is None or total > best_score:
                best, best_score = gap, total
        return best

    def refine(self, facts: DocFacts, frame: CueFrame, role: str, lp: np.ndarray, path: np.ndarray,
               offset: int, limits: tuple[int, int], blocked: np.ndarray | None = None) -> np.ndarray:
        """A new label path for one role's span: its start and end moved to the best-scoring gaps.

        ``lp``/``path``: the tagger's log-probabilities and labels over tokens ``offset`` ..;
        ``limits``: the token range [lo, hi) the span may occupy (in document indices);
        ``blocked``: tokens (relative to ``offset``) the span may not take over (another role's)."""
        lam = self.tagger_weight.get(role, 0.0)
        b_tag, i_tag = ROLE_TAGS[role]
        edges = role_edges(path, b_tag, i_tag)
        if lam <= 0.0 or edges is None:
            return path
        lam_s = self.tagger_weight.get(role + "s", lam)  # a side may have its own weight ("Cs", "Ce")
        lam_e = self.tagger_weight.get(role + "e", lam)
        s0, e0 = edges
        lo, hi = limits[0] - offset, limits[1] - offset
        lo, hi = max(lo, 0), min(hi, len(path))
        taken = (path > 0) & (path != b_tag) & (path != i_tag)
        if blocked is not None:
            taken |= blocked
        r = self.radius_of(role)
        labels = path.tolist()
        mine = (b_tag, i_tag)
        # a start inside the span must be one of its tokens (a span of several runs may lose its first ones)
        first, stop = max(lo, s0 - r), min(e0, s0 + r + 1)
        deltas = start_deltas(lp, path, s0, first, stop, b_tag, i_tag)
        crossed = np.flatnonzero(taken[first:s0])  # a start before s0 takes over no taken token on its way
        free_from = first + int(crossed[-1]) + 1 if len(crossed) else first
        gaps = [(i, lam_s * d) for i, d in zip(range(first, stop), deltas)
                if lam_s * d >= -self.prune and (labels[i] in mine if i > s0 else i >= free_from)]
        best_s = self._best(facts, frame, role, "s", gaps, offset, s0)
        # likewise an end inside the span follows one of its tokens, and never comes before the start
        first, stop = max(best_s + 1, e0 - r), min(hi, e0 + r) + 1
        deltas = end_deltas(lp, path, e0, first, stop, b_tag, i_tag)
        crossed = np.flatnonzero(taken[e0:stop - 1])  # nor does an end after e0
        free_to = e0 + int(crossed[0]) if len(crossed) else stop
        gaps = [(j, lam_e * d) for j, d in zip(range(first, stop), deltas)
                if lam_e * d >= -self.prune and (labels[j - 1] in mine if j < e0 else j <= free_to)]
        best_e = self._best(facts, frame, role, "e", gaps, offset, e0)
        if (best_s, best_e) == (s0, e0):
            return path
        new = path.copy()
        ours = (path == b_tag) | (path == i_tag)
        if best_s > s0:
            new[s0:best_s][ours[s0:best_s]] = 0
        elif best_s < s0:
            new[best_s:s0 + 1] = i_tag
        new[best_s] = b_tag
        if best_e > e0:
            new[e0:best_e] = i_tag
        elif best_e < e0:
            new[best_e:e0][ours[best_e:e0]] = 0
        return new
