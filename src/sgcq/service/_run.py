"""Running the application with uvicorn."""

from __future__ import annotations

import copy

from sgcq.errors import MissingExtraError
from sgcq.service._app import create_app
from sgcq.service._settings import ServiceSettings

__all__ = ["serve"]


def serve(
    settings: ServiceSettings | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
) -> None:
    """Serve the HTTP service with uvicorn until interrupted (``sgcq serve``).

    Parameters
    ----------
    settings
        The service's limits.
    host, port
        Where to listen. The default, loopback, reaches this machine only;
        put a reverse proxy with TLS in front for anything else.
    log_level
        uvicorn's log level.

    Raises
    ------
    MissingExtraError
        If the ``server`` extra is not installed.
    """
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingExtraError(
            "the HTTP service", (exc.name or "uvicorn").split(".")[0], "server"
        ) from None
    # The service's own request lines go where uvicorn's go (standard error).
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["sgcq.service"] = {
        "handlers": ["default"],
        "level": log_level.upper(),
        "propagate": False,
    }
    # access_log off: uvicorn's line adds the client's address and the query
    # string; the service logs method, path, status, size and time itself.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        log_config=log_config,
        access_log=False,
    )
