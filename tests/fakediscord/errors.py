"""Discord-style error responses.

discord.py turns an error body into the text of ``HTTPException`` (it flattens
``errors`` into lines like ``In embeds.0.title: Must be 256 or fewer in
length.``) and reads ``code`` into ``HTTPException.code``, so the fake returns
bodies in exactly Discord's shape.
"""

from __future__ import annotations

from typing import Any


class DiscordError(Exception):
    """Raised inside a route handler; the middleware renders it as the response."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None,
                 retry_after: float | None = None):
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
            body["global"] = False
        return body


class FormErrors:
    """Collects field errors of one request body, keyed by their path.

    Discord reports every invalid field at once, nested by path:
    ``{"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}``.
    """

    def __init__(self) -> None:
        self._errors: list[tuple[tuple[str, ...], str, str]] = []

    def add(self, path: tuple[Any, ...], code: str, message: str) -> None:
        self._errors.append((tuple(str(part) for part in path), code, message))

    def __bool__(self) -> bool:
        return bool(self._errors)

    def nested(self) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for path, code, message in self._errors:
            node = tree
            for part in path:
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return tree

    def raise_if_any(self) -> None:
        if self._errors:
            raise DiscordError(400, 50035, "Invalid Form Body", self.nested())

    # Shorthands for the checks that recur across embeds, components and commands.

    def max_length(self, path: tuple[Any, ...], value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: tuple[Any, ...], value: Any, low: int, high: int) -> None:
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        elif not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: tuple[Any, ...], items: Any, limit: int) -> None:
        if isinstance(items, list) and len(items) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


# The non-form errors the fake returns, named after Discord's JSON error codes.


def unauthorized() -> DiscordError:
    return DiscordError(401, 0, "401: Unauthorized")


def not_found_route() -> DiscordError:
    return DiscordError(404, 0, "404: Not Found")


def unknown_channel() -> DiscordError:
    return DiscordError(404, 10003, "Unknown Channel")


def unknown_message() -> DiscordError:
    return DiscordError(404, 10008, "Unknown Message")


def unknown_webhook() -> DiscordError:
    return DiscordError(404, 10015, "Unknown Webhook")


def unknown_interaction() -> DiscordError:
    return DiscordError(404, 10062, "Unknown interaction")


def missing_access() -> DiscordError:
    return DiscordError(403, 50001, "Missing Access")


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


def empty_message() -> DiscordError:
    return DiscordError(400, 50006, "Cannot send an empty message")


def already_acknowledged() -> DiscordError:
    return DiscordError(400, 40060, "Interaction has already been acknowledged.")


def invalid_webhook_token() -> DiscordError:
    return DiscordError(401, 50027, "Invalid Webhook Token")


def entity_too_large() -> DiscordError:
    return DiscordError(413, 40005, "Request entity too large")


def daily_command_creates_exhausted(retry_after: float) -> DiscordError:
    return DiscordError(429, 30034, "Max number of daily application command creates has been reached (200)",
                        retry_after=retry_after)


def not_modelled(what: str) -> DiscordError:
    # Deliberately loud: a request the fake cannot judge must not pass as valid.
    return DiscordError(400, 50035, f"Invalid Form Body (fakediscord does not model {what})")
