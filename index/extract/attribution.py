"""Finding who a sentence attributes its statement to, from the dependency parse.

One attribution per sentence: the outermost one ("X said Y believes Z" is X's). Relays
are kept apart from the speaker: in "according to Yonhap, citing the NIS" the speaker is
the NIS and Yonhap is the relay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index.extract.cues import (
    AMOUNT_SENSES,
    AUDIENCE_NOUNS,
    CALL_OUT_NOUNS,
    HEARSAY_ADVERBS,
    PARTICLE_CUES,
    RELAY_VERBS,
    RELAYED_BY,
    STRONG_SPEECH,
    cue_class,
    cue_lemma,
)
from index.extract.mentions import SPEAKING_FOR, MentionSpan, can_speak, label_mention, mention_at, names_a_place
from index.extract.quotes import QuoteState
from index.extract.speakers import ORGANISATION_ROLES, PERSON_ROLES
from index.vocabulary import outcome_family
from index.extract.lemmas import lemma as lemma_of
from index.names import ORGANISATION_NOUNS, TITLE_WORDS, same_speaker, speaker_key

_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_EVIDENCE_SOURCES = frozenset(
    {"poll", "polls", "survey", "surveys", "study", "studies", "report", "data", "analysis", "research", "figures", "results"}
)
_LABEL_WORD = r"[A-Z][\w.'’-]*"
_LEADING_LABEL = re.compile(rf"^({_LABEL_WORD}(?:\s+{_LABEL_WORD}){{0,3}})\s*:\s+\S")
_TRAILING_LABEL = re.compile(rf"\S\s*:\s+({_LABEL_WORD}(?:\s+{_LABEL_WORD}){{0,2}})\s*$")
_SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
_CAUSATIVE_VERBS = frozenset("make let have help".split())
# Words a headline needs before a trailing "...: Seoul" for the label to be who said it:
# "Profile: David Miliband" is a caption and a name.
_TRAILING_LABEL_MIN_WORDS = 3
_FIRST_AND_SECOND_PERSON = frozenset("i me my we us our you your".split())
# Nouns that can label what a speaker said: roles, bodies, sources and studies.
_SPEAKING_NOUNS = PERSON_ROLES | ORGANISATION_NOUNS | SPEAKING_FOR | _EVIDENCE_SOURCES | frozenset(
    {"polls", "surveys", "studies", "authorities", "officials"}
)
# Labels that introduce site furniture, not a speaker.
_NOT_SPEAKER_LABELS = frozenset(
    {
        "note", "update", "related", "photo", "photos", "video", "watch", "read", "source",
        "sources", "correction", "advertisement", "warning", "breaking", "exclusive",
        "analysis", "opinion", "live", "more", "editor's note", "editor’s note", "read more",
        "see also", "question", "name", "latest", "the latest", "summary", "tags", "topics",
        "date", "location", "category",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ArticleNames:
    """The names the recogniser found anywhere in an article, by what they name: the
    article's own usage settles a label the sentence alone cannot ("Pence: ..." where
    the body names Mike Pence; "Millvale: ..." where the body says "in Millvale")."""

    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def speaks(self, label: str) -> bool:
        if any(speaker_key(label) == speaker_key(place) for place in self.places):
            return False
        return any(same_speaker(label, actor) for actor in self.actors)


@dataclass(frozen=True)
class Attribution:
    cue: str
    speaker: MentionSpan | None
    via: tuple[MentionSpan, ...] = ()


def find_attribution(
    doc: Doc, quotes: QuoteState, headline: bool = False, names: ArticleNames | None = None
) -> Attribution | None:
    """The sentence's attribution, if any; ``quotes`` tells which words are quoted,
    ``names`` what the rest of the article names (for speaker labels)."""
    labelled = _colon_label(doc, headline, names or ArticleNames())
    if labelled is not None:
        return labelled

    def outside(token: Token) -> bool:
        return not quotes.quoted(token.idx, token.idx + len(token))

    verbs = [t for t in doc if outside(t) and _is_cue_verb(t, bool(quotes.spans))]
    according = next((t for t in doc if _is_according_to(t) and outside(t)), None)
    main_verb = min(verbs, key=_depth) if verbs else None
    if main_verb is not None and according is not None and _depth(according) < _depth(main_verb):
        main_verb = None  # "according to X, ... which confirms ...": the verb is X's content
    attribution: Attribution | None = None
    source = _according_source(doc, according) if according is not None else None
    if main_verb is not None:
        attribution = _reported_by(doc, main_verb) or _verb_attribution(doc, main_verb)
        relays = according is not None and (
            not _within_content(according, main_verb) or _ends_sentence(according)
        )
        if source is not None and relays:
            if attribution.speaker is None:
                attribution = Attribution("according to", source)
            else:
                attribution = Attribution(attribution.cue, attribution.speaker, (source,))
    elif source is not None:
        attribution = Attribution("according to", source)
    attribution = attribution or _quote_fallback(doc, quotes, outside) or _hearsay(doc, outside)
    return _with_relays(doc, attribution, outside) if attribution is not None else None


def _is_according_to(token: Token) -> bool:
    doc = token.doc
    return token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"


def _colon_label(doc: Doc, headline: bool, names: ArticleNames) -> Attribution | None:
    """A speaker label: "SMITH: We will ..." or "Poll: ...", and in headlines "...: Seoul"."""
    text = doc.text
    label = _LEADING_LABEL.match(text)
    if label and label.group(1).lower() not in _NOT_SPEAKER_LABELS and not names_a_place(doc, 0, label.end(1)):
        if _label_speaks(doc, label.end(1)) or names.speaks(label.group(1)):
            return Attribution(":", label_mention(doc, 0, label.end(1)))
    trailing = _TRAILING_LABEL.search(text) if headline else None
    if trailing and len(text[: trailing.start(1)].split()) <= _TRAILING_LABEL_MIN_WORDS:
        trailing = None
    if trailing and trailing.group(1).lower() not in _NOT_SPEAKER_LABELS:
        return Attribution(":", label_mention(doc, trailing.start(1), trailing.end(1)))
    return None


def _label_speaks(doc: Doc, end: int) -> bool:
    """Whether a leading label ``doc.text[:end]`` names who speaks ("SMITH: We will ...",
    "Police: Two dead", "Poll: ...") rather than where or what the text is about: a
    headline's or a dateline's place ("Marlow: Four hurt in crash"), an event ("Storm
    Ida: ..."), a caption's word ("Arrested: ..."). A place is never a speaker; otherwise
    the label speaks when the recogniser names a person or a body in it, when its last
    word is a noun for a speaker (a role, a body, a source: "Police", "Officials",
    "Poll"), a plural of people ("Witnesses"), or a title ("Gov. Ortiz"), when it is
    written in capitals as transcripts mark speakers, or when what follows is in the
    first or second person or quoted, as only someone's own words are. A label none of
    these tell may still be named as a person or a body elsewhere in the article
    (``ArticleNames``)."""
    span = doc.char_span(0, end, alignment_mode="expand")
    if span is None:
        return False
    if any(e.label_ in _SPEAKING_ENTITIES and e.start < span.end for e in doc.ents):
        return True
    last = span[-1]
    if last.lower_ in _SPEAKING_NOUNS or span[0].lower_.rstrip(".") in TITLE_WORDS:
        return True
    if last.tag_ == "NNS" and last.text[:1].isupper() and len(span) == 1:
        return True  # "Witnesses: ...", "Residents: ..."
    letters = [c for c in span.text if c.isalpha()]
    rest = doc.text[end:]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and not rest.isupper():
        return True  # "HARLAN: ..." in a transcript
    content = doc[span.end :]
    return rest.lstrip(" :").startswith(("\"", "“", "'", "‘")) or any(
        t.lower_ in _FIRST_AND_SECOND_PERSON and t.tag_.startswith("PRP") for t in content
    )


def _is_cue_verb(token: Token, sentence_has_quote: bool) -> bool:
    kind = cue_class(token.text)
    if kind is None or not token.tag_.startswith("VB") or token.dep_ in ("amod", "compound"):
        return False
    lemma = cue_lemma(token.text)
    particle = PARTICLE_CUES.get(lemma or "")
    if particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in token.children):
        return False
    deps = {c.dep_ for c in token.children}
    has_clause = bool(deps & _CLAUSE_DEPS) or token.dep_ == "parataxis" or _clause_behind_citing(token)
    colon = token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == ":"
    has_subject = bool(deps & _SUBJECT_DEPS) or token.dep_ in ("relcl", "advcl", "conj", "acl")
    if token.dep_ == "relcl" and not _speaking_antecedent(token):
        return False
    content = bool(deps & {"ccomp", "parataxis"}) or token.dep_ == "parataxis"
    if lemma in AMOUNT_SENSES and not (content or colon or sentence_has_quote) and _amount_object(token):
        return False  # "the pound added 0.5% to break through $1.90"
    if lemma == "respond" and not (has_clause or colon or sentence_has_quote) and _call_out(token):
        return False  # "officers responded to a report of a shooting"
    if _unasserted_complement(token):
        return False  # "won the right to make three bloggers reveal their sources"
    if kind == "speech" and _trailing_apposition_cue(token):
        return True
    if kind == "speech":
        quoted_around = sentence_has_quote and token.dep_ in ("ROOT", "parataxis", "conj", "ccomp")
        main_clause = token.dep_ in ("ROOT", "conj", "parataxis", "relcl")
        strong = lemma in STRONG_SPEECH and has_subject and main_clause
        # "the ministry confirmed the arrival of 900 troops": a reported fact as object,
        # or as subject of a passive with its agent ("was confirmed by the agency")
        reported_fact = main_clause and has_subject and ("dobj" in deps or "agent" in deps)
        return has_clause or colon or quoted_around or strong or reported_fact
    if kind == "stance":
        main_clause = token.dep_ == "ROOT" or (token.dep_ == "conj" and token.head.dep_ == "ROOT")
        return main_clause and has_subject and ("dobj" in deps or has_clause or "prep" in deps)
    if kind == "evidence" and "dobj" in deps:  # "a new poll shows Clinton ahead"
        return any(c.dep_ == "nsubj" and c.lower_ in _EVIDENCE_SOURCES for c in token.children)
    # Belief and evidence need the content clause, a clause with a verb of its own: in
    # "deputies found two men wounded" the men are what was found, not what was said.
    return has_clause and has_subject and not _small_clause_only(token)


def _amount_object(verb: Token) -> bool:
    """Whether the verb's direct object is an amount: a number, a percentage, money, or
    a noun counted by a number ("added 300 jobs")."""
    for child in verb.children:
        if child.dep_ not in ("dobj", "npadvmod"):  # "added 0.5%" may be parsed as an adverbial
            continue
        if child.tag_ == "CD" or child.text in ("%", "$", "£", "€") or child.lower_ in ("percent", "per"):
            return True
        if any(c.dep_ in ("nummod", "quantmod") and c.tag_ in ("CD", "$") for c in child.children):
            return True
    return False


def _small_clause_only(verb: Token) -> bool:
    """Whether the verb's only clause is a participle or adjective of what happened to
    people, without an auxiliary or a "that": "deputies found two men wounded" reports
    a discovery, where "finds the pitch compelling" or "polls showing Ortiz leading"
    state a view or a finding."""
    clauses = [c for c in verb.children if c.dep_ in _CLAUSE_DEPS]
    return bool(clauses) and all(
        c.tag_ in ("VBN", "JJ")
        and outcome_family(lemma_of(c))
        and not any(g.dep_ in ("aux", "auxpass", "mark") for g in c.children)
        for c in clauses
    )


def _call_out(verb: Token) -> bool:
    """Whether "responded to X" goes to a place or an incident (through "a report of",
    "reports of"), as emergency services do, rather than answering someone."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "to":
            continue
        for target in prep.children:
            if target.dep_ != "pobj":
                continue
            things = [target, *(g for c in target.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)]
            if any(t.lower_ in CALL_OUT_NOUNS or t.ent_type_ in ("FAC", "GPE", "LOC") for t in things):
                return True
    return False


def _unasserted_complement(verb: Token) -> bool:
    """A speech verb in the bare infinitive with its own subject under a causative verb
    is something made or let to happen, not a statement: "won the right to make three
    bloggers reveal who told them" (where "saw Mr Blair predict that ..." reports that
    he did)."""
    if verb.tag_ != "VB" or verb.dep_ != "ccomp" or verb.head.i == verb.i:
        return False
    if any(c.dep_ == "aux" for c in verb.children) or not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        return False
    return lemma_of(verb.head) in _CAUSATIVE_VERBS


def _clause_behind_citing(verb: Token) -> bool:
    """ "Reuters reported, citing two officials, that ...": the parser may hang the
    reported clause on "citing" rather than on the verb that reports it."""
    return any(
        c.lower_ in RELAY_VERBS and c.tag_ == "VBG" and any(g.dep_ in _CLAUSE_DEPS for g in c.children)
        for c in verb.children
    )


def _trailing_apposition_cue(verb: Token) -> bool:
    """ "..., the Nordpress agency reported on Thursday": the parser may hang a closing
    "X reported" on the noun as a participle (acl) of an apposition."""
    speaker = verb.head
    before = speaker.left_edge.i - 1
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBD", "VBN")
        and speaker.dep_ in ("appos", "npadvmod", "dep")
        and verb.i > speaker.i
        and before > 0
        and verb.doc[before].text == ","
    )


