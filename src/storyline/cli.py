"""The ``storyline`` command: a thin shell over the library.

Each command opens the store, calls one library function and prints the
result; library errors become a one-line message and the exit code their
class declares (see ``storyline.errors``).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from storyline import __version__
from storyline.errors import InputError, NotFoundError, Problem, StoreError, StorylineError
from storyline.executors.local import analyze as analyze_store
from storyline.export import write_json
from storyline.model import Quote
from storyline.network.formats import dot, graphml, network_json
from storyline.network.query import NetworkQuery, ask
from storyline.report import render_story, write_report
from storyline.settings import Settings, load_settings
from storyline.stages.actors import note
from storyline.stages.clean import clean_document
from storyline.stages.derivation import children
from storyline.stages.ingest import read_inputs
from storyline.stages.quote_clusters import wording
from storyline.store import Store, open_store
from storyline.views import describe, diffed, grow, marked, network_tables, pair_table
from storyline.watch import SETTLE_SECONDS
from storyline.watch import watch as follow_folder
from storyline.workflow import IngestResult
from storyline.workflow import ingest as ingest_paths
from storyline.workflow import recluster as recluster_store

app = typer.Typer(
    help="Make sense of developing news stories told by many outlets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def handle_errors(func: F) -> F:
    """Turn a storyline error into its message and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StorylineError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file, sqlite:/// or postgresql:// URL "
            "[default: storyline.db; env STORYLINE_DB].",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Make sense of developing news stories told by many outlets."""
    ctx.obj = {"db": db, "quiet": quiet}


def _settings(ctx: typer.Context, **overrides: Any) -> Settings:
    return load_settings(db=ctx.obj["db"], **overrides)


@contextmanager
def _store(settings: Settings, *, read_only: bool = False) -> Iterator[Store]:
    store = open_store(settings.db, settings, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def _report_problem(problem: Problem) -> None:
    label = "[red]error:[/red]" if problem.rejected else "[yellow]warning:[/yellow]"
    err.print(f"{label} {problem.source}: {problem.message}", highlight=False)


def _exit_if_rejected(result: IngestResult) -> None:
    if result.rejected:
        err.print(f"{len(result.rejected)} input(s) rejected; the others were stored.")
        raise typer.Exit(InputError.exit_code)


@contextmanager
def _progress(description: str, quiet: bool) -> Iterator[Callable[[int, int | None], None]]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@app.command()
@handle_errors
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (read recursively).")],
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Processes reading the input files.")
    ] = None,
) -> None:
    """Store articles from files, archives, feeds and folders; a text is stored once."""
    settings = _settings(ctx, workers=workers)
    with _store(settings) as store, _progress("Ingesting", ctx.obj["quiet"]) as progress:
        result = ingest_paths(paths, store, settings, on_problem=_report_problem, progress=progress)
    out.print(
        f"{result.added} added, {result.existing} already stored, {len(result.rejected)} rejected"
    )
    _exit_if_rejected(result)


@app.command()
@handle_errors
def analyze(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Redo documents already analysed.")
    ] = False,
    n_process: Annotated[
        int | None, typer.Option("--n-process", "-j", help="spaCy worker processes.")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="Where the document stages run.")] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="A running Dask scheduler (tcp://HOST:PORT) [default: start one]."),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes of the Dask cluster started for the run.")
    ] = 2,
) -> None:
    """Run the pipeline stages over documents not yet analysed."""
    settings = _settings(ctx, n_process=n_process)
    with _store(settings) as store, _progress("Analysing", ctx.obj["quiet"]) as progress:
        if engine is Engine.dask:
            from storyline.executors import dask

            result = dask.analyze(
                store,
                settings,
                scheduler=scheduler,
                workers=workers,
                force=force,
                progress=progress,
            )
        else:
            result = analyze_store(store, settings, force=force, progress=progress)
    for problem in result.problems:
        _report_problem(problem)
    note = (
        f" ({result.without_sentences} not in English, not annotated)"
        if result.without_sentences
        else ""
    )
    out.print(f"{result.analyzed} documents analysed{note}")


def _run(ctx: typer.Context, paths: list[Path], out_dir: Path, settings: Settings) -> None:
    quiet = ctx.obj["quiet"]
    with _store(settings) as store:
        with _progress("Ingesting", quiet) as progress:
            ingested = ingest_paths(
                paths, store, settings, on_problem=_report_problem, progress=progress
            )
        with _progress("Analysing", quiet) as progress:
            analyzed = analyze_store(store, settings, progress=progress)
        for problem in analyzed.problems:
            _report_problem(problem)
        index = write_report(store, out_dir)
        _print_summary(store)
    out.print(f"Report: {index}")
    _exit_if_rejected(ingested)


@app.command()
@handle_errors
def run(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (read recursively).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Report folder.")] = Path("report"),
    n_process: Annotated[
        int | None, typer.Option("--n-process", "-j", help="spaCy worker processes.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Processes reading the input files.")
    ] = None,
) -> None:
    """Ingest, analyse and write the report folder in one go."""
    _run(ctx, paths, out_dir, _settings(ctx, n_process=n_process, workers=workers))


@app.command()
@handle_errors
def watch(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder to follow (read recursively).")],
    once: Annotated[
        bool, typer.Option("--once", help="Read what the folder holds now, then exit.")
    ] = False,
    settle: Annotated[
        float,
        typer.Option(help="Seconds a file must stay unchanged before it is read."),
    ] = SETTLE_SECONDS,
    analysis: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Analyse new documents as they come.")
    ] = True,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Processes reading the input files.")
    ] = None,
) -> None:
    """Follow a folder: ingest new and changed files as they settle, and analyse them."""
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder")
    settings = _settings(ctx, workers=workers)

    def report(line: str) -> None:
        err.print(f"watch: {line}", highlight=False, markup=False)

    with _store(settings) as store:
        follow_folder(
            folder,
            store,
            settings,
            once=once,
            settle=settle,
            report=report,
            on_problem=_report_problem,
            analysis=analysis,
        )
    report("stopped")


DEMO_DIR = files("storyline") / "data" / "demo"


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the demo database and report.")
    ] = Path("storyline-demo"),
) -> None:
    """Analyse the bundled demo corpus into a fresh database and write its report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "storyline.db"
    for leftover in out_dir.glob("storyline.db*"):
        leftover.unlink()
    if (out_dir / "report").is_dir():
        shutil.rmtree(out_dir / "report")
    settings = load_settings(db=str(db))
    demo_dir = Path(str(DEMO_DIR))
    _run(ctx, [demo_dir / "articles.jsonl", demo_dir / "txt"], out_dir / "report", settings)
    out.print(f'Database: {db}  (try: storyline --db {db} search "...")')


