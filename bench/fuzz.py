"""Coverage-guided fuzzing of the readers and the text stages with atheris (libFuzzer).

Each target is a kind of input that ``storyline ingest`` reads: the fuzzer's
bytes are written to a file with the target's extension and read by
``read_inputs``, exactly as a file on disk is (sniffing, decompression,
archives and the reader). ``stages`` instead decodes the bytes as text and
runs the clean stage, quote spans and temporal resolution over it.

A reader may answer any input with documents and problems naming it. A crash
is anything else: an exception escaping, a document whose text is empty,
too long or not storable, a problem that does not name the file, an input
taking more than ``--timeout`` seconds or memory past ``--rss-mb``. libFuzzer
then saves the input as ``crash-*`` (or ``timeout-*``, ``oom-*``) under
``--out`` and this script exits non-zero.

Every target runs in its own process for ``--seconds``, from seeds made of
the demo corpus (wrapped as a page, feeds, web archives, zip, gzip, bzip2 and
xz files, JSON Lines), with storyline, feedparser, warcio, trafilatura and
htmldate instrumented for coverage. Prints one JSON object: per target the
inputs run, the coverage reached and the crashes.

    python bench/fuzz.py [--seconds 60] [--targets html,feed] [--out DIR]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import lzma
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

# The extension each reader target's inputs are written under.
READER_TARGETS = {
    "html": ".html",
    "feed": ".xml",
    "warc": ".warc",
    "archive": ".zip",
    "compressed": ".gz",
    "jsonl": ".jsonl",
    "text": ".txt",
}
TARGETS = [*READER_TARGETS, "stages"]
MAX_FILE_BYTES = 1_000_000
MAX_DOC_CHARS = 200_000
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_STATS = re.compile(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)")


def demo_articles() -> list[dict[str, str]]:
    path = Path(str(files("storyline") / "data" / "demo" / "articles.jsonl"))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _page(article: dict[str, str]) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["text"].split("\n") if p.strip())
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(article['title'])}</title>"
        f'<meta property="og:site_name" content="{escape(article["outlet"])}">'
        f'<meta property="article:published_time" content="{article["published"]}">'
        f'<link rel="canonical" href="{article["url"]}"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(article['title'])}</h1>"
        f"{paragraphs}</article><footer>&copy; 2026</footer></body></html>"
    )


def _rss(articles: list[dict[str, str]]) -> str:
    items = "".join(
        f"<item><title>{escape(a['title'])}</title><link>{a['url']}</link>"
        f"<pubDate>Mon, 02 Mar 2026 21:10:00 GMT</pubDate>"
        f"<description>{escape(_page(a))}</description></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(articles[0]['outlet'])}</title>{items}</channel></rss>"
    )


def _atom(article: dict[str, str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(article['outlet'])}</title><entry><title>{escape(article['title'])}"
        f'</title><link href="{article["url"]}"/><updated>{article["published"]}</updated>'
        f'<content type="text">{escape(article["text"])}</content></entry></feed>'
    )


def _warc(articles: list[dict[str, str]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for article in articles:
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            article["url"],
            "response",
            payload=io.BytesIO(_page(article).encode()),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2026-03-03T08:00:00Z"},
        )
        writer.write_record(record)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def seeds(target: str) -> list[bytes]:
    """Well-formed inputs of the target's kind, written from the demo corpus."""
    articles = demo_articles()[:3]
    first = articles[0]
    page = _page(first).encode()
    text = f"{first['title']}\n\n{first['text']}".encode()
    by_target: dict[str, list[bytes]] = {
        "html": [page, _page(articles[1]).encode("cp1252", "replace")],
        "feed": [_rss(articles).encode(), _atom(first).encode()],
        "warc": [_warc(articles[:2], gz=False), _warc(articles[:1], gz=True)],
        "archive": [
            _zip({"a/story.txt": text, "b/page.html": page}),
            _zip({"feed.rss": _rss(articles[:1]).encode(), "inner.zip": _zip({"x.txt": text})}),
        ],
        "compressed": [gzip.compress(page), bz2.compress(text), lzma.compress(page)],
        "jsonl": ["".join(json.dumps(a) + "\n" for a in articles).encode()],
        "text": [text],
        "stages": [text, "“A quote,” she said. ‘Never closed\n\u202e\u200b".encode()],
    }
    return by_target[target]


def _reader_target(suffix: str, work: Path) -> Any:
    """Bytes -> a file under this extension -> ``read_inputs``, with the checks."""
    from storyline.errors import Problem
    from storyline.ids import document_id
    from storyline.model import Document
    from storyline.settings import load_settings
    from storyline.stages.ingest import UNEXPECTED, read_inputs
    from storyline.stages.ingest.build import storable

    settings = load_settings(environ={}, max_file_bytes=MAX_FILE_BYTES, max_doc_chars=MAX_DOC_CHARS)
    path = work / f"input{suffix}"
    name = str(path)

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        for item in read_inputs([path], settings):
            if isinstance(item, Problem):
                if not item.source.startswith(name) or UNEXPECTED in item.message:
                    raise AssertionError(f"a reader's own failure: {item}")
                continue
            if not isinstance(item, Document):
                raise AssertionError(f"neither a document nor a problem: {item!r}")
            text = item.text
            if not text.strip() or len(text) > MAX_DOC_CHARS or storable(text) != text:
                raise AssertionError(f"a document with unfit text: {text[:200]!r}")
            if item.id != document_id(text) or item.raw_text != text:
                raise AssertionError("a document whose id or raw text is not its text's")
            for field in (item.title, item.outlet, item.byline, item.source):
                if field is not None and storable(field) != field:
                    raise AssertionError(f"metadata no store can keep: {field!r}")

    return one_input