def _speaking_antecedent(verb: Token) -> bool:
    """ "Budanov, who claims ..." speaks; "the move, which confirms ..." does not."""
    relative = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if relative is not None and relative.lower_ == "who":
        return True
    antecedent = verb.head
    return antecedent.ent_type_ in ("PERSON", "ORG") or antecedent.lower_ in PERSON_ROLES | ORGANISATION_ROLES


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _within_content(token: Token, verb: Token) -> bool:
    """Whether ``token`` sits inside the clause that ``verb`` reports."""
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS and child.left_edge.i <= token.i <= child.right_edge.i:
            return True
    return False


def _ends_sentence(according: Token) -> bool:
    """ "..., according to Yonhap." closing a sentence relays all of it, whatever clause
    the parser hung it on."""
    doc = according.doc
    to = doc[according.i + 1]
    last = max((t.right_edge.i for t in to.children), default=to.i)
    return all(t.is_punct for t in doc[last + 1 :]) and according.i > 0 and doc[according.i - 1].text == ","


def _reported_by(doc: Doc, verb: Token) -> Attribution | None:
    """ "The clerk's office said 48,210 ballots were counted, the Herald reported": the
    outlet that reports someone's statement relays it; the speaker is the one reported."""
    if cue_lemma(verb.text) != "report":
        return None
    outer = _verb_attribution(doc, verb)
    if outer.speaker is None:
        return None
    for clause in verb.children:
        if clause.dep_ != "ccomp" or cue_class(clause.text) != "speech" or not clause.tag_.startswith("VB"):
            continue
        inner = _verb_attribution(doc, clause)
        if inner.speaker is not None and inner.speaker.mention.kind != "pronoun" and can_speak(inner.speaker.mention):
            return Attribution(inner.cue, inner.speaker, (outer.speaker,))
    return None


