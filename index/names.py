"""Name normalisation shared by extraction, the speakers table and the query side (kept
outside index/extract so that searching never loads the language model).

Two layers: ``speaker_key`` is a readable matching key (accents folded, lowercased, a
person's titles and any leading article stripped); ``same_speaker`` adds transliteration
folding on top, so that "Volodymyr Zelenskyy" and "Volodimir Zelensky", or "Kyril" and
"Kyrylo", compare equal. Titles are stripped from people only: an organisation's name is
kept whole, so that "State Department" and "Justice Department" stay two bodies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words that say what someone is rather than who: stripped from the front of a person's
# name ("Lieutenant General Kyrylo Budanov" -> "Kyrylo Budanov"), kept as an alias.
TITLE_WORDS = frozenset(
    """president vice prime minister secretary general lieutenant lt gen colonel col major
    maj captain capt sergeant sgt admiral adm commander cmdr brigadier private corporal
    marshal mr mrs ms miss dr prof professor sir dame lord lady sen senator rep
    representative congressman congresswoman gov governor mayor judge justice chancellor
    king queen prince princess pope rev reverend father sheikh ambassador envoy spokesman
    spokeswoman spokesperson chief head leader chairman chairwoman chair director deputy
    foreign defence defense interior finance state former acting supreme secretary-general
    commander-in-chief minister-president premier attorney officer official minister's
    candidate nominee speaker senior first clerk sheriff coroner auditor treasurer comptroller
    prosecutor assessor commissioner superintendent inspector detective trooper sergeant
    councilman councilwoman councillor councilor alderman alderwoman assemblyman assemblywoman
    delegate magistrate warden chairperson principal dean provost bishop archbishop
    harbourmaster harbormaster""".split()
)
_ARTICLES = frozenset({"the", "a", "an"})
# Nouns that head the name of a body ("Interior Ministry", "Department of Justice",
# "Harris County Sheriff's Office"): a name headed by one is an organisation's, whose
# leading words are part of the name, not a title.
ORGANISATION_NOUNS = frozenset(
    """agency ministry office service services department government administration committee
    company firm group campaign organisation organization institute party directorate
    newspaper outlet network broadcaster channel paper station council court military army
    intelligence bureau body union alliance police coastguard navy authority authorities
    operator regulator board commission commissioners center centre centers centres
    hospital university college school district county city province league
    association federation foundation fund bank corporation inc ltd cabinet parliament
    congress senate assembly tribunal prosecutors prosecution force forces guard guards
    patrol sheriff's department's team club trust society church council's""".split()
)
# Words that follow a brand without changing who it is: "Yonhap News Agency" is Yonhap.
GENERIC_ORGANISATION_WORDS = frozenset(
    """news agency service services newspaper network group company corporation corp inc ltd
    plc co media press broadcasting broadcaster radio television tv channel daily""".split()
)
_TITLE_JOINERS = frozenset({"of", "for", "the"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "la", "&"})
_PUNCTUATION = re.compile(r"[^\w\s-]")
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)")


@lru_cache(maxsize=65536)
def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_words(name: str) -> list[str]:
    """Words of a name, accent-folded, without possessives, brackets or punctuation."""
    return list(_name_words(name))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    name = _PARENTHESIS.sub(" ", fold_accents(name).replace("’", "'"))
    name = re.sub(r"'s\b", "", name)
    return tuple(w for w in re.split(r"[\s-]+", _PUNCTUATION.sub(" ", name)) if w)


def strip_titles(words: list[str]) -> list[str]:
    """Drop leading articles, possessives and titles ("NATO Secretary General Mark Rutte").

    Everything up to the last title word in the leading run goes, so that a demonym or
    organisation in front of a title ("Ukrainian President", "NATO Secretary General")
    goes with it; at least one word always stays.
    """
    cut = 0
    for i, word in enumerate(words[:-1]):
        lowered = word.lower().strip(".,")
        if (
            lowered in TITLE_WORDS
            or lowered in ORGANISATION_NOUNS  # "Police Chief Ana Ruiz", "Chief of Police Ana Ruiz"
            or lowered in _ARTICLES
            or lowered.endswith(("'s", "’s"))
        ):
            cut = i + 1
        elif lowered in _TITLE_JOINERS:
            continue
        elif not word[:1].isupper():
            break
    return words[cut:]


def organisation_head(words: list[str]) -> bool:
    """Whether a name's head noun names a body: the word before "of"/"for" when there is
    one ("Ministry of Finance"), else the last word ("Finance Ministry")."""
    lowered = [w.lower() for w in words]
    for joiner in ("of", "for", "on"):
        if joiner in lowered[1:]:
            head = lowered[lowered.index(joiner, 1) - 1]
            return head in ORGANISATION_NOUNS
    return bool(lowered) and lowered[-1] in ORGANISATION_NOUNS


def core_words(name: str, kind: str | None = None) -> list[str]:
    """The words that say who: a person's name without titles; an organisation's whole
    name, without a leading article. ``kind`` is "person", "organisation" or unknown
    (then the head noun decides)."""
    return list(_core_words(name, kind))


@lru_cache(maxsize=65536)  # the store compares the same few names for every claim
def _core_words(name: str, kind: str | None) -> tuple[str, ...]:
    words = name_words(name)
    if kind == "organisation" or (kind != "person" and organisation_head(words)):
        while len(words) > 1 and words[0].lower() in _ARTICLES:
            words = words[1:]
        return tuple(words)
    return tuple(strip_titles(words))


