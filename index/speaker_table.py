"""The speakers table: who claims are attributed to, resolved across a corpus's articles.

Extraction names each claim's speaker and relays as its article does (a ``Speaker`` with
kind and every wording the article used; coreference never crosses articles). Here, in
the store's save transaction, each is joined to a speaker already known in the same
corpus, or becomes a new one:

- a person or body joins a speaker one of whose names is the same name up to accents,
  transliteration and a person's titles, or the same acronym, or the same brand with
  generic words after it ("Kestrel" / "Kestrel News Agency"). An acronym and a full name
  meet only where some article tied them (both are then among one speaker's names);
- a name shorter than a known one (a lone surname, "National Intelligence Service" in
  "South Korean National Intelligence Service") joins it only when exactly one known
  speaker has a longer name it ends; a longer name never joins through a shorter alias,
  so "Anna Marchenko" never joins "Kyrylo Marchenko" because someone wrote "Marchenko";
- an unnamed description ("the ministry", "police") never joins a named speaker: its
  article did not tie it to one. Descriptions worded alike are one description speaker.

The functions take the caller's connection, so that they run inside its transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from index.models import Claim, Speaker
from index.names import (
    acronym_of,
    better_canonical,
    core_words,
    folded_key,
    is_acronym,
    is_generic_tail,
    is_name_like,
    lookup_word,
    organisation_head,
    same_speaker,
    same_word,
    same_words,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS speakers (
    id        INTEGER PRIMARY KEY,
    corpus    TEXT NOT NULL,
    canonical TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'description', 'unknown'))
);
CREATE TABLE IF NOT EXISTS speaker_aliases (
    speaker_id INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
    corpus     TEXT NOT NULL,
    alias      TEXT NOT NULL,
    folded     TEXT NOT NULL,
    head       TEXT NOT NULL,
    initials   TEXT NOT NULL,
    is_name    INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, alias)
);
CREATE INDEX IF NOT EXISTS speaker_aliases_by_head ON speaker_aliases (corpus, head);
CREATE INDEX IF NOT EXISTS speaker_aliases_by_folded ON speaker_aliases (corpus, folded);
CREATE INDEX IF NOT EXISTS speaker_aliases_by_initials ON speaker_aliases (corpus, initials);
CREATE TABLE IF NOT EXISTS claim_speakers (
    corpus      TEXT NOT NULL,
    article_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('speaker', 'relay')),
    relay_order INTEGER NOT NULL DEFAULT 0,
    speaker_id  INTEGER NOT NULL REFERENCES speakers (id),
    PRIMARY KEY (corpus, article_id, seq, role, relay_order),
    FOREIGN KEY (corpus, article_id, seq) REFERENCES claims (corpus, article_id, seq) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS claim_speakers_by_speaker ON claim_speakers (speaker_id);
"""

_PRONOUNS = frozenset({"he", "she", "him", "her", "it", "they", "we", "i", "you"})
_WordKind = str | None


# --- writing: resolve and link ----------------------------------------------------------


def speakers_of_article(db: sqlite3.Connection, corpus: str, article_id: str) -> set[int]:
    rows = db.execute(
        "SELECT DISTINCT speaker_id FROM claim_speakers WHERE corpus = ? AND article_id = ?", (corpus, article_id)
    )
    return {r[0] for r in rows}


def link_claims(db: sqlite3.Connection, claims: Sequence[Claim], resolved: dict[tuple, int] | None = None) -> None:
    """Resolve each claim's speaker and relays, fill ``speaker_id``/``via_ids`` and store
    the links. The claims must be stored already (the links reference them). ``resolved``
    remembers answers across calls of one transaction: articles name the same speakers
    in the same words on many claims."""
    resolved = {} if resolved is None else resolved

    def resolve(corpus: str, ref: Speaker) -> int | None:
        if not _wordings(ref):
            return None  # an unresolved pronoun names nobody
        key = (corpus, ref.canonical, ref.kind, tuple(ref.aliases))
        if key not in resolved:
            resolved[key] = resolve_speaker(db, corpus, ref)
        return resolved[key]

    links = []
    for claim in claims:
        speaker_ref = claim.speaker_ref
        if speaker_ref is None and claim.speaker:
            speaker_ref = Speaker(canonical=claim.speaker)
        claim.speaker_id = resolve(claim.corpus, speaker_ref) if speaker_ref is not None else None
        relay_refs = claim.via_refs or [Speaker(canonical=name) for name in claim.via]
        claim.via_ids = []
        for ref in relay_refs:
            relay_id = resolve(claim.corpus, ref)
            # A relay is never the speaker it relays, nor twice in one chain.
            if relay_id is not None and relay_id != claim.speaker_id and relay_id not in claim.via_ids:
                claim.via_ids.append(relay_id)
        key = (claim.corpus, claim.article_id, claim.seq)
        if claim.speaker_id is not None:
            links.append((*key, "speaker", 0, claim.speaker_id))
        links += [(*key, "relay", order, relay_id) for order, relay_id in enumerate(claim.via_ids)]
    db.executemany(
        "INSERT INTO claim_speakers (corpus, article_id, seq, role, relay_order, speaker_id) VALUES (?,?,?,?,?,?)",
        links,
    )


