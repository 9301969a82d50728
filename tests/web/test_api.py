"""The JSON API over the analysed demo corpus: every endpoint, its filters and its errors."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.store import open_store
from tests.conftest import DEMO
from tests.fixtures import HARBOUR_PAGE, HEADLINE_ARTICLE

TRUTH = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


def _all(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, read a small page at a time."""
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(url, params={**params, "limit": 3, "offset": len(items)}).json()
        items += page["items"]
        if len(items) >= page["total"] or not page["items"]:
            return items


def test_stories_list_pages_through_every_story(client: TestClient) -> None:
    stories = _all(client, "/api/v1/stories")
    assert len(stories) == len(TRUTH["stories"])
    assert len({s["id"] for s in stories}) == len(stories)
    ends = [s["end"] or s["start"] for s in stories]
    assert ends == sorted(ends, reverse=True)
    docs = [d for s in stories for d in s["docs"]]
    assert len(docs) == len(set(docs))


def test_story_filters(client: TestClient) -> None:
    stories = _all(client, "/api/v1/stories")
    first = min(stories, key=lambda s: s["start"])
    late = _all(client, "/api/v1/stories", since=max(s["start"] for s in stories))
    assert first["id"] not in {s["id"] for s in late} and late
    early = _all(client, "/api/v1/stories", until=first["start"])
    assert first["id"] in {s["id"] for s in early}
    assert all(s["start"] <= first["start"] for s in early)

    doc = client.get(f"/api/v1/documents/{first['docs'][0]}").json()
    by_outlet = _all(client, "/api/v1/stories", outlet=doc["outlet"])
    assert first["id"] in {s["id"] for s in by_outlet}
    for story in by_outlet:
        outlets = {client.get(f"/api/v1/documents/{d}").json()["outlet"] for d in story["docs"]}
        assert doc["outlet"] in outlets

    entity = client.get("/api/v1/entities", params={"name": "Northgate"}).json()["items"][0]
    named = _all(client, "/api/v1/stories", entity=entity["id"])
    mentioned_in = {
        m["doc"] for m in client.get(f"/api/v1/entities/{entity['id']}").json()["mentions"]
    }
    assert named and all(set(s["docs"]) & mentioned_in for s in named)

    hits = _all(client, "/api/v1/stories", q="Ashdown")
    assert hits and len(hits) < len(stories)


def test_story_and_its_brief(client: TestClient) -> None:
    for story in _all(client, "/api/v1/stories"):
        got = client.get(f"/api/v1/stories/{story['id']}").json()
        assert got == story
        brief = client.get(f"/api/v1/stories/{story['id']}/brief").json()
        assert brief["story"] == story["id"] and brief["sentences"]
        for sentence in brief["sentences"]:
            assert sentence["citations"]
            for cite in sentence["citations"]:
                assert cite["doc"] in story["docs"]
                text = client.get(f"/api/v1/documents/{cite['doc']}").json()["text"]
                assert text[cite["start"] : cite["end"]].strip()


