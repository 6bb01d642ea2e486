"""Entities across articles: people, organisations, governments, places and unnamed sources, with roles.

Per article (next to the parse)::

    analyse_entities(doc, attributions) -> ArticleEntities     # entities, mentions, roles, speaker links

Across articles (pure, no store needed)::

    canonicalise([ArticleInput(...), ...], load_aliases(path)) -> Canonical   # entities + merge evidence

In a store (after `onrecord ingest`)::

    with EntityIndex("onrecord.db") as idx:
        idx.canonical_name("Zelenskiy")          # 'Volodymyr Zelensky'
        idx.speaker_of(article_id, 3)            # SpeakerRef(entity_id, name, type, via)
        idx.timeline(entity="Peskov")            # statements in the order they were made

See docs/entities.md.
"""

from .aliases import AliasRules, MergeRule, SplitRule, load_aliases, parse_aliases
from .article import analyse_entities
from .enricher import EntityEnricher, analyse_article, rebuild
from .merge import ArticleInput, Canonical, canonicalise
from .names import PersonName, skeleton
from .queries import (EntityIndex, EntityNotFound, SpeakerRef, TimelineEntry, list_entities, merge_entities,
                      show_entity, timeline)
from .records import (ArticleEntities, Entity, EntityType, LocalEntity, Mention, MergeEvidence, Role, RoleSeen,
                      SpeakerLink)

__all__ = sorted([
    "AliasRules", "ArticleEntities", "ArticleInput", "Canonical", "Entity", "EntityEnricher", "EntityIndex",
    "EntityNotFound", "EntityType", "LocalEntity", "Mention", "MergeEvidence", "MergeRule", "PersonName", "Role",
    "RoleSeen", "SpeakerLink", "SpeakerRef", "SplitRule", "TimelineEntry", "analyse_article", "analyse_entities",
    "canonicalise", "list_entities", "load_aliases", "merge_entities", "parse_aliases", "rebuild", "show_entity",
    "skeleton", "timeline",
])
