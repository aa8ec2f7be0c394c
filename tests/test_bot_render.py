"""Embed building on nasty input: clipping, escaping, mentions, and every Discord limit.

Pages are checked with fakediscord's own validator, the one the end-to-end tests hit.
"""

from __future__ import annotations

import re
from datetime import date

import discord
import pytest
from fakediscord.errors import FormErrors
from fakediscord.validation import validate_message_body

from bot.discord.render import render
from bot.discord.render.base import pack_lines
from bot.discord.render.claims import Related, group_embed
from bot.discord.render.search import highlighted
from bot.discord.text import ELLIPSIS, clip, link, safe
from commands.base import ArticleSummary
from commands.claims import ClaimsResponse
from commands.compare import CompareResponse, Disagreement
from commands.grouping import ClaimGroup, GroupFigure, Quote, TimelineEntry
from commands.ingest import IngestResponse
from commands.search import ArticleResult, SearchResponse
from commands.sources import OutletCount, SourcesResponse
from index.library import IngestOutcome
from index.snippets import Snippet

NASTY = r"*bold* _it_ ~~gone~~ ||spoiler|| > quote `code` \back\slash [link](http://x.example) # head"
ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescaped(text: str) -> str:
    """What Discord shows for escaped markdown (zero-width spaces after @ are invisible)."""
    return ESCAPE.sub(r"\1", text).replace("\u200b", "")


def assert_valid(page: list[discord.Embed]) -> None:
    errors = FormErrors()
    validate_message_body({"embeds": [embed.to_dict() for embed in page]}, errors)
    assert not errors, errors.nested()


def quote(n: int, text: str, *, outlet: str = "The Fictional Post",
          url: str | None = "https://post.example/a") -> Quote:
    return Quote(article_id=f"story-{n}", source=f"story-{n}.txt", outlet=f"{outlet} {n}", title="A story",
                 url=url, published=date(2025, 3, 14), text=text, start=0, end=len(text), speaker="Ilse Marten",
                 cue="said", via="Nordpress")


def group(quotes: list[Quote], **fields) -> ClaimGroup:
    headline = fields.pop("headline", "4,200 people — Civil Protection Agency")
    return ClaimGroup(id=fields.pop("id", "g1"), headline=headline,
                      figures=[GroupFigure(value=4200, low=4200, high=4200, unit="people")], quotes=quotes,
                      outlets=fields.pop("outlets", len(quotes)), independent_sources=1, **fields)


# ----------------------------------------------------------------- clipping and escaping


@pytest.mark.parametrize("limit", range(8, 140, 3))
def test_clipping_cuts_at_a_word_and_never_inside_an_escape(limit: int) -> None:
    raw = NASTY * 3
    out = clip(raw, limit)
    assert len(out) <= limit
    assert out.endswith(ELLIPSIS)
    shown = unescaped(out[: -len(ELLIPSIS)])
    assert raw.startswith(shown)  # verbatim: what is shown is the start of the text, as written
    # The cut is at a word: the next raw character after what is shown is white space.
    assert raw[len(shown)].isspace() or raw[len(shown) - 1] in ",;:" or len(shown.split()) == 1
    body = out[: -len(ELLIPSIS)]
    trailing_backslashes = len(body) - len(body.rstrip("\\"))
    assert trailing_backslashes % 2 == 0  # no escape left open before the ellipsis


def test_short_text_is_escaped_whole_and_reads_as_written() -> None:
    out = clip(NASTY, 1000)
    assert not out.endswith(ELLIPSIS)
    assert unescaped(out) == NASTY
    for marker in ("\\*bold\\*", "\\_it\\_", "\\~\\~", "\\|\\|", "\\`code\\`", "\\\\back"):
        assert marker in out


def test_a_single_long_word_is_cut_inside_the_word_but_not_inside_an_escape() -> None:
    raw = "*_" * 400
    out = clip(raw, 101)
    assert len(out) <= 101 and out.endswith(ELLIPSIS)
    assert raw.startswith(unescaped(out[:-1]))
    assert re.fullmatch(r"(\\[*_])+", out[:-1])


def test_mentions_are_neutralised() -> None:
    out = safe("@everyone and @here, <@123456789012345678> and <@&123456789012345678>")
    assert "@everyone" not in out and "@here" not in out
    assert "<@1" not in out and "<@&1" not in out
    assert unescaped(out) == "@everyone and @here, <@123456789012345678> and <@&123456789012345678>"


