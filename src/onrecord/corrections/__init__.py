"""Corrections a person makes to the record, kept across re-ingests, listed, undoable, and a review queue.

    from onrecord.corrections import set_speaker, set_date, move_party, set_stance, merge_names, undo
    set_speaker("news.db", "3f2a9c1d#4", "Dmitry Peskov", actor="ana")   # ARTICLE#IDX as `onrecord quotes` shows
    undo("news.db", 7)
    review("news.db")                                                    # ReviewItem list: what to look at

See docs/store.md ("Corrections") and :mod:`onrecord.corrections.apply` for how they are re-applied.
"""

from .records import Correction, CorrectionKind, ReviewItem
from .review import REASONS, review, review_queue
from .service import (list_corrections, merge_names, move_party, parse_ref, set_date, set_speaker, set_stance,
                      undo)

__all__ = ["Correction", "CorrectionKind", "ReviewItem", "REASONS", "review", "review_queue", "list_corrections",
           "merge_names", "move_party", "parse_ref", "set_date", "set_speaker", "set_stance", "undo"]
