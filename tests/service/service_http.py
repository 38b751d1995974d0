"""A real uvicorn server on 127.0.0.1 and a free port, in a thread, and a client for it."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any

import attrs
import uvicorn

from sgcq.service import ServiceSettings, create_app


@attrs.frozen
class Reply:
    """One HTTP response: status, headers and the body parsed as JSON."""

    status: int
    headers: dict[str, str]
    body: Any


@attrs.frozen
class Client:
    """Calls the server over HTTP with the standard library, one connection per call."""

    port: int

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120.0,
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = raw if raw is not None else None if body is None else json.dumps(body).encode()
            sent = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read()
            assert response.getheader("content-type", "").startswith("application/json"), text
            return Reply(response.status, dict(response.getheaders()), json.loads(text))
        finally:
            conn.close()

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call("POST", path, body, **kwargs)

    def get(self, path: str) -> Reply:
        return self.call("GET", path)


@attrs.define
class Server:
    """A uvicorn server running in a thread of the test process."""

    server: Any
    thread: threading.Thread
    client: Client

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "uvicorn did not stop"


def start_server(settings: ServiceSettings) -> Server:
    """Start the app under uvicorn on a free loopback port; return once it listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive(), "uvicorn exited at start"
        assert time.monotonic() < deadline, "uvicorn did not start within 60 s"
        time.sleep(0.02)
    return Server(server, thread, Client(port))