def test_links_only_for_web_addresses_and_never_broken_by_parentheses() -> None:
    assert link("Read", "javascript:alert(1)") is None
    assert link("Read", "file:///etc/passwd") is None
    made = link("Read *it*", "https://news.example/a (b)/c")
    assert made == "[Read \\*it\\*](https://news.example/a%20%28b%29/c)"


# ----------------------------------------------------------------- claim groups


def test_quotes_sit_side_by_side_with_outlet_date_and_speaker_and_a_link() -> None:
    embed = group_embed(group([quote(1, "About 4,200 people were evacuated."), quote(2, "Some 4,200 left.")]),
                        author="/claims evacuated", footer="Group 1 of 1", related={}).embed
    assert embed.title == "4,200 people — Civil Protection Agency"
    assert embed.description.startswith("**2 outlets · 1 independent source**")
    first, second = embed.fields
    assert first.inline and second.inline
    assert first.name == "The Fictional Post 1 · 2025-03-14 · Ilse Marten via Nordpress"
    assert first.value == "“About 4,200 people were evacuated.”\n[Read the article](https://post.example/a)"


def test_disagreement_and_denial_are_flagged_with_the_other_headline() -> None:
    related = {"g2": Related("6,500 people — Red Lantern Society", 3), "g3": Related("Varnhydro — “a hoax”", 4)}
    embed = group_embed(group([quote(1, "4,200 were evacuated.")], conflicts_with=["g2", "g9"], contradicts=["g3"]),
                        author="/claims x", footer="", related=related).embed
    assert ("⚠ **Conflicts with:** 6,500 people — Red Lantern Society (page 3); 1 group on other pages"
            in embed.description)
    assert "⛔ **Denied by:** Varnhydro — “a hoax” (page 4)" in embed.description
    assert embed.colour == discord.Colour.red()


def test_a_huge_group_stays_within_every_limit_and_says_what_it_left_out() -> None:
    long_quote = (NASTY + " @everyone <@123> ") * 40
    quotes = [quote(n, long_quote, outlet="O" * 300) for n in range(40)]
    builder = group_embed(group(quotes, headline="“" + "H*_ " * 200), author="/claims " + "q" * 600,
                          footer="f" * 3000, related={})
    page = [builder.embed]
    assert_valid(page)
    embed = builder.embed
    assert embed.title.endswith("”")  # a verbatim excerpt cut short keeps its closing mark
    last = embed.fields[-1]
    assert last.name.startswith("+") and "more quote" in last.name
    for field in embed.fields[:-1]:
        assert field.value.startswith("“") and field.value.count("\n") == 1
        shown = unescaped(field.value.split("\n")[0][1:-1].removesuffix(ELLIPSIS))
        assert long_quote.startswith(shown)  # verbatim prefix, never paraphrased
        assert "@everyone" not in field.value


def test_a_quote_without_a_web_link_points_at_the_article_command() -> None:
    embed = group_embed(group([quote(1, "Text.", url=None), quote(2, "Other.", url="https://x.example/" + "a" * 2000)]),
                        author="", footer="", related={}).embed
    assert all(field.value.endswith("`") and "Full text: `/article story-" in field.value for field in embed.fields)


def test_claims_pages_one_group_each_and_link_conflicts_to_their_page() -> None:
    groups = [group([quote(1, "4,200 left.")], id="a", conflicts_with=["b"]),
              group([quote(2, "6,500 left.")], id="b", headline="6,500 people — Red Lantern Society",
                    conflicts_with=["a"])]
    response = ClaimsResponse(query="left", page=2, per_page=5, total_groups=7, groups=groups)
    pages = render(response)
    assert len(pages) == 2
    assert pages[0][0].footer.text == "Group 6 of 7"
    assert "6,500 people — Red Lantern Society (page 7)" in pages[0][0].description


def test_past_the_last_page_and_no_results_say_so() -> None:
    past = render(ClaimsResponse(query="x", page=9, per_page=5, total_groups=7, groups=[]))
    assert past[0][0].description == "No page 9: there are only 2 pages of results."
    none = render(ClaimsResponse(query="x", page=1, per_page=5, total_groups=0, groups=[]))
    assert none[0][0].description.startswith("No claims match.")


