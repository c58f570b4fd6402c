"""The web desk: the ledger in a browser (server-rendered pages) and as JSON (``/api/v1``).

    app = create_app(store)                  # a FastAPI app over an open Store
    serve(url, host="127.0.0.1", port=8000)  # what `claimscope serve` runs

Modules: ``app`` (the application, headers, errors), ``pages`` (HTML), ``api`` (JSON),
``params`` (the query parameters both share), ``models`` (the API's JSON shapes), ``auth``
(users, tokens, sessions, CSRF, roles), ``marks`` (formatting helpers for templates).
Each page and its API twin call one data function of :class:`claimscope.store.LedgerViews`.
"""

from __future__ import annotations

import uvicorn

from claimscope.store import Accounts, open_store
from claimscope.store.views import refresh_statistics
from claimscope.web.app import create_app
from claimscope.web.auth import add_user, is_loopback, new_token

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(url: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          require_login: bool = False, warn=print) -> None:
    """Run the desk over the database at ``url`` until interrupted.

    Listening beyond the loopback always requires login, for every page and API call.
    """
    require_login = require_login or not is_loopback(host)
    with open_store(url) as store:
        if require_login and Accounts(store).count() == 0:
            warn("claimscope: login is required but no user exists yet: "
                 "add one with `claimscope users add NAME --role admin`")
        refresh_statistics(store)
        app = create_app(store, require_login=require_login)
        uvicorn.run(app, host=host, port=port, server_header=False, proxy_headers=False,
                    log_level="info")


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "add_user", "create_app", "new_token", "serve"]
