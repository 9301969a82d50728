"""``python -m storyline``: the command line, for environments without the script."""

from storyline.cli import app

if __name__ == "__main__":
    app()