def _verb_attribution(doc: Doc, verb: Token) -> Attribution:
    if _trailing_apposition_cue(verb):
        return Attribution(_cue_text(doc, verb), mention_at(doc, verb.head))
    subject = _subject_of(verb)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if passive:
        subject = _agent_of(verb)
    elif subject is None:
        subject = _inverted_subject(doc, verb)
    cue = _cue_text(doc, verb)
    speaker = mention_at(doc, subject) if subject is not None else None
    return Attribution(cue, speaker)


def _agent_of(verb: Token) -> Token | None:
    """ "was said by X", also when the parser hangs "by X" on a nearby noun ("said in an
    interview by X")."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    for child in verb.children:
        for grandchild in child.subtree:
            if grandchild.lower_ == "by" and grandchild.dep_ in ("prep", "agent") and grandchild.head.head.i == child.i:
                return next((g for g in grandchild.children if g.dep_ == "pobj"), None)
    return None


def _inverted_subject(doc: Doc, verb: Token) -> Token | None:
    """`"...," indicated the source`: the parser may take the speaker for an object."""
    before = doc[max(0, verb.i - 2) : verb.i].text
    if not any(mark in before for mark in ("”", '"', "’", ",")):
        return None
    return next(
        (
            c
            for c in verb.rights
            if c.dep_ in ("dobj", "attr") and c.tag_.startswith(("NN", "PRP")) and c.ent_type_ not in ("DATE", "TIME")
        ),
        None,
    )


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject, borrowed from the governing verb for "saying", "and said" and
    relative clauses ("Budanov, who claims ...")."""
    token = verb
    for _ in range(3):
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in _RELATIVE_PRONOUNS and token.dep_ == "relcl":
                return _antecedent(token)
            return subject
        if token.dep_ == "relcl":
            return _antecedent(token)
        if token.dep_ in ("conj", "advcl", "xcomp", "acl", "dep") and token.head.i != token.i:
            token = token.head
            continue
        return None
    return None