def test_articles_without_outlet_are_counted_as_articles_and_a_changed_figure_shows_its_dates() -> None:
    def bare(n: int) -> Quote:
        return Quote(article_id=f"dunlow-{n}", source=f"/srv/inbox/dunlow-{n}.txt", outlet=None, title=None,
                     url=None, published=date(2031, 5, 5), text="Three people died.", start=0, end=18, speaker=None,
                     cue=None, via=None)

    three, five = GroupFigure(value=3, low=3, high=3), GroupFigure(value=5, low=5, high=5)
    timeline = [TimelineEntry(published=date(2031, 5, 5), figure=three, group_id="g1"),
                TimelineEntry(published=date(2031, 5, 7), figure=five, group_id="g2")]
    shown = group([bare(1), bare(2)], outlets=0, articles=2,
                  updates=["g2"], timeline=timeline)
    embed = group_embed(shown, author="/claims died", footer="", related={}).embed
    assert embed.description.startswith("**2 articles · 1 independent source**")
    assert "↻ **Changed over time:** 3 on 2031-05-05 → 5 on 2031-05-07" in embed.description
    assert [field.name.split(" · ")[0] for field in embed.fields] == ["dunlow-1", "dunlow-2"]  # never the path


def test_a_capped_count_is_shown_as_a_lower_bound() -> None:
    groups = [group([quote(1, "4,200 left.")])]
    response = ClaimsResponse(query="left", page=1, per_page=5, total_groups=157, total_is_lower_bound=True,
                              groups=groups)
    assert "at least 157 groups" in render(response)[0][0].author.name


# ----------------------------------------------------------------- other commands


def summary(n: int, **fields) -> dict:
    return dict(article_id=f"a{n}", title=f"Title {n}", outlet="Post", published=date(2025, 1, n + 1),
                url="https://post.example", source="x.txt") | fields


def test_search_bolds_the_matched_words_and_keeps_markers_balanced_when_clipped() -> None:
    text = "The *troops* moved; troops_2 said troops " * 40
    highlights = [(m.start(), m.end()) for m in re.finditer("troops", text)]
    snippet = Snippet(text=text, start=10, highlights=highlights)
    assert highlighted(Snippet(text="a troops b", start=0, highlights=[(2, 8)])) == "a **troops** b"
    results = [ArticleResult(**summary(n, title="T_" * 200), score=1.0, snippet=snippet) for n in range(5)]
    page = render(SearchResponse(query="troops", page=1, per_page=5, total=12, results=results))[0]
    assert_valid(page)
    for field in page[0].fields:
        snippet_line = field.value.split("\n")[1]
        assert snippet_line.startswith(ELLIPSIS + "The \\*")
        assert snippet_line.count("**") % 2 == 0 and "**troops**" in snippet_line


def test_sources_and_ingest_reports_spread_over_pages_within_limits() -> None:
    outlets = [OutletCount(outlet="Outlet *" + "x" * 80 + str(n), articles=n, earliest=None, latest=None)
               for n in range(300)]
    pages = render(SourcesResponse(articles=300, claims=9, outlets=outlets))
    assert len(pages) > 1
    for page in pages:
        assert_valid(page)
    outcomes = [IngestOutcome(source=f"upload:{'f' * 300}{n}.txt", status="failed", reason="r" * 900,
                              notes=["n" * 700]) for n in range(50)]
    report = IngestResponse(corpus="guild-1", ingested=0, updated=0, unchanged=0, failed=50, outcomes=outcomes)
    pages = render(report)
    assert len(pages) > 1 and pages[0][0].description.startswith("**0 ingested · 0 updated · 0 unchanged · 50 failed**")
    for page in pages:
        assert_valid(page)


def test_pack_lines_numbers_its_pages() -> None:
    pages = pack_lines([f"line {n} " + "w " * 400 for n in range(30)], title="T", footer="F")
    assert [p[0].footer.text for p in pages][-1] == f"F · Page {len(pages)} of {len(pages)}"


def test_compare_renders_an_overview_then_each_difference_side_by_side() -> None:
    a = group([quote(1, "4,200 left.")], id="a", conflicts_with=["b"])
    b = group([quote(2, "6,500 left.")], id="b", headline="6,500 people", conflicts_with=["a"])
    response = CompareResponse(
        first=ArticleSummary(**summary(1)), second=ArticleSummary(**summary(2)),
        shared=[group([quote(1, "Shared."), quote(2, "Shared too.")], id="s")],
        differing=[Disagreement(first=a, second=b)], only_first=[], only_second=[],
    )
    pages = render(response)
    assert len(pages) == 3
    overview, differ, shared = (page[0] for page in pages)
    assert "**1 shared fact · 1 disagreement · 0 only in A · 0 only in B**" in overview.description
    assert [f.name for f in overview.fields] == ["⚠ Where they differ", "Both say"]
    assert differ.title == "⚠ They differ" and [f.inline for f in differ.fields] == [True, True]
    assert shared.footer.text == "Page 3 of 3 · Both say"
    for page in pages:
        assert_valid(page)
