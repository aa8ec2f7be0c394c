"""spaCy's parser and entity recogniser, stepped from Python with spaCy's own parts.

spaCy's compiled greedy loop (``Parser.greedy_parse``) takes and drops the GIL in its
innermost loop: thinc's ``Vec.arg_max``, reached through a Python class inside a
``nogil`` function, once per hidden unit of every state at every step. Measured with
``perf`` on the BBC articles, that GIL traffic was about a quarter of all extraction CPU
and more than half of the two pipes' time. Stepping the same loop from here costs one
Python round per step for a whole batch of states instead: the pipe's own step model
(``ParserStepModel.predict``: the same precomputed features, bias, maxout and output
layer) scores every unfinished state, and the pipe's own ``transition_states`` applies
each one's best valid move, so the parses and entities are the ones spaCy's loop gives
(``tests/test_transitions.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.language import Language
from spacy.pipeline.transition_parser import Parser
from spacy.tokens import Doc


def run_pipe(nlp: Language, name: str, docs: Sequence[Doc], batch_size: int) -> Iterator[Doc]:
    """The docs annotated by pipe ``name``, as ``nlp.get_pipe(name).pipe`` would do it."""
    pipe = nlp.get_pipe(name)
    if not isinstance(pipe, Parser) or pipe.cfg.get("beam_width", 1) != 1:
        yield from pipe.pipe(docs, batch_size=batch_size)
        return
    for start in range(0, len(docs), batch_size):
        batch = list(docs[start:start + batch_size])
        pipe.set_annotations(batch, _greedy_states(pipe, batch))
        yield from batch


def _greedy_states(pipe: Parser, docs: list[Doc]) -> list:
    states = pipe.moves.init_batch(docs)
    if not any(len(doc) for doc in docs):
        return states
    step_model = pipe.model.predict(docs)
    unfinished = [state for state in states if not state.is_final()]
    while unfinished:
        unfinished = pipe.transition_states(unfinished, step_model.predict(unfinished))
    step_model.clear_memory()
    return states
