"""Fixtures of the service tests: uvicorn servers started for real on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from service_http import Client, Server, start_server

from sgcq.service import ServiceSettings


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One server for a module: 2 solvers, a queue of 16, bodies up to 8 MiB, 60 s per solve."""
    running = start_server(ServiceSettings(solvers=2, queue=16, time_limit=60, max_time_limit=60))
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Client:
    """The module's server's client."""
    return server.client


@pytest.fixture
def make_server() -> Iterator[Callable[[ServiceSettings], Server]]:
    """Start servers with other settings; each is stopped after the test."""
    started: list[Server] = []

    def make(settings: ServiceSettings) -> Server:
        s = start_server(settings)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()