def test_unknown_ids_are_404_with_a_message(client: TestClient) -> None:
    for url in (
        "/api/v1/stories/nope",
        "/api/v1/stories/nope/brief",
        "/api/v1/storylines/nope",
        "/api/v1/documents/nope",
        "/api/v1/entities/nope",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "'nope'" in response.json()["detail"]


def test_documents_are_the_record_type(client: TestClient) -> None:
    docs = _all(client, "/api/v1/documents")
    assert len(docs) == client.get("/api/v1/documents").json()["total"]
    assert len({d["id"] for d in docs}) == len(docs)
    doc = docs[0]
    assert "parse" not in doc
    for key in ("text", "raw_text", "removed", "sentences", "mentions", "quotes", "times"):
        assert key in doc
    story = client.get("/api/v1/stories").json()["items"][0]
    members = _all(client, "/api/v1/documents", story=story["id"])
    assert sorted(d["id"] for d in members) == sorted(story["docs"])


def test_entities_quotes_events_claims(client: TestClient) -> None:
    entities = client.get("/api/v1/entities", params={"name": "ELLISON"}).json()["items"]
    assert [e["name"] for e in entities] == ["Marta Ellison"]
    ellison = client.get(f"/api/v1/entities/{entities[0]['id']}").json()
    assert ellison["mentions"] and all(m["entity"] == ellison["id"] for m in ellison["mentions"])
    places = _all(client, "/api/v1/entities", type="gpe")
    assert places and all(e["type"] == "GPE" for e in places)

    said = _all(client, "/api/v1/quotes", speaker=ellison["id"])
    assert said and all(q["speaker"] == ellison["id"] for q in said)
    story = client.get("/api/v1/stories").json()["items"][-1]
    quotes = _all(client, "/api/v1/quotes", story=story["id"])
    assert quotes and all(q["doc"] in story["docs"] for q in quotes)
    clustered = next(q for q in quotes if q["cluster"])
    same = _all(client, "/api/v1/quotes", cluster=clustered["cluster"])
    assert len({q["doc"] for q in same}) >= 2

    events = _all(client, "/api/v1/events")
    dated = [e["date"] for e in events if e["date"]]
    assert dated == sorted(dated)
    since = _all(client, "/api/v1/events", since=dated[len(dated) // 2])
    assert all(e["date"] and e["date"] >= dated[len(dated) // 2] for e in since)

    claims = _all(client, "/api/v1/claims", story=story["id"])
    counts = [c["independent_sources"] for c in claims]
    assert claims and counts == sorted(counts, reverse=True)
    assert all(s["doc"] in story["docs"] for c in claims for s in c["sources"])


def test_derivations_and_search(client: TestClient) -> None:
    derivations = _all(client, "/api/v1/derivations")
    # An exact duplicate is stored once (another source of one document), not derived.
    assert len(derivations) == len([d for d in TRUTH["derivations"] if d["kind"] != "duplicate"])
    syndicated = _all(client, "/api/v1/derivations", kind="syndicated")
    assert syndicated and all(d["kind"] == "syndicated" for d in syndicated)
    doc = derivations[0]["derived_doc"]
    assert doc in {d["derived_doc"] for d in _all(client, "/api/v1/derivations", doc=doc)}
    assert client.get("/api/v1/derivations", params={"kind": "copied"}).status_code == 422

    hits = client.get("/api/v1/search", params={"q": "Northgate"}).json()
    assert hits and all("«" in h["snippet"] for h in hits)
    assert client.get("/api/v1/search").status_code == 422


def test_nul_in_a_filter_or_an_id_is_a_clear_422(client: TestClient) -> None:
    for url, params in (
        ("/api/v1/stories", {"outlet": "a\x00b"}),
        ("/api/v1/documents/ab%00cd", {}),
        ("/", {"q": "\x00"}),
    ):
        response = client.get(url, params=params)
        assert response.status_code == 422, url
        assert "NUL" in response.text


def test_bad_paging_is_a_clear_422(client: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"since": "yesterday"}):
        response = client.get("/api/v1/stories", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"][-1] in params


def _counts(settings: Settings) -> tuple[int, int]:
    with open_store(settings.db, settings, read_only=True) as store:
        stats = store.stats()
    return stats.documents, stats.stories


def test_post_ingests_and_returns_the_story(client: TestClient, web_settings: Settings) -> None:
    before = _counts(web_settings)
    body = {"text": HEADLINE_ARTICLE, "outlet": "Westhaven Gazette", "published": "2026-05-04"}
    response = client.post("/api/v1/documents", json=body)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["added"] is True and made["story"]["docs"] == [made["document"]]
    doc = client.get(f"/api/v1/documents/{made['document']}").json()
    assert doc["outlet"] == "Westhaven Gazette" and doc["published"].startswith("2026-05-04")
    assert doc["sentences"] and doc["mentions"]
    assert _counts(web_settings) == (before[0] + 1, before[1] + 1)

    again = client.post("/api/v1/documents", json=body)
    assert again.status_code == 200 and again.json()["added"] is False
    assert again.json()["story"]["id"] == made["story"]["id"]

    page = client.post("/api/v1/documents", json={"html": HARBOUR_PAGE})
    assert page.status_code == 201
    assert client.get(f"/api/v1/documents/{page.json()['document']}").json()["source"] == (
        "https://westhaven-gazette.example/news/crane-collapse"
    )
    assert _counts(web_settings)[0] == before[0] + 2


def test_bad_posts_are_4xx_and_change_nothing(client: TestClient, web_settings: Settings) -> None:
    before = _counts(web_settings)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"content": b"{not json"}, 422, "JSON"),
        ({"json": {"title": "no text"}}, 422, "no 'text' or 'html'"),
        ({"json": {"text": "   "}}, 422, "no 'text' or 'html'"),
        ({"json": {"html": "<html><nav>Home</nav></html>"}}, 422, "no article text"),
        ({"json": {"text": HEADLINE_ARTICLE, "colour": "red"}}, 422, "colour"),
        ({"json": {"text": 42}}, 422, "text"),
        ({"json": ["a", "list"]}, 422, ""),
        ({"content": b"x" * 6_000_000}, 413, "limit"),
    ]
    for request, status, words in cases:
        response = client.post(
            "/api/v1/documents", headers={"content-type": "application/json"}, **request
        )
        assert response.status_code == status, (request.keys(), response.text)
        assert words in response.text
    assert _counts(web_settings) == before


def test_a_chunked_body_is_cut_off_at_the_limit(demo_settings: Settings, tmp_path: Any) -> None:
    from storyline.web import create_app
    from tests.web.conftest import copy_store

    settings = copy_store(demo_settings, tmp_path / "small.db", max_request_bytes=1000)

    def chunks() -> Any:
        yield b'{"text": "'
        for _ in range(100):
            yield b"word " * 20
        yield b'"}'

    with TestClient(create_app(settings)) as small:
        response = small.post(
            "/api/v1/documents", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert _counts(settings) == _counts(demo_settings)


def test_token_guards_writes(demo_settings: Settings, tmp_path: Any) -> None:
    from storyline.web import create_app
    from tests.web.conftest import copy_store

    settings = copy_store(demo_settings, tmp_path / "token.db", token="s3cret-token")
    body = {"text": HEADLINE_ARTICLE}
    with TestClient(create_app(settings)) as guarded:
        assert guarded.get("/api/v1/stories").status_code == 200
        assert guarded.post("/api/v1/documents", json=body).status_code == 401
        wrong = {"Authorization": "Bearer s3cret-tokem"}
        assert guarded.post("/api/v1/documents", json=body, headers=wrong).status_code == 401
        right = {"Authorization": "Bearer s3cret-token"}
        assert guarded.post("/api/v1/documents", json=body, headers=right).status_code == 201


def test_a_client_over_the_rate_limit_is_told_to_wait(
    demo_settings: Settings, tmp_path: Any
) -> None:
    from storyline.web import create_app
    from tests.web.conftest import copy_store

    settings = copy_store(demo_settings, tmp_path / "rate.db", rate_limit=2.0)
    with TestClient(create_app(settings)) as limited:
        statuses = [limited.get("/api/v1/storylines").status_code for _ in range(8)]
        assert statuses[:4] == [200] * 4 and 429 in statuses
        refused = limited.get("/api/v1/storylines")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "requests per second" in refused.json()["detail"]


def test_read_only_server_refuses_writes(web_settings: Settings) -> None:
    from storyline.web import create_app

    before = _counts(web_settings)
    with TestClient(create_app(web_settings, read_only=True)) as reader:
        assert reader.get("/api/v1/stories").json()["total"] == before[1]
        response = reader.post("/api/v1/documents", json={"text": HEADLINE_ARTICLE})
        assert response.status_code == 403 and "read-only" in response.text
    assert _counts(web_settings) == before


def test_openapi_names_the_record_types(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for record in ("Document", "Story", "Storyline", "Entity", "Quote", "Event", "Claim",
                   "Derivation", "Brief"):  # fmt: skip
        assert record in schemas, record
    assert "parse" not in json.dumps(spec["paths"]["/api/v1/documents/{doc_id}"])
    assert client.get("/docs").status_code == 200
