"""Text from articles, file names and users made inert before it reaches a terminal,
a log line or a chat message.

Control characters can drive a terminal: clear the screen, set the window title, write
the clipboard (OSC 52), hide a link behind innocent text (OSC 8), or move the cursor
and overwrite what was printed. Bidirectional overrides and isolates make text read
in another order than it is stored. Each such character is replaced by one visible
character (a control picture such as ␛ for C0 controls and DEL, U+FFFD for the rest),
so every offset into the text stays true. Stored text is never changed: only what is
shown is.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

_C0 = {code: 0x2400 + code for code in range(0x20)}  # ␀ … ␟
_DEL = {0x7F: 0x2421}  # ␡
_C1 = {code: 0xFFFD for code in range(0x80, 0xA0)}
_BIDI = {code: 0xFFFD for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_TABLE = {**_C0, **_DEL, **_C1, **_BIDI}
_LAYOUT = "\n\t"  # kept where text is laid out in lines and columns
_KEEP_LAYOUT = {code: target for code, target in _TABLE.items() if chr(code) not in _LAYOUT}
# JSON encoders escape C0 controls inside strings themselves; these they leave raw.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str, *, layout: bool = True) -> str:
    """``text`` with every control and bidi-control character replaced one for one;
    newline and tab are kept when ``layout`` is true."""
    return text.translate(_KEEP_LAYOUT if layout else _TABLE)


def inert_model(model: BaseModel) -> BaseModel:
    """A copy of a response model with every string in it made inert, for rendering."""
    return _inert_value(model)


def inert_json(text: str) -> str:
    """JSON whose strings hold the same values, with the characters a JSON encoder leaves
    raw written as ``\\uXXXX`` escapes, so a terminal shows them instead of obeying them."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _inert_value(value: Any) -> Any:
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _inert_value(item) for name, item in value})
    if isinstance(value, list):
        return [_inert_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_inert_value(item) for item in value)
    if isinstance(value, dict):
        return {key: _inert_value(item) for key, item in value.items()}
    return value
