"""Independent clients the tests read the newsroom's files with: ical.js (the
parser inside Thunderbird's calendar and address book) run by node."""

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_node(script, body):
    """The standard output of ``script`` (a file in this folder) given
    ``body`` (bytes) on its standard input."""
    node = shutil.which("node")
    assert node, "node is missing: `make test` installs it (apt)"
    run = subprocess.run(  # noqa: S603
        [node, str(HERE / script)],
        input=body,
        capture_output=True,
        check=True,
        timeout=60,
        cwd=HERE.parent.parent,
    )
    return run.stdout.decode()
