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

# A page with no date anywhere, so an archive's fetch date is all there is.
LOCK_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Lock gates at Eastmoor canal to be replaced | Canal News</title>
<meta property="og:site_name" content="Canal News">
</head>
<body>
<header><a href="/">Canal News</a> <a href="/subscribe">Subscribe</a></header>
<main>
<article>
<h1>Lock gates at Eastmoor canal to be replaced</h1>
<p>The wooden lock gates at Eastmoor, which leaked so badly last winter that barges \
queued for hours, will be replaced with steel gates, the canal trust said.</p>
<p>"The old gates have done their job for ninety years," said trust engineer Lena Vos. \
Work will close the lock to boats for six weeks, and the towpath will stay open.</p>
<p>Boat owners asked the trust to publish a timetable so that they can plan trips \
around the closure, and the trust said it would do so once a contractor was chosen.</p>
</article>
</main>
<footer>Canal News, Eastmoor</footer>
</body>
</html>
"""

# A page whose article is not in a block trafilatura recognises: only its
# JSON-LD carries the body, with the title in its <meta> tags.
SCRIPTED_PAGE = """<!DOCTYPE html>
<html><head>
<meta property="og:title" content="Westhaven library reopens after flood repairs">
<meta name="description" content="The library reopened on Saturday.">
<meta property="og:site_name" content="Westhaven Weekly">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Westhaven library reopens after flood repairs",
 "datePublished": "2026-05-09",
 "articleBody": "Westhaven's central library reopened on Saturday, eight months after \
floodwater ruined its ground floor. The council spent most of the repair budget on raising \
the shelving and the electrics above the level the water reached. Librarian Ada Mensah said \
the children's section had been rebuilt upstairs, where it would stay."}
</script>
</head>
<body><div id="app"></div><script>render()</script></body></html>
"""

# An RSS 2.0 feed: the first entry links to HARBOUR_PAGE's canonical URL, the
# second has full content, the third is broken (no text, a date nobody reads),
# the fourth only a summary.
HARBOUR_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Westhaven Gazette</title>
<link>https://westhaven-gazette.example/</link>
<description>News from Westhaven</description>
<language>en-gb</language>
<item>
<title>Harbour crane collapses at Westhaven</title>
<link>https://westhaven-gazette.example/news/crane-collapse?utm_source=rss</link>
<description>A container crane collapsed onto the quay at Westhaven harbour early on \
Tuesday, the harbour authority said.</description>
<pubDate>Tue, 14 Apr 2026 09:30:00 GMT</pubDate>
</item>
<item>
<title>Tarn Island ferry back in service after ramp repairs</title>
<link>https://westhaven-gazette.example/news/ferry-returns</link>
<dc:creator>Mara Lindqvist</dc:creator>
<pubDate>Thu, 16 Apr 2026 07:00:00 +0100</pubDate>
<content:encoded><![CDATA[<p>The ferry linking Tarn Island to the mainland sailed again \
on Thursday morning, two weeks after a storm damaged the loading ramp at Westhaven.</p>
<p>"The ramp is stronger than it was before the storm," said Ruth Okafor, chief executive \
of Tarn Ferries. Islanders cheered the first crossing from the quay.</p>]]></content:encoded>
</item>
<item>
<title>Broken entry</title>
<link>https://westhaven-gazette.example/news/broken</link>
<pubDate>the day after tomorrow</pubDate>
</item>
<item>
<title>Council to review harbour safety rules</title>
<link>https://westhaven-gazette.example/news/safety-review</link>
<description><![CDATA[<p>Westhaven county council will review safety rules for the \
harbour after the crane collapse, its leader Imran Castell said on Wednesday.</p>]]></description>
<pubDate>Wed, 15 Apr 2026 18:00:00 GMT</pubDate>
</item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Canal News</title>
<id>urn:canal-news</id>
<updated>2026-05-02T10:00:00Z</updated>
<entry>
<title>Eastmoor lock closes for six weeks of repairs</title>
<id>urn:canal-news:lock-closes</id>
<link href="https://canal-news.example/lock-closes"/>
<updated>2026-05-02T10:00:00Z</updated>
<author><name>Lena Brook</name></author>
<content type="html">&lt;p&gt;Boats could no longer pass through Eastmoor lock on Saturday, \
when contractors drained it to fit the new steel gates that the canal trust ordered \
in the spring.&lt;/p&gt;</content>
</entry>
</feed>
"""

RDF_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://westhaven-weekly.example/">
<title>Westhaven Weekly</title>
<link>https://westhaven-weekly.example/</link>
<description>Weekly news</description>
</channel>
<item rdf:about="https://westhaven-weekly.example/market">
<title>Fish market moves to the northern quay</title>
<link>https://westhaven-weekly.example/market</link>
<description>The Saturday fish market will move to the northern quay next month while the \
southern quay is resurfaced, the harbour authority announced.</description>
<dc:date>2026-05-06T08:00:00Z</dc:date>
</item>
</rdf:RDF>
"""

# A site template that wraps its article in a block named like a comment
# section, which trafilatura's main extraction discards.
MISNAMED_PAGE = """<!DOCTYPE html>
<html><head>
<meta property="og:title" content="Ferry fares to rise by a tenth in June">
<meta property="og:site_name" content="Tarn Island Times">
<meta name="author" content="Piet Larsen">
<meta name="date" content="2026-05-28">
<title>Tarn Island Times</title>
</head><body>
<div class="comments-section-wrapper">
<p>Tarn Ferries will raise its fares by a tenth from the first of June, the company told \
islanders in a letter on Wednesday.</p>
<p>A return ticket for a car and two passengers will cost 46 pounds. "Fuel has never cost \
us more," chief executive Ruth Okafor wrote.</p>
</div>
</body></html>
"""
