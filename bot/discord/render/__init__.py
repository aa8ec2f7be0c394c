"""Command responses as Discord embeds, within every limit Discord sets.

``render(response)`` gives the pages of one response; a page is the embeds of one
message. ``paging(response)`` says how a paged command's pages line up with its
``page`` argument, so the paginator can fetch further pages from the command itself.
"""

from . import article, claims, compare, digest, feeds, ingest, search, sources  # noqa: F401  (they register renderers)
from .base import Page, Paging, paging, render

__all__ = ["Page", "Paging", "paging", "render"]
