"""The network page and the network API over the demo store."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_network_page_draws_edges_that_link_to_their_documents(client: TestClient) -> None:
    page = client.get("/network")
    assert page.status_code == 200
    assert '<svg class="network"' in page.text and 'href="#edge-0"' in page.text
    row = page.text[page.text.index('id="edge-0"') :].split("</tr>")[0]
    doc = row.split('href="/documents/')[1].split('"')[0]
    assert client.get(f"/documents/{doc}").status_code == 200
    assert '<a href="/network">Network</a>' in page.text
    early = client.get("/network", params={"as_of": "2026-03-01"})
    assert early.status_code == 200 and "No relations between actors" in early.text
    assert client.get("/network", params={"actor": "Nobody at all"}).status_code == 404


def test_network_api(client: TestClient) -> None:
    found = client.get("/api/v1/network", params={"actor": "Ministry of Water"})
    assert found.status_code == 200
    data = found.json()
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert any(
        names[e["source"]] == "Ministry of Water" and e["type"] == "sanction" and e["score"] < 0
        for e in data["edges"]
    )
    assert client.get("/api/v1/network", params={"as_of": "March"}).status_code == 422


PROTEST = """Serbia protests over Hungary-Austria pact

Serbia summoned Hungary's ambassador on Wednesday to protest against the defence pact \
that Hungary and Austria signed on Monday. Belgrade said the treaty threatened the region."""


def _relations(client: TestClient) -> set[tuple[str, str, str]]:
    data = client.get("/api/v1/network").json()
    names = {n["id"]: n["name"] for n in data["nodes"]}
    return {(names[e["source"]], e["type"], names[e["target"]]) for e in data["edges"]}


def test_the_network_is_built_once_until_new_analysis(client: TestClient) -> None:
    cache = client.app.state.storyline.networks  # type: ignore[attr-defined]
    first = _relations(client)
    assert client.get("/network").status_code == 200
    assert _relations(client) == first and cache.builds == 1
    body = {"text": PROTEST, "outlet": "Balkan Post", "published": "2026-05-06"}
    assert client.post("/api/v1/documents", json=body).status_code == 201
    after = _relations(client)
    assert cache.builds == 2
    assert after - first == {("Serbia", "protest", "Hungary")}
    assert client.get("/network", params={"actor": "Serbia"}).status_code == 200
    assert cache.builds == 2
