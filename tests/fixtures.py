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
