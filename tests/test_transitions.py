"""The parser and entity recogniser stepped from Python give what spaCy's own loop gives."""

from __future__ import annotations

import pytest

from fixtures.extract.articles import NAMES, fixture_article
from index.extract.nlp import NER_PIPE, get_nlp
from index.extract.segment import split_article
from index.extract.transitions import run_pipe

# Fictional sentences of other kinds of story than the fixture articles tell, with an
# empty text and a lone word among them.
OWN_SENTENCES = [
    "Flood water forced 2,300 residents of Marrowby to leave their homes on Tuesday, the county said.",
    "“We counted every ballot twice,” said Ilse Varga, the returning officer, adding that turnout was 61.4%.",
    "",
    "Arrested.",
    "The council's budget of £48.2 million, approved 7-2 late on Monday, cuts library hours by a third.",
    "Two men were charged with robbery after a raid on a jeweller in Quillon Street, police told the Harnett Gazette.",
]


def _sentences() -> list[str]:
    fixture_sentences = [segment.text for name in NAMES for segment in split_article(fixture_article(name))]
    return fixture_sentences + OWN_SENTENCES


def _parse(docs, name: str, stepped: bool, batch_size: int):
    pipe = get_nlp().get_pipe(name)
    if stepped:
        return list(run_pipe(get_nlp(), name, docs, batch_size=batch_size))
    return list(pipe.pipe(docs, batch_size=batch_size))  # spaCy's compiled greedy loop


def _syntax(texts: list[str], stepped: bool, batch_size: int):
    docs = [get_nlp().make_doc(text) for text in texts]
    for name in ("tok2vec", "tagger", "parser"):
        docs = _parse(docs, name, stepped, batch_size)
    return [[(token.head.i, token.dep_) for token in doc] for doc in docs]


def _entities(texts: list[str], stepped: bool, batch_size: int):
    docs = _parse([get_nlp().make_doc(text) for text in texts], NER_PIPE, stepped, batch_size)
    return [[(span.start_char, span.end_char, span.label_) for span in doc.ents] for doc in docs]


@pytest.mark.parametrize("batch_size", [256, 5])  # one batch, and many with a short last one
def test_stepped_parses_are_spacys(batch_size):
    texts = _sentences()
    stepped = _syntax(texts, True, batch_size)
    assert stepped == _syntax(texts, False, batch_size)
    assert len(stepped) == len(texts)
    assert any(dep == "nsubj" for parse in stepped for _, dep in parse)  # a real parse, not defaults


@pytest.mark.parametrize("batch_size", [256, 5])
def test_stepped_entities_are_spacys(batch_size):
    texts = _sentences()
    stepped = _entities(texts, True, batch_size)
    assert stepped == _entities(texts, False, batch_size)
    assert ("Ilse Varga" in [texts[i][s:e] for i, found in enumerate(stepped) for s, e, label in found if label == "PERSON"])


def test_a_batch_of_empty_docs_is_annotated_without_the_model():
    docs = [get_nlp().make_doc(""), get_nlp().make_doc("")]
    assert [len(doc.ents) for doc in run_pipe(get_nlp(), NER_PIPE, docs, batch_size=8)] == [0, 0]


def test_other_pipes_run_as_spacy_runs_them():
    docs = [get_nlp().make_doc("The ferry left Port Alsen at noon.")]
    tagged = list(run_pipe(get_nlp(), "tagger", list(run_pipe(get_nlp(), "tok2vec", docs, batch_size=8)), batch_size=8))
    assert [token.tag_ for token in tagged[0]][:2] == ["DT", "NN"]


def test_every_layer_runs_on_numpy_blas():
    # BLIS picks its slow generic kernels on CPUs it does not know; the output layers that
    # score each parse step come out of loading on BLIS unless switched.
    layers = [layer for _, pipe in get_nlp().components if getattr(pipe, "model", None) is not None
              for layer in pipe.model.walk()]
    assert layers and not [layer.name for layer in layers if getattr(layer.ops, "use_blis", False)]
