"""A base for the tests' own small HTTP servers (a fake SPARQL endpoint answering by plan)."""

from __future__ import annotations

import http.server


class AnsweringHandler(http.server.BaseHTTPRequestHandler):
    """Every method (GET, POST, PUT, DELETE) goes to :meth:`_answer`; nothing is logged."""

    def read_body(self) -> bytes:
        """The request's body (read, so the client is not left writing into a closed socket)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self) -> None:  # pragma: no cover - each test server says its own
        raise NotImplementedError

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        pass
