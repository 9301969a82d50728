"""The HTML pages over the analysed demo corpus, and hostile article text."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.conftest import REPO
from tests.fixtures import HOSTILE_ARTICLE


def test_stories_list_and_filters(client: TestClient) -> None:
    stories = client.get("/api/v1/stories").json()["items"]
    page = client.get("/").text
    for story in stories:
        assert f'href="/stories/{story["id"]}"' in page
        assert html.escape(story["label"], quote=False) in page
    filtered = client.get("/", params={"entity": "Ashdown"}).text
    shown = set(re.findall(r'href="/stories/(\w+)"', filtered))
    assert shown and shown < {s["id"] for s in stories}
    nothing = client.get("/", params={"entity": "Nobody Atall"}).text
    assert "No stories match." in nothing


def test_story_page_cites_passages_in_documents(client: TestClient) -> None:
    story = client.get("/api/v1/stories").json()["items"][-1]
    page = client.get(f"/stories/{story['id']}").text
    for section in ("Brief", "Sources", "Quotes as each outlet reports them", "Key entities"):
        assert f">{section}" in page, section
    cites = re.findall(r'class="cite" href="(/documents/\w+\?start=\d+&amp;end=\d+#cited)"', page)
    assert cites
    target = html.unescape(cites[0])
    doc_page = client.get(target).text
    cited = re.search(r'<mark class="cited" title="" id="cited">(.*?)</mark>', doc_page, re.S)
    assert cited and cited.group(1).strip()
    brief = client.get(f"/api/v1/stories/{story['id']}/brief").json()
    first = brief["sentences"][0]
    assert first["citations"][0]["doc"] in target


def test_lineage_graph_on_a_story_with_copies(client: TestClient) -> None:
    derivation = client.get("/api/v1/derivations").json()["items"][0]
    story = next(
        s
        for s in client.get("/api/v1/stories").json()["items"]
        if derivation["derived_doc"] in s["docs"]
    )
    page = client.get(f"/stories/{story['id']}").text
    assert "Who copied whom" in page and '<svg class="lineage"' in page
    assert derivation["kind"] in page


def test_document_entity_storyline_and_search_pages(client: TestClient) -> None:
    entity = client.get("/api/v1/entities", params={"name": "Ellison"}).json()["items"][0]
    page = client.get(f"/entities/{entity['id']}").text
    assert "Marta Ellison" in page and "<h2>Quotes</h2>" in page
    assert page.count("#cited") >= 1

    search = client.get("/search", params={"q": "Ellison"}).text
    assert f'href="/entities/{entity["id"]}"' in search
    assert "<b>Ellison</b>" in search

    line = client.get("/api/v1/storylines").json()["items"][0]
    page = client.get(f"/storylines/{line['id']}").text
    for story_id in line["stories"]:
        assert f'href="/stories/{story_id}"' in page

    doc = client.get("/api/v1/documents").json()["items"][0]
    page = client.get(f"/documents/{doc['id']}").text
    assert '<mark class="ent' in page
    if doc["removed"]:
        assert "Removed as page junk" in page


def test_unknown_pages_are_404(client: TestClient) -> None:
    for url in ("/stories/nope", "/documents/nope", "/entities/nope", "/storylines/nope"):
        response = client.get(url)
        assert response.status_code == 404 and "nope" in response.text


def test_hostile_article_text_is_escaped_everywhere(client: TestClient) -> None:
    made = client.post(
        "/api/v1/documents",
        json={"text": HOSTILE_ARTICLE, "outlet": "<b>Evil</b> Times", "title": "<i>t</i>"},
    ).json()
    pages = [
        client.get(f"/documents/{made['document']}").text,
        client.get(f"/stories/{made['story']['id']}").text,
        client.get("/").text,
        client.get("/search", params={"q": "harbour board"}).text,
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<b>Evil</b>" not in page and "<i>t</i>" not in page
    assert "&lt;script&gt;" in pages[0] and "&lt;b&gt;Evil&lt;/b&gt; Times" in pages[0]


TRAVERSALS = [
    "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2Fetc%2Fpasswd",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "..%5c..%5c..%5cetc%5cpasswd",
]


def test_no_url_reaches_a_file_outside_the_app(client: TestClient) -> None:
    """No route serves files; every path parameter and the raw path itself,
    given a way out of a folder, answers with a 4xx and no file."""
    code = " ".join(p.read_text() for p in (REPO / "src" / "storyline" / "web").glob("*.py"))
    assert "StaticFiles" not in code and "FileResponse" not in code
    pages = ["/stories/{id}", "/storylines/{id}", "/documents/{id}", "/entities/{id}"]
    api = [p for p, ops in client.get("/openapi.json").json()["paths"].items() if "get" in ops]
    paths = pages + api
    urls = [f"/{t}" for t in TRAVERSALS] + [f"/docs/{t}" for t in TRAVERSALS]
    for path in paths:
        if "{" in path:
            urls += [re.sub(r"\{[^}]+\}", t, path) for t in TRAVERSALS]
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        assert "root:" not in response.text, url
