"""How often do counts of people named one by one disagree with a count the same article states?

    python bench/enumerated.py [--data DIR] [--show N]

For every article of ``gva_dev`` (real local news of shootings), the counts
``index/extract/enumerated.py`` works out person by person — in one sentence ("Roe, Poe
and Doe were pronounced dead"), and across the article ("Roe died" … "Poe was also
killed"), the latter also where extraction refuses it because the article states its
own count — are compared with the counts of the same fate that article states with a
number (not a part, not vague or denied). A worked-out count *disagrees* when it equals
none of them; extraction keeps one only where it agrees or the article states no such
count, so the disagreement of the refused rows is what that rule avoids. Every row also
says how many counts equal the incident's official count (an article may be an early
report, or name only some victims). Skips cleanly when the data folder is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.readings import DEFAULT_DATA, load_incidents  # noqa: E402
from index.extract.enumerated import article_tallies, people_named, sentence_counts, stated_values  # noqa: E402
from index.extract.pipeline import parse_article  # noqa: E402

FAMILIES = ("killed", "injured")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print the first N disagreements")
    args = parser.parse_args()
    if not (args.data / "gold.json").is_file():
        print(f"skipped: no gva_dev data at {args.data}")
        return 0
    kinds = ("sentence kept", "sentence refused: stated", "article kept", "article refused: stated",
             "article refused: names")
    rows = {kind: [0, 0, 0, 0] for kind in kinds}
    shown = 0
    articles = 0
    for incident, gold, batch in load_incidents(args.data):
        for article in batch:
            articles += 1
            sentences = parse_article(article)
            mentions = people_named(sentences)
            within = sentence_counts(sentences, mentions)
            found = []
            for _, figure in within:
                stated = stated_values(sentences, figure.predicate_family)
                refused = bool(stated) and figure.value not in stated
                found.append(("sentence refused: stated" if refused else "sentence kept", figure))
            for tally in article_tallies(sentences, mentions, [f for _, f in within]):
                if tally.refused in (None, "stated", "names"):
                    kind = "article kept" if tally.refused is None else f"article refused: {tally.refused}"
                    found.append((kind, tally.figure))
            for kind, figure in found:
                family = figure.predicate_family
                if family not in FAMILIES:
                    continue
                row = rows[kind]
                row[0] += 1
                row[3] += figure.value == int(gold.get(family) or 0)
                stated = stated_values(sentences, family)
                if not stated:
                    continue
                row[1] += 1
                if figure.value not in stated:
                    row[2] += 1
                    if shown < args.show:
                        shown += 1
                        print(f"  {incident}/{article.id[:8]} {kind}: {figure.value:g} {family} "
                              f"({figure.text!r}) vs stated {sorted(stated)}")
    print(f"gva_dev: {articles} articles; counts of people named one by one (killed, injured):")
    print(f"{'':<26}{'found':>7}{'stated beside':>15}{'disagree':>10}{'':>8}{'= official':>12}")
    for kind, (total, judged, disagree, official) in rows.items():
        share = f"{disagree / judged:.3f}" if judged else "-"
        print(f"{kind:<26}{total:>7}{judged:>15}{disagree:>10}{share:>8}{official:>8}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
