"""storyline: make sense of developing news stories told by many outlets."""

from importlib.metadata import version as _version

__version__ = _version("storyline")