def _stages_target() -> Any:
    import atheris

    from storyline.model import Document
    from storyline.stages.clean import clean_document
    from storyline.stages.ingest.build import storable
    from storyline.stages.quote_spans import quote_spans
    from storyline.stages.timex import resolve

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        anchor = date(1900, 1, 1) + timedelta(days=fdp.ConsumeIntInRange(0, 73_000))
        future = fdp.ConsumeBool()
        text = storable(fdp.ConsumeUnicode(fdp.remaining_bytes()))
        doc = clean_document(Document(id="x", source="fuzz", raw_text=text, text=text))
        for removed in doc.removed:
            if text[removed.start : removed.end] != removed.text:
                raise AssertionError(f"a removed span off its text: {removed}")
        for span in quote_spans(text):
            if not 0 <= span.outer_start <= span.start < span.end <= span.outer_end <= len(text):
                raise AssertionError(f"a quote span outside the text: {span}")
        resolve(text, anchor, future)

    return one_input


def run_target(target: str, work: Path, libfuzzer_args: list[str]) -> None:
    """In the child process: instrument, build the target, hand over to libFuzzer."""
    import atheris

    with atheris.instrument_imports(
        include=["storyline", "feedparser", "warcio", "trafilatura", "htmldate"]
    ):
        import feedparser  # noqa: F401  (imported here to be instrumented)
        import htmldate  # noqa: F401
        import trafilatura  # noqa: F401
        import warcio.archiveiterator  # noqa: F401

        if target == "stages":
            one_input = _stages_target()
        else:
            one_input = _reader_target(READER_TARGETS[target], work)
    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def fuzz(target: str, seconds: int, out: Path, timeout: int, rss_mb: int) -> dict[str, Any]:
    """One target in a child process for ``seconds``: its figures and crashes."""
    seed_dir, corpus, work = (out / target / name for name in ("seeds", "corpus", "work"))
    for folder in (seed_dir, corpus, work):
        folder.mkdir(parents=True, exist_ok=True)
    for index, data in enumerate(seeds(target)):
        (seed_dir / f"seed-{index}").write_bytes(data)
    artifacts = out / target / "crashes"
    artifacts.mkdir(exist_ok=True)
    command = [
        sys.executable, __file__, "--run", target, "--work", str(work), "--",
        f"-max_total_time={seconds}", f"-timeout={timeout}", f"-rss_limit_mb={rss_mb}",
        "-max_len=200000", "-print_final_stats=1", f"-artifact_prefix={artifacts}/",
        str(corpus), str(seed_dir),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    elapsed = time.perf_counter() - started
    log = done.stderr
    (out / target / "fuzz.log").write_text(log, encoding="utf-8")
    runs = _DONE.findall(log)
    stats = _STATS.findall(log)
    found = sorted(artifacts.iterdir())
    # libFuzzer also keeps inputs slower than 10 s (``slow-unit-*``): worth a
    # look, not failures (under instrumentation, a first use of a lazily
    # loaded library can take that long).
    crashes = [str(p) for p in found if not p.name.startswith("slow-unit-")]
    slow = [str(p) for p in found if p.name.startswith("slow-unit-")]
    return {
        "target": target,
        "seconds": round(elapsed, 1),
        "inputs": int(runs[-1][0]) if runs else (int(stats[-1][0]) if stats else 0),
        "coverage": int(stats[-1][1]) if stats else 0,
        "features": int(stats[-1][2]) if stats else 0,
        "corpus": sum(1 for _ in corpus.iterdir()),
        "exit_code": done.returncode,
        "crashes": crashes,
        "slow_units": slow,
        "crash_report": "" if done.returncode == 0 else log[-3000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="Fuzzing time per target.")
    parser.add_argument("--targets", default=",".join(TARGETS), help="Comma-separated.")
    parser.add_argument("--out", type=Path, default=None, help="Corpus and crashes go here.")
    parser.add_argument("--timeout", type=int, default=60, help="Seconds one input may take.")
    parser.add_argument("--rss-mb", type=int, default=2048, help="Memory one target may use.")
    parser.add_argument("--run", choices=TARGETS, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.run:
        run_target(args.run, args.work, [a for a in rest if a != "--"])
        return
    targets = [t for t in args.targets.split(",") if t]
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {TARGETS}")
    out = args.out or Path(tempfile.mkdtemp(prefix="storyline-fuzz-"))
    results = [fuzz(t, args.seconds, out, args.timeout, args.rss_mb) for t in targets]
    failed = [r for r in results if r["exit_code"] != 0 or r["crashes"]]
    print(
        json.dumps(
            {
                "engine": "atheris (libFuzzer)",
                "seconds_per_target": args.seconds,
                "inputs": sum(r["inputs"] for r in results),
                "crashes": sum(len(r["crashes"]) for r in results),
                "out": str(out),
                "targets": results,
            },
            indent=2,
        )
    )
    if args.out is None and not failed:
        shutil.rmtree(out, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
