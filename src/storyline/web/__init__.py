"""The web app: HTML pages for analysts and a JSON API under ``/api/v1``."""

from storyline.web.app import create_app

__all__ = ["create_app"]
