"""``claimdesk check``: damage that leaves the files readable, found before it changes an
answer, each with what to do about it.

Nothing here writes: the database is read in one read-only transaction (a writer may go
on meanwhile), the search index is opened read-only. What is checked:

* the database file, with SQLite's ``PRAGMA quick_check``;
* every article's text against the checksum stored with it when it was ingested;
* every claim (and every figure in it) against its article: its text must be the slice
  of the article's text at its offsets, as every quote shown promises;
* the search index: it opens, holds at least what the store marks as indexed, and every
  stored document and posting list of it can be read.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pydantic import BaseModel, Field

from index.faults import DATABASE_NAME, REINDEX, StorageFault
from index.models import content_hash
from index.search import IndexCorrupt, SearchIndex
from index.store import Store, connect_read_only

LISTED = 5  # damaged articles or claims named in a finding; the rest are counted


class Finding(BaseModel):
    part: str = Field(description="database, articles, claims or search index")
    damaged: bool
    what: str = Field(description="What was checked and what was found")
    remedy: str = ""


class CheckReport(BaseModel):
    data_dir: str
    findings: list[Finding]

    @property
    def damaged(self) -> bool:
        return any(f.damaged for f in self.findings)


def check_data_folder(data_dir: Path) -> CheckReport:
    database = data_dir / DATABASE_NAME
    reindex = REINDEX.format(folder=data_dir)
    if not database.exists():
        return CheckReport(data_dir=str(data_dir), findings=[
            Finding(part="database", damaged=False, what=f"no database in {data_dir}: nothing is stored there yet")])
    findings = _database_findings(database, reindex)
    findings.append(_index_finding(data_dir, database, reindex))
    return CheckReport(data_dir=str(data_dir), findings=findings)


def _database_findings(database: Path, reindex: str) -> list[Finding]:
    restore = (f"restore {database.name} from a backup (stop claimdesk first), then run `{reindex}`")
    try:
        db = connect_read_only(database)
    except sqlite3.DatabaseError as exc:
        return [Finding(part="database", damaged=True, what=f"{database} cannot be opened ({exc})", remedy=restore)]
    try:
        db.execute("BEGIN")  # one snapshot for every check, whatever a writer does meanwhile
        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            shown = "; ".join(problems[:LISTED]) + (f"; and {len(problems) - LISTED} more" if len(problems) > LISTED
                                                    else "")
            return [Finding(part="database", damaged=True, what=f"SQLite's quick_check found damage: {shown}",
                            remedy=restore)]
        findings = [Finding(part="database", damaged=False, what="SQLite's quick_check found no damage")]
        return findings + _content_findings(db, reindex)
    except sqlite3.DatabaseError as exc:
        return [Finding(part="database", damaged=True, what=f"{database} cannot be read ({exc})", remedy=restore)]
    finally:
        db.close()


def _content_findings(db: sqlite3.Connection, reindex: str) -> list[Finding]:
    articles = bad_articles = claims = 0
    changed: list[str] = []
    misplaced: list[str] = []
    bad_claims = 0
    for corpus, article_id, text, stored_hash in db.execute("SELECT corpus, id, text, content_hash FROM articles"):
        articles += 1
        if content_hash(text) != stored_hash:
            bad_articles += 1
            changed.append(f"{corpus}/{article_id}")
        for seq, data in db.execute("SELECT seq, data FROM claims WHERE corpus = ? AND article_id = ?",
                                    (corpus, article_id)):
            claims += 1
            if not _claim_matches(data, text):
                bad_claims += 1
                misplaced.append(f"{corpus}/{article_id} claim {seq}")
    return [
        Finding(part="articles", damaged=True,
                what=f"{bad_articles} of {articles} articles' text no longer matches the checksum taken when it "
                     f"was ingested: {_listed(changed, bad_articles)}",
                remedy="ingest those articles again from their sources (`claimdesk ingest PATH_OR_URL`), or restore "
                       f"the database from a backup; then run `{reindex}`")
        if bad_articles else
        Finding(part="articles", damaged=False, what=f"the text of all {articles} articles matches its checksum"),
        Finding(part="claims", damaged=True,
                what=f"{bad_claims} of {claims} claims are unreadable or no longer the text at their offsets in "
                     f"their article: {_listed(misplaced, bad_claims)}",
                remedy=f"run `{reindex} --re-extract` to extract every article's claims again")
        if bad_claims else
        Finding(part="claims", damaged=False,
                what=f"all {claims} claims, and their figures, are the text at their offsets in their article"),
    ]


def _claim_matches(data: str, text: str) -> bool:
    """Whether a stored claim is readable and quotes its article verbatim, figures too."""
    try:
        claim = json.loads(data)
        spans = [claim, *claim.get("figures", [])]
        return all(text[span["start"]:span["end"]] == span["text"] for span in spans)
    except (ValueError, KeyError, TypeError):
        return False


def _listed(names: list[str], count: int) -> str:
    return ", ".join(names[:LISTED]) + (f" and {count - LISTED} more" if count > LISTED else "")


def _index_finding(data_dir: Path, database: Path, reindex: str) -> Finding:
    remedy = f"run `{reindex}` to rebuild it from the stored articles (nothing stored is lost)"
    try:
        store = Store(database, readonly=True)
        try:
            stored_articles, stored_claims = store.indexed_counts()
        finally:
            store.close()
    except sqlite3.DatabaseError:
        return Finding(part="search index", damaged=False,
                       what="not checked: it is rebuilt from the database, which must be repaired first")
    try:
        search = SearchIndex(data_dir / "whoosh", readonly=True)
    except IndexCorrupt as exc:
        return Finding(part="search index", damaged=True, what=f"it cannot be opened: {exc}", remedy=remedy)
    try:
        articles, claims = search.doc_counts()
        if articles < stored_articles or claims < stored_claims:
            return Finding(part="search index", damaged=True,
                           what=f"it holds {articles} articles and {claims} claims, fewer than the {stored_articles} "
                                f"and {stored_claims} the database marks as indexed", remedy=remedy)
        problems = search.unreadable_parts()
    except StorageFault as exc:
        problems = [str(exc.__cause__ or exc)]
    finally:
        search.close()
    if problems:
        return Finding(part="search index", damaged=True, what="parts cannot be read: " + "; ".join(problems),
                       remedy=remedy)
    return Finding(part="search index", damaged=False,
                   what=f"every stored document and posting list of its {articles} articles can be read")
