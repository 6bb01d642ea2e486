"""The spaCy component: ``nlp.add_pipe("onrecord_attributions")``.

It needs a pipeline that parses (tagger, parser, NER; any English model) and
sets ``doc._.attributions`` to a tuple of :class:`~onrecord.records.Attribution`.
The records travel inside ``doc.user_data`` as plain data, so they survive
``nlp.pipe(..., n_process=2)`` and ``Doc.to_bytes``.

Strategies: ``"model"`` (the trained taggers, with the rules as their
features; the default) and ``"rules"`` (the syntactic rules alone, no model
file needed).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..errors import ModelError
from ..records import Attribution
from .assemble import to_records
from .headlines import headline_attributions, headline_contents
from .nested import nested_attributions
from .quotes import find_quotes
from .rules import colon_contents, extract_raw, quotation_contents, wh_contents
from ..settings import DEFAULT_STRATEGY

DATA_KEY = "onrecord_attributions_data"
STRATEGIES = ("model", "rules")


def _attempt(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or the exception it raised: one document's failure, kept for the error handler."""
    try:
        return fn(*args)
    except Exception as err:
        return err


def _get_attributions(doc: Doc) -> tuple[Attribution, ...]:
    data = doc._.get(DATA_KEY)
    if not data:
        return ()
    return tuple(Attribution.from_dict(d) for d in data)


if not Doc.has_extension(DATA_KEY):
    Doc.set_extension(DATA_KEY, default=None)
if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", getter=_get_attributions)


class AttributionComponent:
    """Finds attributions in a parsed Doc; pure over the Doc, results on ``doc._.attributions``."""

    def __init__(
        self,
        nlp: Language,
        name: str = "onrecord_attributions",
        *,
        strategy: str = DEFAULT_STRATEGY,
        model_path: str | None = None,
        resolve_speakers: bool = True,
        min_confidence: float = 0.0,
    ) -> None:
        if strategy not in STRATEGIES:
            raise ModelError(f"unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}")
        self.name = name
        self.strategy = strategy
        self.resolve_speakers = resolve_speakers
        self.min_confidence = min_confidence
        self.model_path = model_path
        self._model = None
        if strategy == "model":
            from .model import AttributionModel, model_file

            self._model = AttributionModel.load(model_file(model_path)).bind(nlp)

    @property
    def model(self) -> Any:
        """The trained model the component runs (an ``AttributionModel``; None under the rules strategy)."""
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        # training.tune scores many headers over one parsed split: it swaps the model, not the component
        self._model = model

    def predict(self, doc: Doc) -> list[Attribution]:
        result = self.predict_many([doc])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def predict_many(self, docs: list[Doc]) -> list[list[Attribution] | Exception]:
        """:meth:`predict` of several Docs; the trained model reads them together (its taggers run over
        the windows of all of them at once: fewer, larger steps).  A Doc that fails gets its exception in
        its place; the others go on."""
        out: list = [None] * len(docs)
        ready = []  # (index, text, quotes) of the Docs whose reading got that far
        for i, doc in enumerate(docs):
            try:
                ready.append((i, *self._read(doc)))
            except Exception as err:  # one bad document must not stop a batch
                out[i] = err
        if self._model is not None:
            found = self._model.predict_many([(docs[i], quotes, text) for i, text, quotes in ready])
        else:
            found = [_attempt(extract_raw, docs[i], quotes, text) for i, text, quotes in ready]
        for (i, text, quotes), raws in zip(ready, found):
            out[i] = raws if isinstance(raws, Exception) else _attempt(self._finish, docs[i], raws, quotes, text)
        return out

    @staticmethod
    def _read(doc: Doc) -> tuple[str, list]:
        if len(doc) and not doc.has_annotation("DEP"):
            raise ModelError(
                "onrecord_attributions needs a dependency parse: add it after a parser "
                "(e.g. to spacy.load('en_core_web_sm'), not to spacy.blank('en'))"
            )
        text = doc.text  # rebuilt from the tokens on every access: once per document
        return text, find_quotes(text)

    def _finish(self, doc: Doc, raws: list, quotes: list, text: str) -> list[Attribution]:
        """The passes after the rules or the taggers, and the records."""
        colon_contents(doc, raws)
        quotation_contents(doc, raws, quotes)
        wh_contents(doc, raws)
        headline_contents(doc, text, raws)
        raws += nested_attributions(doc, raws, quotes)
        raws += headline_attributions(doc, text, {i for r in raws for i in r.cue})
        records = to_records(doc, raws, quotes, resolve=self.resolve_speakers, text=text)
        return [r for r in records if r.confidence >= self.min_confidence]

    def set_annotations(self, doc: Doc, records: list[Attribution]) -> None:
        doc._.set(DATA_KEY, [r.to_dict() for r in records])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.predict(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """The Docs in batches of ``batch_size``, each batch read together (:meth:`predict_many`)."""
        handler = self.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            for doc, result in zip(batch, self.predict_many(batch)):
                if isinstance(result, Exception):
                    handler(self.name, self, [doc], result)
                else:
                    self.set_annotations(doc, result)
                yield doc

    # spaCy's error-handler protocol, as in TrainablePipe
    _error_handler: Callable[..., Any] | None = None

    def get_error_handler(self) -> Callable[..., Any]:
        if self._error_handler is not None:
            return self._error_handler

        def raise_error(name: str, component: Any, docs: list[Doc], err: Exception) -> None:
            raise err

        return raise_error

    def set_error_handler(self, error_handler: Callable[..., Any]) -> None:
        self._error_handler = error_handler


@Language.factory(
    "onrecord_attributions",
    default_config={"strategy": DEFAULT_STRATEGY, "model_path": None, "resolve_speakers": True, "min_confidence": 0.0},
    assigns=[f"doc._.{DATA_KEY}"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
)
def make_attribution_component(
    nlp: Language,
    name: str,
    strategy: str,
    model_path: str | None,
    resolve_speakers: bool,
    min_confidence: float,
) -> AttributionComponent:
    return AttributionComponent(
        nlp,
        name,
        strategy=strategy,
        model_path=model_path,
        resolve_speakers=resolve_speakers,
        min_confidence=min_confidence,
    )
