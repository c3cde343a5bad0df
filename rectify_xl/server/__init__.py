"""The office server (issue 9): one process serving the web workbench and the Excel buttons.

``rectify-xl serve`` starts it; ``create_app`` builds the ASGI app (tests use it directly).
Nothing heavy is imported here.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    if name == "create_app":
        from rectify_xl.server.app import create_app

        return create_app
    raise AttributeError(name)
