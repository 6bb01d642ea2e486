"""Which of the articles on a page are copies of one story (see :mod:`onrecord.stories`), cached per generation."""

from __future__ import annotations

from .state import Session, StoreState


def story_groups(state: StoreState, session: Session, ids: list[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """article id → (story id, every article of the story) for the articles that have copies."""
    if "story_prints" not in session.tables:
        return {}
    from ..stories import copies_of

    out = {}
    for aid in ids:
        members = state.cache.get(("story", aid), state.generation, lambda a=aid: copies_of(session.conn, a))
        if members:
            group = tuple(sorted({aid, *members}))
            out[aid] = (group[0], group)
    return out