def prune(db: sqlite3.Connection, speaker_ids: Iterable[int]) -> None:
    """Forget speakers no claim links to any more (their articles changed or went)."""
    db.executemany(
        "DELETE FROM speakers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM claim_speakers WHERE speaker_id = ?)",
        [(i, i) for i in speaker_ids],
    )


def forget_all(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM claim_speakers")
    db.execute("DELETE FROM speaker_aliases")
    db.execute("DELETE FROM speakers")


def resolve_speaker(db: sqlite3.Connection, corpus: str, ref: Speaker) -> int:
    """The id of the speaker ``ref`` is, in ``corpus``, adding it or its new names."""
    wordings = _wordings(ref)
    names = [n for n in wordings if is_name_like(n)]
    if ref.kind == "description" or not names:
        return _description(db, corpus, ref)
    if ref.kind == "organisation" and all(_lone_word(n) for n in names):
        # The recogniser often takes a lone surname for a body ("Whitcombe said"): one
        # word is too little to tell, so it may join a person or a body.
        ref = ref.model_copy(update={"kind": "unknown"})
    word_kind = _word_kind(ref.kind)
    found = _best_candidate(db, corpus, ref, names, word_kind)
    if found is None:
        cursor = db.execute(
            "INSERT INTO speakers (corpus, canonical, kind) VALUES (?,?,?)", (corpus, wordings[0], ref.kind)
        )
        speaker_id = int(cursor.lastrowid)
        kind = ref.kind
    else:
        speaker_id, kind, canonical = found
        if kind == "unknown" and ref.kind in ("person", "organisation"):
            kind = ref.kind
        offered = wordings[0]
        better = offered != canonical and better_canonical(offered, canonical, kind)
        db.execute(
            "UPDATE speakers SET kind = ?, canonical = ? WHERE id = ?", (kind, offered if better else canonical, speaker_id)
        )
    _add_aliases(db, corpus, speaker_id, _word_kind(kind), wordings)
    return speaker_id


def _description(db: sqlite3.Connection, corpus: str, ref: Speaker) -> int:
    key = folded_key(ref.canonical, "organisation")  # only a leading article goes
    row = db.execute(
        "SELECT s.id FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.corpus = ? AND a.folded = ? AND s.kind = 'description' ORDER BY s.id LIMIT 1",
        (corpus, key),
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO speakers (corpus, canonical, kind) VALUES (?,?, 'description')", (corpus, _wordings(ref)[0])
    )
    speaker_id = int(cursor.lastrowid)
    _add_aliases(db, corpus, speaker_id, "organisation", _wordings(ref)[:1])
    return speaker_id


def _best_candidate(
    db: sqlite3.Connection, corpus: str, ref: Speaker, names: list[str], word_kind: _WordKind
) -> tuple[int, str, str] | None:
    # An acronym is its own lookup word, so this also finds the speakers an article tied to it.
    heads = sorted({lookup_word(n, word_kind) for n in names} - {""})
    rows = db.execute(
        "SELECT s.id, s.kind, s.canonical, a.alias FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        f"WHERE a.corpus = ? AND a.head IN ({_marks(heads)}) AND a.is_name = 1 AND s.kind != 'description' "
        "ORDER BY s.id",
        [corpus, *heads],
    ).fetchall()
    candidates: dict[int, tuple[str, str, list[str]]] = {}
    for speaker_id, kind, canonical, alias in rows:
        if _kinds_agree(kind, ref.kind):
            candidates.setdefault(speaker_id, (kind, canonical, []))[2].append(alias)
    full = [
        i for i, (kind, _, aliases) in candidates.items() if _full_match(names, aliases, _word_kind(kind) or word_kind)
    ]
    if full:
        chosen = min(full)
    else:
        partial = [
            i
            for i, (kind, _, aliases) in candidates.items()
            if _partial_match(names, aliases, ref.kind, kind) or _completes_surname(names, aliases, ref.kind, kind)
        ]
        if len(partial) != 1:
            return None  # nobody, or ambiguous: "Ministry of Defence" with two ministries known
        chosen = partial[0]
    kind, canonical, _ = candidates[chosen]
    return chosen, kind, canonical


def _full_match(names: list[str], known: list[str], word_kind: _WordKind) -> bool:
    """The same name. A person's single word is a surname, which can be anyone's: it never
    makes a full match (see ``_partial_match``)."""
    for name in names:
        words = core_words(name, word_kind)
        for other in known:
            other_words = core_words(other, word_kind)
            if word_kind == "person" and min(len(words), len(other_words)) == 1:
                continue
            if same_words(words, other_words):
                return True
            short, long_ = sorted((words, other_words), key=len)
            if len(short) == 1 and same_word(short[0], long_[0]) and is_generic_tail(long_[1:]):
                return True  # "Kestrel" and "Kestrel News Agency"
    return False


def _partial_match(names: list[str], known: list[str], ref_kind: str, known_kind: str) -> bool:
    """A name of the new speaker ends a longer name of the known one ("Board of Elections"
    in "Eastmark Board of Elections"), or is a lone surname the known person goes by. A
    person named in full in the article is never joined this way."""
    word_kind = _word_kind(known_kind) or _word_kind(ref_kind)
    person = "person" in (ref_kind, known_kind)
    name_words = [core_words(n, word_kind) for n in names if not is_acronym(n)]
    if person and any(len(w) > 1 for w in name_words):
        return False
    for words in name_words:
        for other in known:
            other_words = core_words(other, word_kind)
            if person and len(words) == 1 and other_words and same_word(words[0], other_words[-1]):
                return True
            if 2 <= len(words) < len(other_words) and same_words(words, other_words[-len(words) :]):
                return True
    return False


def _completes_surname(names: list[str], known: list[str], ref_kind: str, known_kind: str) -> bool:
    """A person known so far only by a surname ("Zelensky"), and now named in full."""
    if "person" not in (ref_kind, known_kind) or "organisation" in (ref_kind, known_kind):
        return False
    known_words = [core_words(k, "person") for k in known]
    if not known_words or any(len(w) != 1 for w in known_words):
        return False
    full_names = [w for w in (core_words(n, "person") for n in names) if len(w) >= 2]
    return any(same_word(words[-1], k[0]) for words in full_names for k in known_words)


def _add_aliases(db: sqlite3.Connection, corpus: str, speaker_id: int, word_kind: _WordKind, wordings: list[str]) -> None:
    rows = []
    for alias in wordings:
        words = core_words(alias, word_kind)
        initials = acronym_of(" ".join(words)) if len(words) >= 2 else ""
        rows.append(
            (speaker_id, corpus, alias, folded_key(alias, word_kind), lookup_word(alias, word_kind), initials,
             int(is_name_like(alias)))
        )  # fmt: skip
    db.executemany(
        "INSERT OR IGNORE INTO speaker_aliases (speaker_id, corpus, alias, folded, head, initials, is_name) "
        "VALUES (?,?,?,?,?,?,?)",
        rows,
    )


def _wordings(ref: Speaker) -> list[str]:
    """Every wording of the speaker, without a leading article ("The CFA" is "CFA")."""
    seen = dict.fromkeys(_without_article(" ".join(n.split())) for n in (ref.canonical, *ref.aliases))
    return [n for n in seen if n and n.lower() not in _PRONOUNS]


def _without_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in ("the", "a", "an") else text


def _lone_word(name: str) -> bool:
    words = core_words(name)
    return len(words) == 1 and not is_acronym(name) and not organisation_head(words)


def _word_kind(kind: str) -> _WordKind:
    return kind if kind in ("person", "organisation") else None


def _kinds_agree(a: str, b: str) -> bool:
    return a == b or "unknown" in (a, b)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values)) or "NULL"


