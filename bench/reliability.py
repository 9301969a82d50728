"""The reliability figures, counted from a run of the fuzz and fault tests.

Runs pytest over the fuzzing tests (hypothesis over the readers and the text
stages, a short atheris run per reader, schemathesis over the API, hostile
article text through every page) and the fault tests (processes killed, a
full disk, PostgreSQL restarted, concurrent writers), then adds up what they
report: the examples hypothesis ran per test (``--hypothesis-show-statistics``)
and the ``fuzz:`` and ``faults:`` lines the tests print. Prints one JSON
object; bench/RELIABILITY.md quotes it.

    python bench/reliability.py [extra pytest arguments, e.g. --fault-rounds 10]

``--fault-rounds N`` (a pytest option of the suite's) makes the fault tests
interrupt N runs per store instead of 4.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TESTS = [
    "tests/stages/test_fuzz.py",
    "tests/stages/ingest/test_fuzz_readers.py",
    "tests/stages/ingest/test_feeds.py",
    "tests/stages/ingest/test_archives.py",
    "tests/web/test_api_fuzz.py",
    "tests/web/test_pages.py",
    "tests/web/test_api.py",
    "tests/test_faults.py",
    "tests/test_concurrency.py",
    "tests/store/test_sqlite.py",
    "tests/store/test_postgres.py",
    "tests/test_sql_audit.py",
]
_TEST_ID = re.compile(r"^(tests/\S+::\S+):$")
_EXAMPLES = re.compile(r"(\d+) passing, (\d+) failing")
_SUMMARY = re.compile(r"^=*\s*(\d+ (?:passed|failed).*?) in [\d.]+s")


def parse(output: str) -> dict[str, Any]:
    """What the test output says: examples per hypothesis test, fuzz and fault lines."""
    examples: dict[str, int] = {}
    fuzz: Counter[str] = Counter()
    faults: list[dict[str, Any]] = []
    current = None
    summary = ""
    for line in output.splitlines():
        stripped = line.strip()
        if found := _TEST_ID.match(stripped):
            current = found.group(1)
        elif (found := _EXAMPLES.search(stripped)) and current:
            examples[current] = examples.get(current, 0) + int(found.group(1))
        elif "fuzz: {" in line:
            record = json.loads(line.split("fuzz: ", 1)[1])
            fuzz[record["kind"]] += record["inputs"]
        elif "faults: {" in line:
            faults.append(json.loads(line.split("faults: ", 1)[1]))
        elif found := _SUMMARY.search(stripped):
            summary = found.group(1)
    return {"examples": examples, "fuzz": dict(fuzz), "faults": faults, "summary": summary}


def main() -> None:
    command = [
        sys.executable, "-m", "pytest", "-s", "-q", "-p", "no:cacheprovider",
        "--hypothesis-show-statistics", *TESTS, *sys.argv[1:],
    ]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    found = parse(done.stdout)
    by_kind: Counter[str] = Counter()
    for record in found["faults"]:
        by_kind[record["kind"]] += record["injected"]
    hypothesis = found["examples"]
    print(
        json.dumps(
            {
                "tests": found["summary"] or f"pytest exited with {done.returncode}",
                "inputs_fuzzed": sum(hypothesis.values()) + sum(found["fuzz"].values()),
                "hypothesis_examples": hypothesis,
                "other_fuzzers": found["fuzz"],
                "faults_injected": sum(by_kind.values()),
                "faults_by_kind": dict(by_kind),
                "every_rerun_equals_the_uninterrupted_run": all(
                    r["same_results"] for r in found["faults"]
                ),
                "postgres_restarts_that_stopped_the_run": sum(
                    r.get("stopped", 0) for r in found["faults"]
                ),
            },
            indent=2,
        )
    )
    if done.returncode != 0:
        print(done.stdout[-5000:], file=sys.stderr)
        raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
