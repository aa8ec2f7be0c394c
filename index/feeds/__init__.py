"""Feeds: RSS and Atom sources a corpus watches, polled into the library.

``poll_due_feeds`` is the entry point for schedulers and the terminal; ``FeedStore``
keeps feeds and entries in the data folder's SQLite file; ``baseline_article_keys``
tells digests which articles were only a feed's starting point, not news.
"""

from .db import FeedRecord, FeedStore, baseline_article_keys
from .links import normalise_link
from .parse import FeedError, ParsedFeed, parse_feed
from .poll import FeedNotice, FeedPollReport, PageBudget, poll_due_feeds

__all__ = [
    "FeedError", "FeedNotice", "FeedPollReport", "FeedRecord", "FeedStore", "PageBudget", "ParsedFeed", "baseline_article_keys",
    "normalise_link", "parse_feed", "poll_due_feeds",
]
