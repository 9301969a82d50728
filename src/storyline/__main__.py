"""``python -m storyline``: the command line, for environments without the script."""

from storyline.cli import app

app()