def _antecedent(relative_clause: Token) -> Token:
    """What "who" stands for, past an apposition: "Ivo Sand, the spy chief, who claims",
    also when the parser did not see the apposition."""
    antecedent = relative_clause.head
    if antecedent.tag_ in ("NNP", "NNPS"):
        return antecedent
    if antecedent.dep_ == "appos":
        return antecedent.head
    doc = antecedent.doc
    before = antecedent.left_edge.i - 1
    if antecedent.tag_ in ("NN", "NNS") and before > 0 and doc[before].text == ",":
        name = doc[before - 1]
        if name.ent_type_ in ("PERSON", "ORG"):
            return name
    return antecedent


def _cue_text(doc: Doc, verb: Token) -> str:
    """The cue as written: the verb, with its particle or an audience ("told reporters")."""
    tokens = [verb]
    for child in verb.children:
        if child.dep_ == "prt" or (child.dep_ in ("dobj", "dative") and child.lower_ in AUDIENCE_NOUNS):
            tokens.append(child)
    tokens.sort(key=lambda t: t.i)
    if tokens[-1].i - tokens[0].i + 1 == len(tokens):
        return doc[tokens[0].i : tokens[-1].i + 1].text
    return verb.text


def _according_source(doc: Doc, according: Token) -> MentionSpan | None:
    to = doc[according.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in according.children if c.dep_ == "pobj"]
    if objects:
        return mention_at(doc, objects[0])
    following = [t for t in doc[to.i + 1 :] if t.tag_.startswith("NN")]
    return mention_at(doc, following[0]) if following else None