def speaker_key(name: str, kind: str | None = None) -> str:
    """Matching key: accent-folded, lowercased; a person's titles and articles stripped."""
    return " ".join(core_words(name, kind)).lower()


@lru_cache(maxsize=65536)
def folded_key(name: str, kind: str | None = None) -> str:
    """``speaker_key`` with transliteration folding: equal for spelling variants."""
    return " ".join(transliteration_fold(w) for w in core_words(name, kind))


@lru_cache(maxsize=65536)
def lookup_word(name: str, kind: str | None = None) -> str:
    """The folded word a name is looked up by: its last word before any generic trailing
    words ("Kestrel News Agency" -> "kestrel"), so that a surname finds the full name and
    a brand finds the brand with "News Agency" after it."""
    words = core_words(name, kind)
    while len(words) > 1 and words[-1].lower() in GENERIC_ORGANISATION_WORDS:
        words = words[:-1]
    return transliteration_fold(words[-1]) if words else ""


@lru_cache(maxsize=65536)
def is_name_like(text: str) -> bool:
    """A name ("Elin Rask", "CSB", "Harris County Sheriff's Office") rather than a
    description ("the county's chief election officer"): every significant word capitalised,
    but for generic words after a brand ("Yonhap news agency")."""
    words = [w for w in name_words(text) if w.lower() not in _ACRONYM_SKIP]
    while len(words) > 1 and words[-1].lower() in GENERIC_ORGANISATION_WORDS:
        words = words[:-1]  # "Yonhap news agency"
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def acronym_of(name: str) -> str:
    """Initials of the significant words: "National Intelligence Service" -> "NIS"."""
    words = [w for w in name_words(name) if w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words).upper()


def is_acronym(name: str) -> bool:
    bare = name.replace(".", "").strip()
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


@lru_cache(maxsize=65536)
def transliteration_fold(word: str) -> str:
    """One spelling for the usual romanisation variants of a word.

    Non-initial y becomes i (Volodymyr/Volodimir, Zelenskyy/Zelenskii), doubled letters
    collapse (Ussuriysk/Usuriysk), and c/k, w/v, ph/f, kh/h, x/ks are merged.
    """
    word = fold_accents(word).lower()
    word = word[:1] + word[1:].replace("y", "i")
    for spelling, folded in (("kh", "h"), ("ph", "f"), ("x", "ks"), ("c", "k"), ("w", "v"), ("q", "k")):
        word = word.replace(spelling, folded)
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=65536)
def same_word(a: str, b: str) -> bool:
    fa, fb = transliteration_fold(a), transliteration_fold(b)
    if fa == fb:
        return True
    # A dropped final vowel or soft sign ("Kyril"/"Kyrylo"); long words only, so that
    # short first names such as "Ivan"/"Ivana" stay apart.
    short, long_ = sorted((fa, fb), key=len)
    return len(short) >= 5 and len(long_) == len(short) + 1 and long_.startswith(short)


def same_words(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all(same_word(x, y) for x, y in zip(a, b))


def same_speaker(a: str, b: str) -> bool:
    """Whether two names can denote the same speaker, out of any article's context.

    Equal keys up to transliteration; an acronym and its expansion; a shorter name of two
    or more words that ends the longer one ("National Intelligence Service" in "South
    Korean National Intelligence Service"); a lone surname and a full name. A body's
    head noun alone ("Ministry", "the agency") names no one in particular and matches
    only itself.
    """
    words_a = core_words(a)
    words_b = core_words(b)
    if not words_a or not words_b:
        return False
    if same_words(words_a, words_b):
        return True
    if is_acronym(a) and not is_acronym(b):
        return a.replace(".", "").upper() == acronym_of(b)
    if is_acronym(b) and not is_acronym(a):
        return b.replace(".", "").upper() == acronym_of(a)
    short, long_ = sorted((words_a, words_b), key=len)
    if len(short) == 1 and short[0].lower() in ORGANISATION_NOUNS:
        return False
    if len(short) == 1 and same_word(short[0], long_[0]) and is_generic_tail(long_[1:]):
        return True  # "Yonhap" and "Yonhap News Agency"
    if len(short) >= 2 or len(long_) <= 3:
        return same_words(short, long_[-len(short) :])
    return False


def is_generic_tail(words: list[str]) -> bool:
    """Words that follow a brand without changing who it is ("News Agency")."""
    return bool(words) and all(w.lower() in GENERIC_ORGANISATION_WORDS for w in words)


def better_canonical(candidate: str, current: str, kind: str) -> bool:
    """Whether ``candidate`` names a speaker better than ``current``: a full name over an
    acronym; a person's fullest name; an organisation's shortest name of two or more
    words, which drops locative modifiers ("South Korean National Intelligence Service"
    -> "National Intelligence Service")."""
    if is_acronym(current) and not is_acronym(candidate):
        return True
    if is_acronym(candidate):
        return False
    candidate_words = core_words(candidate, kind)
    current_words = core_words(current, kind)
    if kind == "person":
        return len(candidate_words) > len(current_words)
    return 2 <= len(candidate_words) < len(current_words)
