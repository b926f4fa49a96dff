"""Errors that domain services raise and every caller (page, API, command) understands."""

from __future__ import annotations

from django.http import Http404


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldErrors(DomainError):
    """Bad input: a message per field. Nothing was changed."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
        self.errors = errors


class ConcurrentEditError(DomainError):
    """Someone else saved the record after this copy of it was read."""

    def __init__(self, label: str = "record") -> None:
        super().__init__(
            f"Someone else changed this {label} while you were editing it. Your changes have "
            "not been saved. Reload the page to see the latest version, then make your "
            "changes again."
        )


class NotPermitted(DomainError):
    """The access policy refuses this action."""

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__(message)


class NotFound(DomainError, Http404):
    """The record does not exist, or the user has no business knowing it does: the same
    answer for both. Selectors raise it; pages and the API answer 404 (it is Django's
    ``Http404`` as well as a domain error, so nothing between has to translate it)."""

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)