def _print_summary(store: Store) -> None:
    stats = store.stats()
    table = Table(title="storyline", show_header=False)
    table.add_row("documents", str(stats.documents))
    table.add_row("stories", str(stats.stories))
    table.add_row("storylines", str(stats.storylines))
    table.add_row("outlets", str(stats.outlets))
    table.add_row("entities", str(stats.entities))
    table.add_row("entity mentions", str(stats.mentions))
    table.add_row("derivations", str(stats.derivations))
    if stats.first and stats.last:
        table.add_row("published", f"{stats.first[:10]} to {stats.last[:10]}")
    out.print(table)


@app.command()
@handle_errors
def documents(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many.")] = 50,
) -> None:
    """List stored documents with their metadata."""
    settings = _settings(ctx)
    table = Table("id", "published", "outlet", "lang", "title")
    with _store(settings, read_only=True) as store:
        for doc in store.iter_documents(store.document_ids()[:limit]):
            table.add_row(
                doc.id,
                (doc.published or "")[:10],
                doc.outlet or "",
                doc.language or "",
                doc.title or "",
            )
    out.print(table)


@app.command()
@handle_errors
def stories(
    ctx: typer.Context,
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster",
            help="Cluster every document again as one batch first; merges and splits are logged.",
        ),
    ] = False,
) -> None:
    """List stories by date, grouped into storylines."""
    settings = _settings(ctx)
    if recluster:
        with _store(settings) as store:
            ops = recluster_store(store, settings)
        if not ops:
            out.print("Reclustered: no story changed.")
        else:
            table = Table("operation", "from", "to", "docs", title="Reclustered")
            for op in ops:
                table.add_row(op.op, op.source, op.target, str(len(op.docs)))
            out.print(table)
    with _store(settings, read_only=True) as store:
        found = list(store.iter_stories())
        outlets = {doc.id: doc.outlet for doc in store.iter_documents()}
    if not found:
        out.print("No stories yet: run storyline analyze.")
        return
    table = Table("story", "storyline", "dates", "docs", "outlets", "label")
    for story in sorted(found, key=lambda s: (s.storyline or "", s.start or "", s.id)):
        dates = f"{story.start} to {story.end}" if story.start else "undated"
        sources = {outlets.get(d) for d in story.docs} - {None}
        table.add_row(
            story.id,
            story.storyline or "",
            dates,
            str(len(story.docs)),
            str(len(sources)),
            story.label,
        )
    out.print(table)


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="A story id (see storyline stories).")],
) -> None:
    """Show one story: its documents, key entities and the rest of its storyline."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        by_id = {s.id: s for s in store.iter_stories()}
        story = by_id.get(story_id)
        if story is None:
            raise NotFoundError(f"no story {story_id!r} in {store.name}")
        docs = list(store.iter_documents(story.docs))
        names = {e.id: e.name for e, _ in store.entity_document_counts()}
        line = next(
            (line for line, _ in store.iter_storylines() if line.id == story.storyline), None
        )
        history = store.story_ops(story.id)
    out.print(Text(story.label, style="bold"))
    out.print(f"{story.start or 'undated'} to {story.end or 'undated'} · {len(docs)} documents")
    out.print("Key entities: " + ", ".join(names.get(e, e) for e in story.entities))
    table = Table("id", "published", "outlet", "title")
    for doc in sorted(docs, key=lambda d: d.published or ""):
        table.add_row(doc.id, (doc.published or "")[:16], doc.outlet or "", doc.title or "")
    out.print(table)
    for op in history:
        verb = "merged into" if op.op == "merge" else f"{len(op.docs)} documents split off into"
        out.print(f"{(op.at or '')[:10]}  {op.source} {verb} {op.target}", highlight=False)
    if line and len(line.stories) > 1:
        out.print(f"Storyline {line.id}:")
        for sid in line.stories:
            other = by_id[sid]
            mark = "→" if sid == story.id else " "
            out.print(f" {mark} {other.start or 'undated'}  {sid}  {other.label}", highlight=False)


@app.command()
@handle_errors
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words (all required) or "quoted phrases".')],
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
) -> None:
    """Full-text search over titles and texts, best match first."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        hits = store.search(query, limit)
    if not hits:
        err.print(f"no document matches {query!r}")
        raise typer.Exit(1)
    table = Table("id", "published", "outlet", "title", "match")
    for hit in hits:
        snippet = Text(hit.snippet.replace("«", "").replace("»", ""))
        snippet.highlight_words(re.findall(r"«([^»]*)»", hit.snippet), style="bold yellow")
        table.add_row(
            hit.doc, (hit.published or "")[:10], hit.outlet or "", hit.title or "", snippet
        )
    out.print(table)