# --- reading ----------------------------------------------------------------------------


def attach(db: sqlite3.Connection, claims: Iterable[Claim]) -> None:
    """Fill ``speaker_id`` and ``via_ids`` of claims loaded from the store."""
    for claim in claims:
        rows = db.execute(
            "SELECT role, speaker_id FROM claim_speakers WHERE corpus = ? AND article_id = ? AND seq = ? "
            "ORDER BY role DESC, relay_order",
            (claim.corpus, claim.article_id, claim.seq),
        ).fetchall()
        fill(claim, rows)


# A claim's own row joined to its speaker links, in the order ``fill`` reads them: one
# query a claim instead of two (``Store.claims_at``).
CLAIM_WITH_SPEAKERS = (
    "SELECT c.data, s.role, s.speaker_id FROM claims c LEFT JOIN claim_speakers s "
    "ON s.corpus = c.corpus AND s.article_id = c.article_id AND s.seq = c.seq "
    "WHERE c.corpus = ? AND c.article_id = ? AND c.seq = ? ORDER BY s.role DESC, s.relay_order"
)


def fill(claim: Claim, links: Sequence[Sequence]) -> None:
    """Set a claim's speaker and relays from its (role, speaker id) links, speaker first
    and relays in their order; a link of no role (an outer join's empty row) is none."""
    claim.speaker_id = next((link[1] for link in links if link[0] == "speaker"), None)
    claim.via_ids = [link[1] for link in links if link[0] == "relay"]


