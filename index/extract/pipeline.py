"""From articles to claims: split, parse only what needs parsing, attribute, annotate."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc

from index import stages
from index.extract.attribution import ArticleNames, Attribution, MentionSpan, find_attribution
from index.extract.cues import mentions_cue
from index.extract.entities import ACTOR_LABELS, find_entities
from index.extract.enumerated import enumerated_counts
from index.extract.figures import find_figures
from index.extract.nlp import NER_PIPE, SYNTAX_PIPES, get_nlp
from index.extract.quotes import QuoteState, mostly_quoted, quotation_runs, quote_states
from index.extract.segment import Segment, split_article
from index.extract.speakers import ArticleSpeakers, SpeakerRecord
from index.extract.survival import ParsedSentence, survivor_counts
from index.extract.transitions import run_pipe
from index.models import GROUPABLE_KINDS, Article, Claim, Entity, Figure, Speaker
from index.vocabulary import mentions_outcome
from index.workers import prepare_worker, starting_workers

_NUMBER_HINT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundreds?|thousands?|millions?|billions?|dozens?|scores|both)\b",
    re.IGNORECASE,
)
_QUOTE_OR_LABEL_HINT = re.compile("[\"“”:]")  # quotation marks, and colons after speaker labels
_CAPITALISED_LATER = re.compile(r"\s[\"“‘'(]?[A-Z]")
# Sentence openers that are never names: a sentence that starts with one and has no other
# capitalised word cannot name anyone, so it skips the entity recogniser.
_PLAIN_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there but
    and so yet or in on at for after before when while if as since although though however
    meanwhile still then now some many most all both each every no not one what which who
    how why where such other another""".split()
)
_MIN_EVENT_WORDS = 4
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class _Sentence:
    segment: Segment
    needs_syntax: bool
    needs_entities: bool
    doc: Doc | None = None


@dataclass
class _Annotated:
    """What one sentence yields before it becomes a Claim."""

    segment: Segment
    figures: list[Figure] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    via: list[str] = field(default_factory=list)
    speaker_record: SpeakerRecord | None = None
    via_refs: list[SpeakerRecord | str] = field(default_factory=list)  # a record, or the words of an unresolved relay

    @property
    def attributed(self) -> bool:
        return self.cue is not None or self.speaker is not None

    def is_claim(self) -> bool:
        # Ages, times, years and addresses are read but do not make a sentence checkable.
        if self.attributed or any(f.kind in GROUPABLE_KINDS for f in self.figures):
            return True
        actors = any(e.label in ACTOR_LABELS for e in self.entities)
        words = [w for w in self.segment.text.split() if w[:1].isalpha()]  # no #tags, @handles
        return actors and len(words) >= _MIN_EVENT_WORDS

    def inherit_attribution(self, other: _Annotated) -> None:
        self.speaker, self.speaker_start, self.speaker_end = other.speaker, other.speaker_start, other.speaker_end
        self.cue, self.via = other.cue, list(other.via)
        self.speaker_record, self.via_refs = other.speaker_record, list(other.via_refs)

    def speaker_ref(self) -> Speaker | None:
        return self.speaker_record.as_speaker() if self.speaker_record is not None else None

    def relay_refs(self) -> list[Speaker]:
        return [
            ref.as_speaker() if isinstance(ref, SpeakerRecord) else Speaker(canonical=ref, kind="unknown")
            for ref in self.via_refs
        ]


def extract_claims(article: Article) -> list[Claim]:
    """The claims of one article, in text order."""
    return next(extract_many([article]))


def extract_many(articles: Iterable[Article], batch_size: int = 32, n_process: int = 1) -> Iterator[list[Claim]]:
    """Claims of each article, in the order given; articles are parsed ``batch_size`` at a time.

    With ``n_process`` > 1 batches go to worker processes, each loading the model once.
    """
    batches = _batched(articles, batch_size)
    if n_process <= 1:
        for batch in batches:
            yield from _extract_batch(batch)
        return
    pool = _worker_pool(n_process)
    try:
        for claims_per_article, timings in pool.map(_extract_in_worker, batches):
            stages.add(timings)
            yield from claims_per_article
    finally:  # stopped early (Ctrl-C, an error): the batches not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


