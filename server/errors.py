"""The one error type of the web layer: an HTTP status and a message (and headers, if any),
raised anywhere below a route and turned into a plain-text response by one handler."""

from __future__ import annotations


class HttpError(Exception):
    """A request the server refuses or cannot answer, with the status to answer it with."""

    status = 500

    def __init__(self, message: str, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
