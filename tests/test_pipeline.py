from __future__ import annotations

import pytest

from storyline import pipeline
from storyline.errors import PipelineError
from storyline.executors.local import analyze
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.store import Store
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST


def test_unknown_stage_is_named() -> None:
    with pytest.raises(PipelineError, match="unknown stage 'cluster'"):
        pipeline.check_order(["annotate", "cluster"])


def test_stage_before_what_it_needs_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    needs_mentions = pipeline.StageSpec(
        "quotes",
        frozenset({"mentions"}),
        frozenset({"quotes"}),
        pipeline.REGISTRY["annotate"].build,
        "",
    )
    monkeypatch.setitem(pipeline.REGISTRY, "quotes", needs_mentions)
    with pytest.raises(PipelineError, match="'quotes' needs mentions"):
        pipeline.check_order(["quotes", "annotate"])
    assert [s.name for s in pipeline.check_order(["annotate", "quotes"])] == ["annotate", "quotes"]


def test_version_changes_with_the_stage_list() -> None:
    assert pipeline.pipeline_version(["annotate"]) != pipeline.pipeline_version(["annotate", "x"])
    assert pipeline.pipeline_version(["annotate"]) == pipeline.pipeline_version(["annotate"])


def test_analysis_runs_once_per_document_and_reports_progress(
    store: Store, settings: Settings
) -> None:
    store.add_documents(
        [
            make_document(HEADLINE_ARTICLE, "a", settings),
            make_document(PARAGRAPH_FIRST, "b", settings),
        ]
    )
    calls: list[tuple[int, int]] = []
    first = analyze(store, settings, progress=lambda done, total: calls.append((done, total)))
    assert first.analyzed == 2 and calls[0] == (0, 2) and calls[-1] == (2, 2)
    assert analyze(store, settings).analyzed == 0
    assert analyze(store, settings, force=True).analyzed == 2
    assert store.stats().entities > 0
