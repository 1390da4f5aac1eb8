"""Karabakh KG server: a read-only SPARQL 1.1 endpoint and linked-data site over the dataset.

WRITABLE (scratch copies only, e.g. test-suite runs) also accepts SPARQL Update; updates change
the in-memory store, never a file.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask

from graph import settings as settings_mod
from graph.search_index import INDEX_FILE
from server.fork_server import ForkServerError
from server.remote_store import RemoteKG
from server.result_cache import ResultCache
from server.search import SearchIndex
from server.store import DataError, KGStore
from server.store import load as load_store
from server.workers import WorkerPool


def _loader(kg: KGStore) -> Callable[[], ox.Store]:
    """What gives the workers' fork server its in-memory store: the one this process loaded
    (shared with it by the fork), or a load of the same file of its own."""
    if kg.in_memory:
        store = kg.store
        return lambda: store
    return lambda: load_store(kg.source)


def create_app(settings: dict[str, Any] | None = None, **flask_config: Any) -> Flask:
    """App factory: ``settings`` as ``graph.settings.load_checked`` gives them (defaults if
    None). It never reads the environment: the command line loads the settings, once."""
    app = Flask(__name__)
    app.config.update(flask_config)
    if settings is None:
        settings = settings_mod.load_checked(environ={})
    app.config["KG"] = settings
    data = Path(settings["DATA"]) if settings["DATA"] else Path(settings["BUILD_DIR"]) / "kg.nq"
    workers = settings["WORKERS"]
    if settings["STORE"]:  # queries run in a remote engine that holds this build
        kg: KGStore = RemoteKG.from_settings(data, settings)
    else:
        # Serving a build with query workers, pages read the build's on-disk store (if it
        # has one) and the in-memory copy is loaded once, by the workers' fork server.
        kg = KGStore(data, union=settings["UNION_DEFAULT_GRAPH"],
                     in_memory=workers == 0 or bool(settings["DATA"]))
    app.extensions["kg"] = kg
    app.extensions["kg_search"] = SearchIndex.beside(kg.source, INDEX_FILE)  # None: not built
    if workers > 0:  # query workers, forked (on first use) from the fork server's store
        try:
            pool = WorkerPool(_loader(kg), settings["UNION_DEFAULT_GRAPH"], workers,
                              memory_mib=settings["QUERY_MEMORY"],
                              recycle_mib=settings["WORKER_MEMORY"])
        except ForkServerError as err:
            raise DataError(str(err)) from None
        app.extensions["kg_workers"] = pool
        atexit.register(pool.close)
    if settings["RESULT_CACHE_BYTES"] > 0 and not settings["WRITABLE"]:
        app.extensions["kg_result_cache"] = ResultCache(settings["RESULT_CACHE_BYTES"])
    from server import sparql

    app.register_blueprint(sparql.bp)
    from server import browse, conflicts, find, pages, publish, timeline, ui, vendor

    app.register_blueprint(browse.bp)
    app.register_blueprint(conflicts.bp)
    app.register_blueprint(timeline.bp)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(publish.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(find.bp)
    from server import http_cache  # CORS, compression, ETags: after the routes are known

    with app.app_context():
        assets = [folder / name for folder in (ui.yasgui_dir(),) if folder is not None
                  for name in ui.YASGUI_FILES]
    assets += [vendor.NODE_MODULES / folder / name
               for folder, names in vendor.LIBRARIES.values() for name in names]
    http_cache.init_app(app, http_cache.identity(settings, data, assets))
    return app