class ExtractorPool:
    """Extraction for a writer that runs many batches: worker processes that live as long
    as the pool, so each loads the model once, however many batches follow. A batch too
    small to share out is extracted in this process.

    The workers are a ProcessPoolExecutor rather than a multiprocessing Pool because it
    survives a worker's death (out of memory, a signal): the batch fails with
    BrokenProcessPool and the next batch gets fresh workers, where a Pool would wait
    forever for the dead worker's task, or hang on the queue lock it died holding.
    """

    def __init__(self, processes: int = 1, chunk: int = 32) -> None:
        self._processes = max(1, processes)
        self._chunk = chunk
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, articles: Sequence[Article]) -> list[list[Claim]]:
        if self._processes == 1 or len(articles) <= self._chunk:
            return _extract_batch(list(articles))
        if self._pool is None:
            self._pool = _worker_pool(self._processes)
        try:
            parts = list(self._pool.map(_extract_in_worker, _batched(articles, self._chunk_size(len(articles)))))
        except BrokenProcessPool:
            self.close()
            raise
        for _, timings in parts:
            stages.add(timings)
        return [claims for part, _ in parts for claims in part]

    def _chunk_size(self, articles: int) -> int:
        """At most ``chunk`` articles a chunk, in a number of chunks that the workers share
        evenly: 100 articles for two workers go as four chunks of 25, not as 32, 32, 32
        and 4, which leaves one worker idle while the other does two full chunks."""
        chunks = -(-articles // self._chunk)
        chunks = -(-chunks // self._processes) * self._processes
        return -(-articles // chunks)

    def close(self) -> None:
        """Waits for the workers' running tasks (they ignore Ctrl-C; a task is one chunk of
        articles, seconds of work) and drops the queued ones."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)


def _worker_pool(n_process: int) -> ProcessPoolExecutor:
    """Spawned workers with one BLAS thread each, deaf to Ctrl-C (see ``index.workers``).

    BLAS reads its thread count once, at import: forked workers would inherit one pool of
    threads per core each and fight over the cores, which halves throughput.
    """
    saved = {name: os.environ.get(name) for name in _BLAS_THREAD_VARIABLES}
    os.environ.update({name: "1" for name in _BLAS_THREAD_VARIABLES})
    try:
        with starting_workers():
            pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=prepare_worker)
            # The executor starts a worker for each task submitted while none is idle: start
            # them all now, while the environment and signal handling are set for them.
            for _ in range(n_process):
                pool.submit(os.getpid)
        return pool
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


def _extract_in_worker(articles: list[Article]) -> tuple[list[list[Claim]], stages.Timings]:
    """A worker's claims, with the time its stages took for the writer to add to its own."""
    return _extract_batch(articles), stages.take()


def _extract_batch(articles: list[Article]) -> list[list[Claim]]:
    with stages.stage("segment"):
        segments_per_article = [split_article(a) for a in articles]
    with stages.stage("tokenise"):
        sentences_per_article = [[_prepare(s) for s in segments] for segments in segments_per_article]
    _parse([s for sentences in sentences_per_article for s in sentences])
    with stages.stage("readings and attribution"):
        return [_claims(article, sentences) for article, sentences in zip(articles, sentences_per_article)]


def _prepare(segment: Segment) -> _Sentence:
    text = segment.text
    needs_syntax = bool(
        _NUMBER_HINT.search(text)
        or _QUOTE_OR_LABEL_HINT.search(text)
        or mentions_cue(text)
        or mentions_outcome(text)  # a count without a number: "a man was found dead"
    )
    first_word = text.split(maxsplit=1)[0].strip("\"“‘'(").lower()
    may_name = bool(_CAPITALISED_LATER.search(text)) or first_word not in _PLAIN_OPENERS
    sentence = _Sentence(segment, needs_syntax, needs_entities=may_name)
    if needs_syntax or may_name:
        sentence.doc = get_nlp().make_doc(text)
    return sentence


def _parse(sentences: list[_Sentence]) -> None:
    """Entities where a sentence may name someone; syntax only where a cue, quotation or
    number makes it worth the cost. The two are independent: the recogniser has its own
    token encoder, so each sentence pays only for what it needs."""
    nlp = get_nlp()
    syntax_docs = [s.doc for s in sentences if s.doc is not None and s.needs_syntax]
    for name in SYNTAX_PIPES:
        with stages.stage(f"spaCy {name}"):
            syntax_docs = list(run_pipe(nlp, name, syntax_docs, batch_size=256))
    entity_docs = [s.doc for s in sentences if s.doc is not None and s.needs_entities]
    with stages.stage(f"spaCy {NER_PIPE}"):
        for _ in run_pipe(nlp, NER_PIPE, entity_docs, batch_size=256):
            pass


def _annotate_article(sentences: list[_Sentence]) -> tuple[list[_Annotated], list[QuoteState]]:
    """Each sentence's stated figures and attribution, read in article order (speakers
    and quotations carry over from one sentence to the next), with the quote states."""
    states = quote_states([s.segment for s in sentences])
    speakers, names = ArticleSpeakers(), _article_names(sentences)
    annotated = [_annotate(i, s, state, speakers, names) for i, (s, state) in enumerate(zip(sentences, states))]
    return annotated, states


def _claims(article: Article, sentences: list[_Sentence]) -> list[Claim]:
    segments = [s.segment for s in sentences]
    annotated, states = _annotate_article(sentences)
    _add_article_counts(sentences, annotated)
    _spread_over_quotations(annotated, segments, states)
    claims = []
    for item in annotated:
        if not item.is_claim():
            continue
        claims.append(
            Claim(
                article_id=article.id,
                corpus=article.corpus,
                seq=len(claims),
                text=item.segment.text,
                start=item.segment.start,
                end=item.segment.end,
                speaker=item.speaker,
                speaker_start=item.speaker_start,
                speaker_end=item.speaker_end,
                cue=item.cue,
                via=item.via,
                speaker_ref=item.speaker_ref(),
                via_refs=item.relay_refs(),
                figures=item.figures,
                entities=item.entities,
            )
        )
    return claims


def _add_article_counts(sentences: list[_Sentence], annotated: list[_Annotated]) -> None:
    """Counts the article ties across sentences: the injured from its counts of people
    shot ("four were shot" ... "all are expected to survive"), and people named one by
    one ("Roe, Poe and Doe were pronounced dead"; "Roe died" ... "Poe was also killed")."""
    parsed = parsed_sentences(sentences, annotated)
    for item, derived in zip(annotated, survivor_counts(parsed)):
        item.figures = item.figures + derived
    parsed = parsed_sentences(sentences, annotated)
    for item, derived in zip(annotated, enumerated_counts(parsed)):
        item.figures = item.figures + derived


def parse_article(article: Article) -> list[ParsedSentence]:
    """The article's sentences as extraction reads them (parse, stated figures), before
    any count is worked out across sentences; for measuring those counts."""
    sentences = [_prepare(segment) for segment in split_article(article)]
    _parse(sentences)
    annotated, _ = _annotate_article(sentences)
    return parsed_sentences(sentences, annotated)


def parsed_sentences(sentences: list[_Sentence], annotated: list[_Annotated]) -> list[ParsedSentence]:
    return [
        ParsedSentence(s.segment.text, s.segment.start, s.doc if s.needs_syntax else None, item.figures)
        for s, item in zip(sentences, annotated)
    ]


def _article_names(sentences: list[_Sentence]) -> ArticleNames:
    """Who and where the recogniser found in the article, for labels a sentence alone
    does not settle."""
    entities = [e for s in sentences if s.doc is not None and s.needs_entities for e in s.doc.ents]
    return ArticleNames(
        actors=tuple(e.text for e in entities if e.label_ in ("PERSON", "ORG")),
        places=tuple(e.text for e in entities if e.label_ in ("GPE", "LOC", "FAC")),
    )


def _annotate(
    position: int, sentence: _Sentence, quotes: QuoteState, speakers: ArticleSpeakers, names: ArticleNames
) -> _Annotated:
    segment, doc = sentence.segment, sentence.doc
    item = _Annotated(segment)
    if doc is None:
        return item
    if sentence.needs_entities:
        item.entities = find_entities(doc, segment.start)
    if sentence.needs_syntax:
        item.figures = find_figures(doc, segment.start)
        attribution = find_attribution(doc, quotes, segment.headline, names)
        if attribution is not None:
            _resolve(item, attribution, speakers, position)
    for entity in item.entities:
        local = entity.start - segment.start
        # People named inside a quotation are talked to or about, rarely "he" later on.
        if entity.label == "person" and not quotes.quoted(local, entity.end - segment.start):
            speakers.note_person(entity.text, position)
    return item


def _resolve(item: _Annotated, attribution: Attribution, speakers: ArticleSpeakers, position: int) -> None:
    offset = item.segment.start
    item.cue = attribution.cue
    if attribution.speaker is not None:
        item.speaker_record = speakers.resolve(attribution.speaker.mention, position)
        item.speaker = item.speaker_record.canonical if item.speaker_record is not None else None
        item.speaker_start = offset + attribution.speaker.start
        item.speaker_end = offset + attribution.speaker.end
    item.via_refs = [_relay(r, speakers, position, item.speaker_record) for r in attribution.via]
    item.via = [r.canonical if isinstance(r, SpeakerRecord) else r for r in item.via_refs]


def _relay(
    mention: MentionSpan, speakers: ArticleSpeakers, position: int, relayed: SpeakerRecord | None
) -> SpeakerRecord | str:
    record = speakers.resolve(mention.mention, position, relay=True, relayed=relayed)
    return record if record is not None else mention.mention.text


def _spread_over_quotations(annotated: list[_Annotated], segments: list[Segment], states: list[QuoteState]) -> None:
    """Sentences of a quotation that runs over several sentences share its attribution."""
    for i in range(1, len(annotated)):
        opener = annotated[i - 1]
        if opener.attributed and segments[i - 1].text.rstrip().endswith(":") and not annotated[i].attributed:
            annotated[i].inherit_attribution(opener)  # "The minister wrote:" then the text
    for run in quotation_runs(segments, states):
        source = next((annotated[i] for i in run if annotated[i].attributed), None)
        if source is None:
            continue
        for i in run:
            if not annotated[i].attributed:
                annotated[i].inherit_attribution(source)
    _continue_quoted_speakers(annotated, segments, states)


def _continue_quoted_speakers(annotated: list[_Annotated], segments: list[Segment], states: list[QuoteState]) -> None:
    """ `"A," she said. "B."` -- a new quotation after an attributed one in the same
    paragraph is the same speaker going on."""
    for i, item in enumerate(annotated):
        if item.attributed or not mostly_quoted(segments[i].text, states[i]):
            continue
        for j in range(i - 1, -1, -1):
            if segments[j].paragraph != segments[i].paragraph:
                break
            if annotated[j].attributed:
                if states[j].spans and annotated[j].speaker_start is not None:
                    item.inherit_attribution(annotated[j])
                break