@app.command()
@handle_errors
def clean(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to show cleaned.")],
) -> None:
    """Show what cleaning removes from articles, and why, without storing anything.

    Uses the patterns and the shape of each text only; repeated boilerplate is
    recognised when articles are analysed in a store.
    """
    settings = _settings(ctx)
    for item in read_inputs(paths, settings):
        if isinstance(item, Problem):
            _report_problem(item)
            continue
        doc = clean_document(item)
        out.rule(doc.source)
        out.print(marked(doc), soft_wrap=True)
        facts = {
            "title": doc.title,
            "outlet": doc.outlet,
            "byline": doc.byline,
            "contributors": ", ".join(doc.contributors) or None,
            "machine_generated": doc.machine_generated,
        }
        for name, value in facts.items():
            if value is not None:
                source = doc.evidence.get(name)
                note = f"  (from: {source})" if source else ""
                out.print(Text.assemble((name, "bold"), f": {value}{note}"))


@app.command()
@handle_errors
def lineage(
    ctx: typer.Context,
    docs: Annotated[
        list[str] | None, typer.Argument(help="Only the lineage of these document ids.")
    ] = None,
) -> None:
    """Print who copied whom: each original with the documents derived from it."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        edges = list(store.iter_derivations(docs))
        graph = children(edges)
        derived = {d.derived_doc for d in edges}
        involved = sorted({d.source_doc for d in edges} | derived)
        meta = {doc.id: doc for doc in store.iter_documents(involved)}
    if not edges:
        out.print("No derivations: every document is an independent source.")
        return
    for root in (doc for doc in involved if doc not in derived):
        tree = Tree(describe(meta[root]))
        grow(tree, root, graph, meta, {root})
        out.print(tree)


@app.command()
@handle_errors
def quotes(
    ctx: typer.Context,
    story_id: Annotated[
        str | None, typer.Argument(help="A story id (see storyline stories); all when omitted.")
    ] = None,
) -> None:
    """Show quotes reported by several outlets, each wording with its differences marked."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        stories = {s.id: s for s in store.iter_stories()}
        if story_id is not None and story_id not in stories:
            raise NotFoundError(f"no story {story_id!r} in {store.name}")
        docs = stories[story_id].docs if story_id else None
        found = list(store.iter_quotes(docs=docs))
        outlets = {h.id: h.outlet or h.source for h in store.document_headers().values()}
        names = {e.id: e.name for e, _ in store.entity_document_counts()}
    clusters: dict[str, list[Quote]] = {}
    for quote in found:
        if quote.cluster:
            clusters.setdefault(quote.cluster, []).append(quote)
    if not clusters:
        out.print("No quote is reported by more than one document.")
        return
    for members in clusters.values():
        speaker = next((q.speaker for q in members if q.speaker), None)
        table = Table(
            "outlets",
            "wording",
            title=names.get(speaker or "", "unknown speaker"),
            title_justify="left",
        )
        for variant in wording(members):
            table.add_row(", ".join(sorted({outlets[d] for d in variant.docs})), diffed(variant))
        out.print(table)


