"""Temporal normalisation on TempEval-3 AQUAINT: value accuracy against TIMEX3 gold.

Each article's creation time (DCT) anchors it. storyline finds temporal
expressions with the spaCy model's DATE/TIME entities and resolves them
(``storyline.stages.timex``); a gold TIMEX3 counts as found when one of
ours overlaps it, and right when our value equals the gold value. Printed:
extraction recall, value accuracy over found expressions and over all gold
expressions, beside HeidelTime's and SUTime's published value accuracy.

    python bench/timex.py
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

from storyline.settings import load_settings
from storyline.stages.annotate import load_model
from storyline.stages.time import expressions

AQUAINT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "tempeval3" / "AQUAINT"


def _gold(path: Path) -> tuple[str, date, list[tuple[int, int, str, str]]]:
    """Plain text of TEXT, the creation date, and (start, end, text, value) of each TIMEX3."""
    raw = path.read_text(encoding="utf-8")
    value = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', raw)
    assert value is not None, path
    anchor = date.fromisoformat(value.group(1)[:10])
    body = ET.fromstring(raw[raw.index("<TEXT>") : raw.index("</TEXT>") + 7])
    text, gold = [body.text or ""], []
    pos = len(text[0])
    for node in body.iter():
        if node is body:
            continue
        inner = "".join(node.itertext()) if node.tag == "TIMEX3" else (node.text or "")
        if node.tag == "TIMEX3":
            gold.append((pos, pos + len(inner), inner, node.get("value", "")))
        if node.tag in ("TIMEX3", "EVENT", "SIGNAL"):
            text.append(inner)
            pos += len(inner)
        tail = node.tail or ""
        text.append(tail)
        pos += len(tail)
    return "".join(text), anchor, gold


def main() -> None:
    nlp = load_model(load_settings(environ={}).spacy_model)
    found = right = total = 0
    for path in sorted(AQUAINT.glob("*.tml")):
        text, anchor, gold = _gold(path)
        ours = expressions(nlp(text), anchor)
        total += len(gold)
        for start, end, _, value in gold:
            match = next((t for t in ours if t.start < end and t.end > start), None)
            if match is not None:
                found += 1
                right += int(match.value == value)
    report: dict[str, Any] = {
        "benchmark": "timex",
        "data": "TempEval-3 AQUAINT",
        "gold_expressions": total,
        "extraction_recall": round(found / total, 4),
        "value_accuracy_found": round(right / found, 4) if found else 0.0,
        "value_accuracy_all": round(right / total, 4),
        "published_value_accuracy": {"HeidelTime": 0.8, "SUTime": 0.8},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
