"""`migrantsp serve`: the web app (server-rendered pages and the calculator) and the JSON API."""

from __future__ import annotations

from migrantsp.web.app import create_app

__all__ = ["create_app"]