@app.command()
@handle_errors
def timeline(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="A story id (see storyline stories).")],
    undated: Annotated[bool, typer.Option("--undated", help="Also list undated events.")] = False,
) -> None:
    """The dated events of a story in order: who did what to whom (with the state and
    role of each), where, told by whom."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        if story_id not in {s.id for s in store.iter_stories()}:
            raise NotFoundError(f"no story {story_id!r} in {store.name}")
        events = [e for _, e in store.iter_events(story_id) if undated or e.date]
        names = {k: v[0] for k, v in store.entity_names().items()}
        outlets = {h.id: h.outlet or h.source for h in store.document_headers().values()}

    def party(entity: str | None, state: str | None, role: str | None) -> str:
        name = names.get(entity or "", "")
        about = note(name, state, role)
        return f"{name} ({about})" if name and about else name or about

    table = Table("date", "event", "who", "whom", "where", "action", "sources")
    for event in events:
        table.add_row(
            event.date or "",
            event.type,
            party(event.actor, event.actor_state, event.actor_role),
            party(event.target, event.target_state, event.target_role),
            names.get(event.location or "", ""),
            event.action,
            ", ".join(sorted({outlets[s.doc] for s in event.sources})),
        )
    out.print(table)


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"
    graphml = "graphml"
    dot = "dot"


_DAY = ["%Y-%m-%d"]


def _iso(day: datetime | None) -> str | None:
    return day.date().isoformat() if day else None


@app.command()
@handle_errors
def network(
    ctx: typer.Context,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", formats=_DAY, help="Events up to this day.")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", formats=_DAY, help="Events from this day.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only this actor's relations (a name or alias).")
    ] = None,
    by_state: Annotated[
        bool, typer.Option("--by-state", help="Leaders, ministries, capitals shown as their state.")
    ] = False,
    changes_since: Annotated[
        datetime | None,
        typer.Option("--changes-since", formats=_DAY, help="What changed from this day on."),
    ] = None,
    window: Annotated[
        int | None,
        typer.Option(
            min=1, help="With --changes-since: compare the activity of N days before each."
        ),
    ] = None,
    pairs: Annotated[
        bool, typer.Option("--pairs", help="Each pair's cooperation-conflict score by month.")
    ] = False,
    fmt: Annotated[
        NetworkFormat, typer.Option("--format", "-f", help="Output format.")
    ] = NetworkFormat.table,
) -> None:
    """The actor network the events describe: who cooperates with whom and who is in
    conflict with whom, since when, told by how many independent sources."""
    settings = _settings(ctx)
    query = NetworkQuery(_iso(as_of), _iso(since), actor, by_state, _iso(changes_since), window)
    with _store(settings, read_only=True) as store:
        answer = ask(store, query)
    if fmt is NetworkFormat.json:
        sys.stdout.write(json.dumps(network_json(answer), ensure_ascii=False, indent=2) + "\n")
    elif fmt is NetworkFormat.graphml:
        sys.stdout.write(graphml(answer))
    elif fmt is NetworkFormat.dot:
        sys.stdout.write(dot(answer))
    elif not answer.edges and not answer.changes:
        out.print("No relations between actors in this view.")
    else:
        for part in [pair_table(answer)] if pairs else network_tables(answer):
            out.print(part)


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


@app.command()
@handle_errors
def brief(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="A story id (see storyline stories).")],
    fmt: Annotated[
        BriefFormat, typer.Option("--format", "-f", help="Output format.")
    ] = BriefFormat.md,
) -> None:
    """A story's cited brief: its best-corroborated sentences, each with its sources."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        text = render_story(store, story_id, fmt.value)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