def _quote_fallback(doc: Doc, quotes: QuoteState, outside: Callable[[Token], bool]) -> Attribution | None:
    """A quotation with a speaker and some verb outside it: `"...," Smith cautioned.`"""
    if not quotes.spans:
        return None
    quoted_chars = sum(b - a for a, b in quotes.spans)
    if quoted_chars < len(doc.text) * 0.3:
        return None
    for token in doc:
        if token.tag_.startswith("VB") and outside(token) and token.dep_ in ("ROOT", "parataxis"):
            subject = next((c for c in token.children if c.dep_ == "nsubj" and outside(c)), None)
            if subject is not None and (subject.tag_ == "PRP" or subject.ent_type_ in ("PERSON", "ORG")):
                return Attribution(token.text, mention_at(doc, subject))
    return None


def _hearsay(doc: Doc, outside: Callable[[Token], bool]) -> Attribution | None:
    """ "reportedly", "allegedly": attributed, to nobody in particular."""
    for token in doc:
        if token.lower_ in HEARSAY_ADVERBS and outside(token):
            return Attribution(token.text, None)
    return None


def _with_relays(doc: Doc, attribution: Attribution, outside: Callable[[Token], bool]) -> Attribution:
    """Move relays out of the speaker slot: "X reports, citing Y" and "Y, cited by X"."""
    speaker, via = attribution.speaker, list(attribution.via)
    for token in doc:
        if not outside(token):
            continue
        if token.lower_ in RELAY_VERBS and token.tag_ == "VBG":
            objects = [c for c in token.children if c.dep_ in ("dobj", "pobj")]
            cited = mention_at(doc, objects[0]) if objects else None
            if cited is None or not can_speak(cited.mention):
                continue
            reporter = next((i for i, r in enumerate(via) if speaker is not None and r.start < token.idx < speaker.start), None)
            if reporter is not None:
                # "X reported, citing Y, that Z said": Y passed Z's words on to X
                via.insert(reporter + 1, cited)
                continue
            if speaker is not None:
                via.append(speaker)
            speaker = cited
        elif token.lower_ in RELAYED_BY and token.tag_ == "VBN" and token.dep_ in ("acl", "advcl", "relcl"):
            agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agents and speaker is not None:
                via.insert(0, mention_at(doc, agents[0]))
    return Attribution(attribution.cue, speaker, tuple(via))
