"""The actor network in the report folder: drawn, listed, each edge leading to its
events and their documents."""

from __future__ import annotations

import re
from pathlib import Path

from storyline.report import write_report
from storyline.settings import Settings
from storyline.store import open_store


def test_report_draws_the_network_and_links_each_edge_to_its_sources(
    dated_seed_settings: Settings, tmp_path: Path
) -> None:
    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        page = write_report(store, tmp_path / "report").read_text("utf-8")
        docs = {d.id for d in store.iter_documents()}
    section = page[page.index("<h2>Actor network</h2>") : page.index("<h2>Most-named entities")]
    svg = section[section.index('<svg class="network"') : section.index("</svg>")]
    edges = re.findall(r'<a href="#(edge-\d+)"><path class="edge (coop|conflict)"', svg)
    assert edges and {kind for _, kind in edges} == {"coop", "conflict"}
    for anchor, _ in edges:
        row = section[section.index(f'id="{anchor}"') :].split("</tr>")[0]
        cited = set(re.findall(r'href="#doc-([0-9a-f]+)"', row))
        assert cited and cited <= docs
    assert "Vladimir Putin" in svg and "threaten" in section
