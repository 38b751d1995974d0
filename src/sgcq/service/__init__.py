"""sgcq over HTTP: an ASGI service for teams outside Python (``sgcq serve``).

Needs the ``server`` extra (``pip install "sgcq[server]"``: Starlette and
uvicorn); importing this package without it raises
:class:`~sgcq.errors.MissingExtraError`.

Endpoints (``docs/http.md``): ``POST /validate``, ``/evaluate``, ``/match``,
``/rematch``, ``/rounds`` (an offer round), ``/tasks`` (dated tasks, as JSON
or, with ``Accept: text/calendar``, iCalendar) and ``/progress`` (targets);
``GET /scenarios``, ``/scenarios/{name}``, ``/schema/{kind}``,
``/openapi.json`` and ``/health``. Bodies are sgcq documents; a bad one gets
422 with the path to every bad value, a body over the limit 413, and a full
queue 503. Solves run in worker threads, off the event loop, each with a
wall-clock limit; one that reaches it answers with its best result (status
FEASIBLE or UNKNOWN). Logs carry the method, path, status, size and time of
each request, never a body.

Examples
--------
>>> from sgcq.service import ServiceSettings, create_app
>>> app = create_app(ServiceSettings(solvers=1, queue=4))
>>> sorted(r.path for r in app.routes)[:3]
['/evaluate', '/health', '/match']
"""

from sgcq.service._app import create_app
from sgcq.service._openapi import openapi_document
from sgcq.service._run import serve
from sgcq.service._settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app", "openapi_document", "serve"]
