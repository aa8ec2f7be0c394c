"""Files that are not UTF-8: mostly-ASCII text prefers the Western European code pages
among the detector's plausible ones; text in other scripts keeps its own encoding; the
report records the choice.

All article text here is fictional, written for these tests.
"""

import pytest

from index.ingest.decode import decode_bytes

POUND = ("The Keldt council said the new library would cost \u00a315.8m and open in 2027. "
         "Residents welcomed the plan at a meeting on Monday evening.\n")
EURO = "Bus fares in Orsk rise to \u20ac3.40 from June, the transport office said.\n"
SMART = ("\u201cWe will rebuild,\u201d the mayor said \u2013 and the caf\u00e9 reopened on Tuesday, "
         "charging \u00a32.50 for tea.\n")
LATIN9 = ("Le caf\u00e9 de la gare co\u00fbte 3 \u20ac, a dit le maire, et la ville paiera "
          "le reste des travaux cette ann\u00e9e.\n")
JAPANESE = ("\u30b1\u30eb\u30c8\u5e02\u306f\u6708\u66dc\u65e5\u3001\u65b0\u3057\u3044\u56f3\u66f8\u9928\u3092"
            "\u4e8c\u3007\u4e8c\u4e03\u5e74\u306b\u958b\u9928\u3059\u308b\u3068\u767a\u8868\u3057\u305f\u3002"
            "\u5e02\u9577\u306f\u8a18\u8005\u4f1a\u898b\u3067\u3001\u5efa\u8a2d\u8cbb\u306f\u7d04\u5341\u4e94"
            "\u5104\u5186\u306b\u306a\u308b\u3068\u8ff0\u3079\u305f\u3002")
CHINESE = ("\u5965\u5c14\u65af\u514b\u5e02\u653f\u5e9c\u5468\u4e00\u5ba3\u5e03\uff0c\u65b0\u56fe\u4e66\u9986"
           "\u5c06\u4e8e\u4e8c\u3007\u4e8c\u4e03\u5e74\u5f00\u653e\u3002\u5e02\u957f\u5728\u65b0\u95fb\u53d1"
           "\u5e03\u4f1a\u4e0a\u8868\u793a\uff0c\u5efa\u8bbe\u8d39\u7528\u7ea6\u4e3a\u5341\u4e94\u4ebf\u5143\u3002")
POLISH = ("Rada miasta Keldt og\u0142osi\u0142a w poniedzia\u0142ek, \u017ce nowa biblioteka b\u0119dzie "
          "kosztowa\u0107 15 milion\u00f3w z\u0142otych, powiedzia\u0142 burmistrz.\n")


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        (POUND, "cp1252", "cp1252"),
        (EURO, "cp1252", "cp1252"),
        (SMART, "cp1252", "cp1252"),
        (LATIN9, "iso8859_15", "iso8859_15"),
    ],
)
def test_mostly_ascii_text_decodes_as_western_european(text, encoding, expected):
    decoded = decode_bytes(text.encode(encoding), "fixture")
    assert decoded.text == text
    assert decoded.encoding == expected
    assert f"decoded as {expected}" in decoded.note


def test_the_report_says_when_the_detector_was_overruled():
    note = decode_bytes(POUND.encode("cp1252"), "fixture").note
    assert "preferred to the detector's first guess" in note and "mostly ASCII" in note


@pytest.mark.parametrize(
    "text, encoding",
    [(JAPANESE, "shift_jis"), (JAPANESE, "euc_jp"), (CHINESE, "gbk"), (POLISH, "cp1250")],
)
def test_other_scripts_keep_their_own_encoding(text, encoding):
    decoded = decode_bytes(text.encode(encoding), "fixture")
    assert decoded.text == text
    assert "Western European" not in decoded.note


def test_a_pound_figure_survives_ingest_verbatim(library, write):
    report = library.ingest_paths([write("library.txt", POUND.encode("cp1252"))])
    assert library.store.get("default", "library").text == POUND
    assert any("decoded as cp1252" in note for note in report.outcomes[0].notes)
