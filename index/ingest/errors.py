"""Why an input could not be ingested, phrased for the person who gave it."""


class IngestError(Exception):
    """A problem with one input: the message names what was wrong and what to do."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class IngestSkip(IngestError):
    """An input left out on purpose (a link that loops, a second path to a file read
    already): the report names it and why, and it is no failure."""
