"""Tables of the store, in SQLAlchemy Core (the same for every database).

Annotations owned by one document (sentences, removed spans) live in JSON
columns of that document; mentions have their own table because entity pages
and exports query them by entity.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

SCHEMA_VERSION = 12

metadata = MetaData()

meta = Table(
    "storyline_meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    # A stable integer key: full-text indexes refer to rows by it.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", Text, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("raw_text", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", Text),
    Column("published_evidence", Text),
    Column("language", Text),
    Column("byline", Text),
    Column("machine_generated", Boolean),
    Column("contributors", JSON, nullable=False, default=list),
    Column("evidence", JSON, nullable=False, default=dict),
    Column("removed", JSON, nullable=False, default=list),
    Column("sentences", JSON, nullable=False, default=list),
    # Schema v4: resolved temporal expressions.
    Column("times", JSON, nullable=False, default=list),
    # Schema v5: event mentions, merged per story into ``events``.
    Column("events", JSON, nullable=False, default=list),
    Column("analyzed_with", Text),
    Column("ingested_at", Text, nullable=False),
)
Index("documents_published", documents.c.published)
Index("documents_outlet", documents.c.outlet)

document_sources = Table(
    "document_sources",
    metadata,
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("outlet", Text),
    Column("published", Text),
    # ``ids.url_key`` of a URL source (schema v9): feed entries look up their link.
    Column("source_key", Text),
    PrimaryKeyConstraint("doc", "source"),
)
Index("document_sources_key", document_sources.c.source_key)

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("aliases", JSON, nullable=False, default=list),
)

mentions = Table(
    "mentions",
    metadata,
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("entity", Text, ForeignKey("entities.id"), nullable=False),
    PrimaryKeyConstraint("doc", "start", "end"),
)
Index("mentions_entity", mentions.c.entity)

# Keys of short lines per document (see ``storyline.stages.clean.line_key``):
# a line many documents of one outlet share is boilerplate.
line_keys = Table(
    "line_keys",
    metadata,
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("outlet", Text),
    Column("key", Text, nullable=False),
    PrimaryKeyConstraint("doc", "key"),
)
Index("line_keys_key", line_keys.c.key)

# Schema v12: how many documents of each outlet ('' for none known) carry
# each line key, kept as keys are recorded: the clean stage reads these
# counts for every batch, and counting ``line_keys`` rows grew with the store.
line_key_counts = Table(
    "line_key_counts",
    metadata,
    Column("key", Text, nullable=False),
    Column("outlet", Text, nullable=False),
    Column("docs", Integer, nullable=False),
    PrimaryKeyConstraint("key", "outlet"),
)

# Lineage (schema v8): each document's MinHash signature and index keys, and
# the index as (key, doc) rows clustered by key (band, sentence and quote keys
# as 64-bit integers, see ``stages.minhash``). The index is derived data: a
# document's rows are found through its ``keys`` and replaced with them.
signatures = Table(
    "signatures",
    metadata,
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary),
    Column("keys", LargeBinary),
)

lineage_keys = Table(
    "lineage_keys",
    metadata,
    Column("key", BigInteger, nullable=False),
    Column("doc", Text, nullable=False),
    PrimaryKeyConstraint("key", "doc"),
    sqlite_with_rowid=False,
)

derivations = Table(
    "derivations",
    metadata,
    Column("source_doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("derived_doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("evidence", JSON, nullable=False, default=dict),
    PrimaryKeyConstraint("source_doc", "derived_doc"),
)
Index("derivations_derived", derivations.c.derived_doc)

# Stories (schema v2): each story's clustering state (centroid term sums,
# members, dates) as JSON, its members, storylines and the links that made
# them, and the document frequencies the clusterer's IDF comes from.
stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("start", Text),
    Column("end", Text),
    Column("storyline", Text),
    Column("entities", JSON, nullable=False, default=list),
    Column("active", Boolean, nullable=False, default=True),
    Column("state", JSON, nullable=False),
)
Index("stories_storyline", stories.c.storyline)

story_docs = Table(
    "story_docs",
    metadata,
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story", Text, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
)
Index("story_docs_story", story_docs.c.story)

storylines = Table(
    "storylines",
    metadata,
    Column("id", Text, primary_key=True),
    Column("label", Text, nullable=False),
    Column("stories", JSON, nullable=False, default=list),
    Column("links", JSON, nullable=False, default=list),
)

# Each story's most distinctive terms (schema v10): how a new document or a
# story being threaded finds the stories worth comparing without loading them all.
story_terms = Table(
    "story_terms",
    metadata,
    Column("space", Text, nullable=False),
    Column("term", Text, nullable=False),
    Column("story", Text, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("space", "term", "story"),
)
Index("story_terms_story", story_terms.c.story)

# Changes made to stories after the fact (schema v11), by reclustering: a story
# merged into another, or documents split off into another story. Stories come
# and go here, so the log refers to them by id without a foreign key.
story_ops = Table(
    "story_ops",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("op", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("docs", JSON, nullable=False, default=list),
)
Index("story_ops_source", story_ops.c.source)
Index("story_ops_target", story_ops.c.target)

term_df = Table(
    "term_df",
    metadata,
    Column("space", Text, nullable=False),
    Column("term", Text, nullable=False),
    Column("df", Integer, nullable=False),
    PrimaryKeyConstraint("space", "term"),
)

# Quotes (schema v3), owned by their document; ``cluster`` groups one
# utterance as several documents report it.
quotes = Table(
    "quotes",
    metadata,
    Column("id", Text, primary_key=True),
    Column("doc", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("cluster", Text),
)
Index("quotes_doc", quotes.c.doc)
Index("quotes_speaker", quotes.c.speaker)
Index("quotes_cluster", quotes.c.cluster)

# Events (schema v5): the event mentions of a story's documents, merged.
events = Table(
    "events",
    metadata,
    Column("id", Text, primary_key=True),
    Column("story", Text, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("type", Text, nullable=False),
    Column("actor", Text),
    Column("target", Text),
    Column("action", Text, nullable=False),
    Column("date", Text),
    Column("date_granularity", Text),
    Column("location", Text),
    Column("sources", JSON, nullable=False, default=list),
    # Schema v7: the state each party belongs to and its role.
    Column("actor_state", Text),
    Column("actor_role", Text),
    Column("target_state", Text),
    Column("target_role", Text),
)
Index("events_story", events.c.story)
Index("events_date", events.c.date)

# Claims and briefs (schema v6), per story.
claims = Table(
    "claims",
    metadata,
    Column("id", Text, primary_key=True),
    Column("story", Text, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("sources", JSON, nullable=False, default=list),
    Column("independent_sources", Integer, nullable=False),
    Column("discrepancies", JSON, nullable=False, default=list),
)
Index("claims_story", claims.c.story)

briefs = Table(
    "briefs",
    metadata,
    Column("story", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("sentences", JSON, nullable=False, default=list),
    Column("new_since", Text),
    Column("new", JSON, nullable=False, default=list),
)

# Input files already ingested (schema v9), by absolute path: what ``storyline
# watch`` saw of each (size, modification time, content hash), so a restart
# reads only new or changed files.
ingested_files = Table(
    "ingested_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("digest", Text, nullable=False),
    Column("ingested_at", Text, nullable=False),
)
