"""Small articles written for the tests (fictional places and people)."""

HEADLINE_ARTICLE = """Ferry service to Tarn Island suspended after storm damage

The only ferry linking Tarn Island to the mainland was suspended on Monday after a storm tore \
away part of the loading ramp at Westhaven, the operator said.

"We will not sail until the ramp is safe," said Ruth Okafor, chief executive of Tarn Ferries. \
Repairs are expected to take two weeks.

Islanders said food deliveries had already slowed. The county council has asked the coastguard \
to run an emergency supply boat.
"""

PARAGRAPH_FIRST = """The county council of Westhaven voted on Tuesday to double the budget for \
flood barriers, after two storms in a month flooded the harbour district.

Council leader Imran Castell said the money would come from reserves. "We cannot wait for \
the next storm," he told the chamber.
"""

FRENCH_ARTICLE = """Le conseil municipal de Westhaven a voté mardi une hausse du budget consacré \
aux digues, après deux tempêtes qui ont inondé le quartier du port en un mois.

Le maire a déclaré que les travaux commenceraient au printemps.
"""

HOSTILE_ARTICLE = """<script>alert('x')</script> Harbour board resigns

The harbour board of Westhaven resigned on Friday. <img src=x onerror=alert(1)> A spokesman \
for the board, Piet Larsen, said the decision was final.
"""

HARBOUR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour crane collapses at Westhaven | Westhaven Gazette</title>
<meta property="og:title" content="Harbour crane collapses at Westhaven">
<meta property="og:site_name" content="Westhaven Gazette">
<meta name="author" content="Mara Lindqvist">
<meta property="article:published_time" content="2026-04-14T09:30:00+00:00">
<link rel="canonical" href="https://westhaven-gazette.example/news/crane-collapse">
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all</div>
<article>
<h1>Harbour crane collapses at Westhaven</h1>
<p>A container crane collapsed onto the quay at Westhaven harbour early on Tuesday, \
crushing two empty trucks and closing the northern berth, the harbour authority said.</p>
<p>Nobody was hurt. "The crane had passed its inspection in March," said Oskar Brandt, \
the authority's head of operations, who added that engineers would examine the wreck \
before any ship is allowed to dock at the berth again.</p>
<p>Dock workers have complained for months about the age of the cranes, which were \
installed in the 1980s. Their union said it would ask the county council for an \
independent inquiry into maintenance at the port.</p>
<p>Ferries to Tarn Island sail from the southern quay and were not affected.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Council budget vote</a></li></ul></aside>
<footer>© 2026 Westhaven Gazette. All rights reserved.</footer>
</body>
</html>
"""
