"""Known vulnerabilities in the pinned dependencies: pip-audit over the constraints file.

Every package ``requirements/constraints.txt`` pins is looked up, as pinned
(no resolution, nothing installed), in PyPI's advisory data (pip-audit's
default service). A known vulnerability fails the audit. An audit that
could not be done does not: where the service cannot be reached, or answers
for none of the packages (a mirror without advisory data), this says so
and passes, so CI never turns red for a reason that is not a vulnerability.

    python .ci/audit.py [requirements/constraints.txt]
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

SERVICE = "https://pypi.org/pypi/pip/json"
# How a failure to reach the service shows in pip-audit's output.
UNREACHABLE = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "ServiceError", "ProxyError")


def reachable() -> str | None:
    """None when PyPI's JSON API answers, else why not."""
    try:
        with urllib.request.urlopen(SERVICE, timeout=20) as response:
            response.read(1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return str(exc)
    return None


def audit(constraints: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [
            sys.executable, "-m", "pip_audit", "--requirement", constraints,
            "--no-deps", "--disable-pip", "--progress-spinner", "off",
            "--format", "json", "--timeout", "30",
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def main() -> int:
    constraints = sys.argv[1] if len(sys.argv) > 1 else "requirements/constraints.txt"
    why = reachable()
    if why is not None:
        print(f"audit not done: PyPI's advisory service cannot be reached ({why})")
        return 0
    code, out, err = audit(constraints)
    try:
        report: dict[str, Any] = json.loads(out)
    except json.JSONDecodeError:
        if any(name in err for name in UNREACHABLE):
            last = err.strip().splitlines()[-1] if err.strip() else "no answer"
            print(f"audit not done: the advisory service failed mid-way ({last})")
            return 0
        print(err, file=sys.stderr)
        return code or 1
    packages = report["dependencies"]
    audited = [p for p in packages if "skip_reason" not in p]
    found = [(p, v) for p in audited for v in p.get("vulns", [])]
    for package, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
        print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    if found:
        print(f"{len(found)} known vulnerabilities in {len(audited)} audited packages")
        return 1
    if not audited:
        print(
            f"audit not done: the advisory service answered for none of the "
            f"{len(packages)} pinned packages (a mirror without advisory data?)"
        )
        return 0
    skipped = len(packages) - len(audited)
    note = f"; {skipped} not found there, not audited" if skipped else ""
    print(f"no known vulnerabilities in {len(audited)} pinned packages{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