class ExportFormat(StrEnum):
    json = "json"


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write [default: stdout].")
    ] = None,
) -> None:
    """Export the store as JSON (schema storyline/v1, see the README)."""
    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        if output is None:
            write_json(store, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as fh:
                write_json(store, fh)


@app.command()
@handle_errors
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on (another than 127.0.0.1 exposes the store).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Refuse every write (POST /api/v1/documents).")
    ] = False,
) -> None:
    """Serve the web pages and the JSON API (/api/v1, docs at /docs) over the store."""
    import uvicorn

    from storyline.web import create_app

    settings = _settings(ctx)
    with _store(settings, read_only=read_only):
        pass  # fail here, with the store's own message, before the server starts
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.token:
        err.print(
            f"[yellow]warning:[/yellow] listening on {host} without STORYLINE_TOKEN: "
            "anyone who can reach it can add documents",
            highlight=False,
        )
    err.print(f"storyline serving {settings.db} on http://{host}:{port}", highlight=False)
    app_ = create_app(settings, read_only=read_only)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
@handle_errors
def migrate(
    source: Annotated[str, typer.Option("--from", help="The store to copy (path or URL).")],
    target: Annotated[str, typer.Option("--to", help="An empty store to copy into (path or URL).")],
) -> None:
    """Copy a whole store into another, e.g. from SQLite to PostgreSQL, without loss."""
    from storyline.store.copy import copy_store

    with (
        _store(load_settings(db=source), read_only=True) as src,
        _store(load_settings(db=target)) as dst,
    ):
        result = copy_store(src, dst)
        stats = dst.stats()
        name = dst.name
    table = Table("table", "rows", box=None)
    for table_name, rows in result.rows.items():
        table.add_row(table_name, f"{rows:,}")
    out.print(table)
    out.print(
        f"Copied {stats.documents:,} documents and {stats.stories:,} stories into {name}.",
        highlight=False,
    )


@app.command()
@handle_errors
def check(ctx: typer.Context) -> None:
    """Check the store's integrity: schema, keys, full-text index, orphan records."""
    from storyline.store.check import check_store, unfinished

    settings = _settings(ctx)
    with _store(settings, read_only=True) as store:
        problems = check_store(store)
        notes = unfinished(store)
        name = store.name
    for problem in problems:
        err.print(f"[red]problem:[/red] {problem}", highlight=False)
    for line in notes:
        err.print(f"[yellow]unfinished:[/yellow] {line}", highlight=False)
    if problems:
        raise typer.Exit(StoreError.exit_code)
    out.print(f"{name}: sound", highlight=False)
