"""Bounds on the work one article can cause, whatever its size or shape.

Articles are stored and searchable whole; these limits cap only the work done per
article on top of that, so that one hostile or freak file cannot hold the writer lock
(or a query) for minutes. Real news articles stay far below every one of them.
"""

# Claims are extracted from sentences that end within this many characters of the
# article's start (about 15,000 words, longer than nearly any long read).
MAX_EXTRACTED_CHARS = 100_000

# ... and from the first this many sentences of it.
MAX_EXTRACTED_SENTENCES = 1_000

# A "sentence" longer than this is a list, a table or a text without punctuation, not
# one checkable statement: it is kept in the article but yields no claim.
MAX_SENTENCE_CHARS = 3_000

# A search snippet looks for its best window among this many matches of the query's
# words, taken in text order.
MAX_SNIPPET_MATCHES = 1_000

# ... and only within this many characters of the article's start.
MAX_SNIPPET_SCAN_CHARS = 100_000
