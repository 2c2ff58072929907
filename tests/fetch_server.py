"""A small web site on 127.0.0.1 for the fetcher's tests: routes answer with fixed responses, a
sequence of them, or a function of the request; every request is recorded."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    """Routes by path (query included); a path with no route answers 404."""

    routes: dict[str, Callable[[dict[str, str]], Reply]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        reply = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)
        self.routes[path] = lambda _headers: reply

    def sequence(self, path: str, replies: list[Reply]) -> None:
        """Answer each request with the next reply; the last one repeats."""
        left = list(replies)

        def answer(_headers: dict[str, str]) -> Reply:
            return left.pop(0) if len(left) > 1 else left[0]

        self.routes[path] = answer

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.hits.append(Hit(self.path, headers))
                route = site.routes.get(self.path)
                status, extra, body = route(headers) if route else (404, {}, b"not found")
                if status == 0:  # a handler asked to stall: sleep (seconds in the body), then close
                    time.sleep(float(body.decode()))
                    return
                self.send_response(status)
                if "Content-Length" not in extra:
                    self.send_header("Content-Length", str(len(body)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
