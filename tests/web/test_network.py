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
