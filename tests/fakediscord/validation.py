"""Discord's limits on message bodies, components, modals and autocomplete.

Each check appends to a ``FormErrors`` so one response lists every violation,
as Discord does. Limits are Discord's documented ones.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from .errors import FormErrors, not_modelled
from .mentions import validate_allowed_mentions

# Message flags.
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15

ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
AUTO_SELECTS = (5, 6, 7, 8)  # user, role, mentionable, channel selects
LINK_STYLE, PREMIUM_STYLE = 5, 6

EMBED_TOTAL_LIMIT = 6000
URL_SCHEMES = ("http", "https")
IMAGE_SCHEMES = ("http", "https", "attachment")


def validate_message_body(body: dict, errors: FormErrors, path: tuple = ()) -> None:
    """The fields shared by channel messages, interaction responses, followups and edits."""
    if body.get("flags") is not None and body["flags"] & IS_COMPONENTS_V2:
        raise not_modelled("Components V2 (message flag 32768)")
    for unsupported in ("poll", "sticker_ids"):
        if body.get(unsupported):
            raise not_modelled(unsupported)
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(path + ("content",), "BASE_TYPE_STRING", "Must be a string.")
    errors.max_length(path + ("content",), content, 2000)
    if body.get("embeds") is not None:
        _validate_embeds(errors, path + ("embeds",), body["embeds"])
    if body.get("components") is not None:
        validate_components(errors, path + ("components",), body["components"])
    validate_allowed_mentions(errors, path + ("allowed_mentions",), body.get("allowed_mentions"))


def _validate_embeds(errors: FormErrors, path: tuple, embeds: Any) -> None:
    if not isinstance(embeds, list):
        errors.add(path, "BASE_TYPE_LIST", "Must be a list.")
        return
    errors.max_items(path, embeds, 10)
    total = 0
    for index, embed in enumerate(embeds):
        total += _validate_embed(errors, path + (index,), embed)
    if total > EMBED_TOTAL_LIMIT:
        errors.add(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT}")


def _validate_embed(errors: FormErrors, path: tuple, embed: dict) -> int:
    """Checks one embed and returns how many characters count towards the 6,000 total."""
    errors.max_length(path + ("title",), embed.get("title"), 256)
    errors.max_length(path + ("description",), embed.get("description"), 4096)
    fields = embed.get("fields") or []
    errors.max_items(path + ("fields",), fields, 25)
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    for index, field in enumerate(fields):
        errors.length_between(path + ("fields", index, "name"), field.get("name"), 1, 256)
        errors.length_between(path + ("fields", index, "value"), field.get("value"), 1, 1024)
        size += len(field.get("name") or "") + len(field.get("value") or "")
    for part, limit in (("footer", ("text", 2048)), ("author", ("name", 256))):
        sub = embed.get(part)
        if sub is None:
            continue
        key, maximum = limit
        errors.length_between(path + (part, key), sub.get(key), 1, maximum)
        size += len(sub.get(key) or "")
    colour = embed.get("color")
    if colour is not None and not (isinstance(colour, int) and 0 <= colour <= 0xFFFFFF):
        errors.add(path + ("color",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
    _check_url(errors, path + ("url",), embed.get("url"), URL_SCHEMES)
    for part, key, schemes in (("image", "url", IMAGE_SCHEMES), ("thumbnail", "url", IMAGE_SCHEMES),
                               ("author", "url", URL_SCHEMES), ("author", "icon_url", IMAGE_SCHEMES),
                               ("footer", "icon_url", IMAGE_SCHEMES)):
        _check_url(errors, path + (part, key), (embed.get(part) or {}).get(key), schemes)
    return size


def _check_url(errors: FormErrors, path: tuple, url: Any, schemes: tuple[str, ...]) -> None:
    if url is None:
        return
    parsed = urlparse(str(url))
    if parsed.scheme not in schemes:
        errors.add(path, "URL_TYPE_INVALID_SCHEME",
                   f'Scheme "{parsed.scheme}" is not supported. Scheme must be one of {schemes}.')
    elif parsed.scheme != "attachment" and not parsed.netloc:
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def validate_components(errors: FormErrors, path: tuple, rows: Any, *, in_modal: bool = False) -> None:
    if not isinstance(rows, list):
        errors.add(path, "BASE_TYPE_LIST", "Must be a list.")
        return
    if in_modal:
        if not 1 <= len(rows) <= 5:
            errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    else:
        errors.max_items(path, rows, 5)
    seen_ids: set[str] = set()
    for row_index, row in enumerate(rows):
        row_path = path + (row_index,)
        if row.get("type") != ACTION_ROW:
            if row.get("type") == 18:
                raise not_modelled("Label components (type 18)")
            errors.add(row_path + ("type",), "UNION_TYPE_CHOICES",
                       "Value of field \"type\" must be one of (1,).")
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            errors.add(row_path + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        wide = [c for c in children if c.get("type") != BUTTON]
        if wide and len(children) > 1:
            errors.add(row_path + ("components",), "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                       "The specified component exceeds the maximum width")
        for index, child in enumerate(children):
            child_path = row_path + ("components", index)
            _validate_child(errors, child_path, child, in_modal)
            custom_id = child.get("custom_id")
            if custom_id is not None:
                if custom_id in seen_ids:
                    errors.add(child_path + ("custom_id",), "COMPONENT_CUSTOM_ID_DUPLICATED",
                               "Component custom id cannot be duplicated")
                seen_ids.add(custom_id)


def _validate_child(errors: FormErrors, path: tuple, child: dict, in_modal: bool) -> None:
    kind = child.get("type")
    if (kind == TEXT_INPUT) != in_modal:
        errors.add(path + ("type",), "COMPONENT_TYPE_INVALID", "Component type is not valid here.")
    elif kind == BUTTON:
        _validate_button(errors, path, child)
    elif kind == STRING_SELECT or kind in AUTO_SELECTS:
        _validate_select(errors, path, child)
    elif kind == TEXT_INPUT:
        _validate_text_input(errors, path, child)
    else:
        errors.add(path + ("type",), "COMPONENT_TYPE_INVALID", "Component type is not valid here.")


def _validate_button(errors: FormErrors, path: tuple, button: dict) -> None:
    style = button.get("style")
    if style not in range(1, 7):
        errors.add(path + ("style",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
        return
    errors.max_length(path + ("label",), button.get("label"), 80)
    if style == PREMIUM_STYLE:
        if not button.get("sku_id"):
            errors.add(path + ("sku_id",), "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not button.get("label") and not button.get("emoji"):
        errors.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A label or an emoji is required")
    if style == LINK_STYLE:
        if not button.get("url"):
            errors.add(path + ("url",), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        else:
            _check_url(errors, path + ("url",), button["url"], URL_SCHEMES + ("discord",))
        if "custom_id" in button:
            errors.add(path + ("custom_id",), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                       "A custom id cannot be specified")
    else:
        errors.length_between(path + ("custom_id",), button.get("custom_id"), 1, 100)
        if "url" in button:
            errors.add(path + ("url",), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url cannot be specified")


def _validate_select(errors: FormErrors, path: tuple, select: dict) -> None:
    errors.length_between(path + ("custom_id",), select.get("custom_id"), 1, 100)
    errors.max_length(path + ("placeholder",), select.get("placeholder"), 150)
    low, high = select.get("min_values", 1), select.get("max_values", 1)
    if not 0 <= low <= 25:
        errors.add(path + ("min_values",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 25.")
    if not 1 <= high <= 25:
        errors.add(path + ("max_values",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 25.")
    if low > high:
        errors.add(path + ("min_values",), "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
                   "min_values must be less than or equal to max_values")
    if select.get("type") != STRING_SELECT:
        return
    options = select.get("options") or []
    if not 1 <= len(options) <= 25:
        errors.add(path + ("options",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
    if high > len(options):
        errors.add(path + ("max_values",), "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
                   "max_values must be less than or equal to the number of options")
    values = set()
    for index, option in enumerate(options):
        option_path = path + ("options", index)
        errors.length_between(option_path + ("label",), option.get("label"), 1, 100)
        errors.length_between(option_path + ("value",), option.get("value"), 1, 100)
        errors.max_length(option_path + ("description",), option.get("description"), 100)
        if option.get("value") in values:
            errors.add(option_path + ("value",), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                       "Option values must be unique")
        values.add(option.get("value"))


def _validate_text_input(errors: FormErrors, path: tuple, text_input: dict) -> None:
    errors.length_between(path + ("custom_id",), text_input.get("custom_id"), 1, 100)
    errors.length_between(path + ("label",), text_input.get("label"), 1, 45)
    if text_input.get("style") not in (1, 2):
        errors.add(path + ("style",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    low, high = text_input.get("min_length", 0), text_input.get("max_length", 4000)
    if not 0 <= low <= 4000:
        errors.add(path + ("min_length",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 4000.")
    if not 1 <= high <= 4000:
        errors.add(path + ("max_length",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 4000.")
    errors.max_length(path + ("value",), text_input.get("value"), 4000)
    errors.max_length(path + ("placeholder",), text_input.get("placeholder"), 100)


def validate_modal(errors: FormErrors, path: tuple, modal: dict) -> None:
    errors.length_between(path + ("custom_id",), modal.get("custom_id"), 1, 100)
    errors.length_between(path + ("title",), modal.get("title"), 1, 45)
    validate_components(errors, path + ("components",), modal.get("components"), in_modal=True)


def validate_choices(errors: FormErrors, path: tuple, choices: Any, option_type: int) -> None:
    """Autocomplete results; the value must have the focused option's type."""
    if not isinstance(choices, list):
        errors.add(path, "BASE_TYPE_LIST", "Must be a list.")
        return
    errors.max_items(path, choices, 25)
    for index, choice in enumerate(choices):
        choice_path = path + (index,)
        errors.length_between(choice_path + ("name",), choice.get("name"), 1, 100)
        check_choice_value(errors, choice_path + ("value",), choice.get("value"), option_type)


def check_choice_value(errors: FormErrors, path: tuple, value: Any, option_type: int) -> None:
    """Shared by autocomplete results and choices in command definitions."""
    if option_type == 3:
        if not isinstance(value, str):
            errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
        else:
            errors.max_length(path, value, 100)
    elif option_type == 4 and (isinstance(value, bool) or not isinstance(value, int)):
        errors.add(path, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.")
    elif option_type == 10 and (isinstance(value, bool) or not isinstance(value, (int, float))):
        errors.add(path, "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not a valid number.")
