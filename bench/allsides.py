"""Page 1 of `/claims` on real national stories, scored against the team's answer keys.

    python bench/allsides.py [--keys bench/allsides_keys.json] [--show]

`bench/allsides_keys.json` holds answer keys the team wrote for stories of
`../shared/data/allsides/stories.jsonl` that carry figures: for each story, the facts
(each a set of sentences, by outlet and character offsets, that state the same fact) and
the disagreements a fact-checker marks between facts (`conflict`: different values at
the same time; `update`: a count revised between reports). For each story this script
ingests only that story's articles into a fresh data folder, asks `/claims QUERY` and
scores page 1. A quote belongs to a fact when its span overlaps one of the fact's sentences.

* **purity**: of the groups with two or more keyed quotes, the share whose quotes all
  state one common fact;
* **recall**: the share of key facts with at least one sentence quoted on page 1;
* **co-grouping**: of the facts stated by two or more outlets, the share that page 1
  shows as one group quoting two or more of those outlets;
* **disagreements found**: key disagreements where a group holding one fact is linked
  to a group holding the other (`conflicts_with`, or an update link);
* **falsely flagged**: conflict links between two keyed groups that the key does not
  mark as disagreeing (the same fact, or a part against its whole).

Skips cleanly when the data folder is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from commands import CommandContext  # noqa: E402
from commands.line import run_line  # noqa: E402
from index.library import Library  # noqa: E402
from real_corpus import DATA, allsides  # noqa: E402

DEFAULT_KEYS = Path(__file__).resolve().parent / "allsides_keys.json"
# Fields a group may use to point at the groups it disagrees with or updates.
LINK_FIELDS = ("conflicts_with", "updates", "updated_by", "updated_from", "update_of")


def facts_of_quote(quote: dict, story: dict) -> set[str]:
    side = quote["article_id"].rsplit("-", 1)[-1]
    return {
        fact["id"]
        for fact in story["facts"]
        for m_side, start, end in fact["mentions"]
        if m_side == side and quote["start"] < end and start < quote["end"]
    }


def score_story(story: dict, groups: list[dict]) -> dict:
    keyed: dict[str, list[set[str]]] = {}
    outlets_of: dict[str, dict[str, set[str]]] = {}
    for group in groups:
        keyed[group["id"]] = []
        outlets_of[group["id"]] = {}
        for quote in group["quotes"]:
            facts = facts_of_quote(quote, story)
            if facts:
                keyed[group["id"]].append(facts)
                for fact in facts:
                    outlets_of[group["id"]].setdefault(fact, set()).add(quote["article_id"])
    judged = [sets for sets in keyed.values() if len(sets) >= 2]
    pure = sum(bool(set.intersection(*sets)) for sets in judged)
    quoted = set().union(*(f for sets in keyed.values() for f in sets)) if keyed else set()
    multi = [f for f in story["facts"] if len({side for side, _, _ in f["mentions"]}) >= 2]
    cogrouped = sum(any(len(o.get(f["id"], ())) >= 2 for o in outlets_of.values()) for f in multi)

    def group_facts(group_id: str) -> set[str]:
        return set().union(*keyed.get(group_id, [set()]))

    links = {(g["id"], other) for g in groups for name in LINK_FIELDS for other in g.get(name) or []}
    pairs = {frozenset(d["facts"]) for d in story["disagreements"]}
    found = 0
    for pair in pairs:
        a, b = tuple(pair)
        found += any(
            (a in group_facts(x) and b in group_facts(y)) or (b in group_facts(x) and a in group_facts(y))
            for x, y in links
        )
    false_flags = []
    for group in groups:
        for other in group.get("conflicts_with") or []:
            mine, theirs = group_facts(group["id"]), group_facts(other)
            if not (mine and theirs) or group["id"] > other:
                continue  # unjudged, or the same link seen from the other side
            if not any(frozenset((x, y)) in pairs for x in mine for y in theirs if x != y):
                false_flags.append((group.get("headline"), other))
    return {
        "story": story["story"], "query": story["query"],
        "groups_judged": len(judged), "groups_pure": pure,
        "facts": len(story["facts"]), "facts_quoted": len(quoted),
        "multi_outlet_facts": len(multi), "cogrouped": cogrouped,
        "disagreements": len(pairs), "found": found, "false_flags": len(false_flags),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=Path, default=DEFAULT_KEYS)
    parser.add_argument("--show", action="store_true", help="print each story's page 1")
    args = parser.parse_args()
    if not (DATA / "allsides" / "stories.jsonl").exists():
        print(f"skipped: {DATA / 'allsides'} not found")
        return 0
    stories = json.loads(args.keys.read_text(encoding="utf-8"))["stories"]
    wanted = {s["story"] for s in stories}
    records: dict[int, list[dict]] = {}
    for record in allsides():
        if record["story"] in wanted:
            records.setdefault(record["story"], []).append(record)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for story in stories:
            folder = Path(scratch) / str(story["story"])
            folder.mkdir()
            source = folder / "articles.jsonl"
            source.write_text("".join(json.dumps(r) + "\n" for r in records[story["story"]]), encoding="utf-8")
            with Library(folder / "data") as library:
                library.ingest_paths([source])
                context = CommandContext(library=library, corpora=["default"])
                answer = run_line(context, f"/claims {story['query']}").model_dump(mode="json")
            rows.append(score_story(story, answer["groups"]))
            if args.show:
                print(f"--- story {story['story']} /claims {story['query']}")
                for g in answer["groups"]:
                    print(f"  {g['headline']!r} outlets={g['outlets']} conflicts={len(g.get('conflicts_with') or [])}")

    def total(key: str) -> int:
        return sum(r[key] for r in rows)

    def share(num: str, den: str) -> str:
        return f"{total(num)}/{total(den)} = {total(num) / max(1, total(den)):.2f}"

    print(f"stories: {len(rows)}, facts: {total('facts')}, disagreements: {total('disagreements')}")
    print(f"group purity: {share('groups_pure', 'groups_judged')}")
    print(f"fact recall on page 1: {share('facts_quoted', 'facts')}")
    print(f"co-grouping (facts from 2+ outlets shown as one group): {share('cogrouped', 'multi_outlet_facts')}")
    print(f"disagreements found: {share('found', 'disagreements')}")
    print(f"conflicts falsely flagged: {total('false_flags')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