def lookup(db: sqlite3.Connection, corpora: Sequence[str], name: str) -> list[int]:
    """Ids of the speakers a typed name can mean, in these corpora: any of their names or
    descriptions under the spelling rules of ``same_speaker`` (accents, transliteration,
    titles, an acronym for a full name, a surname for a full name, a brand for the brand
    with generic words), or a description worded alike. Generous on purpose: the person
    typing chooses, and ``names_seen`` shows them what the name matched."""
    name = " ".join(name.split())
    if not name or not corpora:
        return []
    head = lookup_word(name)
    description = folded_key(name, "organisation")
    acronym = name.replace(".", "").upper() if is_acronym(name) else ""
    # One indexed search per column: SQLite would scan the corpus's aliases for an OR.
    select = f"SELECT speaker_id, alias, folded FROM speaker_aliases WHERE corpus IN ({_marks(corpora)}) AND "
    rows = db.execute(
        f"{select} head = ? UNION {select} folded = ? UNION {select} initials = ?",
        [*corpora, head, *corpora, description, *corpora, acronym or "\x00"],
    ).fetchall()
    found = set()
    for speaker_id, alias, folded in rows:
        if folded == description or same_speaker(name, alias):
            found.add(int(speaker_id))
    return sorted(found)


def speakers(db: sqlite3.Connection, ids: Iterable[int]) -> list[Speaker]:
    ids = sorted(set(ids))
    if not ids:
        return []
    aliases: dict[int, list[str]] = {}
    for speaker_id, alias in db.execute(
        f"SELECT speaker_id, alias FROM speaker_aliases WHERE speaker_id IN ({_marks(ids)}) ORDER BY alias", ids
    ):
        aliases.setdefault(speaker_id, []).append(alias)
    return [
        Speaker(id=r[0], corpus=r[1], canonical=r[2], kind=r[3], aliases=[a for a in aliases.get(r[0], []) if a != r[2]])
        for r in db.execute(f"SELECT id, corpus, canonical, kind FROM speakers WHERE id IN ({_marks(ids)}) ORDER BY id", ids)
    ]


def names_starting(db: sqlite3.Connection, corpora: Sequence[str], patterns: tuple[str, str], limit: int) -> list[str]:
    """Canonical names of speakers with a name that has a word starting as typed, most
    quoted first."""
    if not corpora:
        return []
    rows = db.execute(
        "SELECT s.canonical, (SELECT count(*) FROM claim_speakers c WHERE c.speaker_id = s.id) AS quoted "
        f"FROM speakers s WHERE s.corpus IN ({_marks(corpora)}) AND EXISTS ("
        "  SELECT 1 FROM speaker_aliases a WHERE a.speaker_id = s.id"
        "  AND (a.alias LIKE ? ESCAPE '\\' OR a.alias LIKE ? ESCAPE '\\')"
        ") ORDER BY quoted DESC, s.canonical",
        [*corpora, *patterns],
    )
    names: list[str] = []
    for canonical, _ in rows:
        if canonical not in names:
            names.append(canonical)
            if len(names) == limit:
                break
    return names
