"""Start Oxigraph server (the PyPI ``oxigraph`` package's binary) on a free 127.0.0.1 port, as
the remote store (KG_STORE) of the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.wikidata.standin import free_port
from tests.live import running

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@contextmanager
def oxigraph_serve(location: Path | None, log: Path, timeout: float = 30.0) -> Iterator[str]:
    """Run ``oxigraph serve`` (in memory if ``location`` is None), its default graph the union
    of its named graphs, as KG_STORE wants it; yield its base URL; stop it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location is not None:
        args[2:2] = ["--location", str(location)]
    with running(args, base + "/query", log, timeout):
        yield base


VIRTUOSO = shutil.which("virtuoso-t")  # Debian's virtuoso-opensource; absent on CI
VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
DirsAllowed = {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = {http}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
"""


@contextmanager
def virtuoso_serve(folder: Path, log: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run Virtuoso (``virtuoso-t``) with a new database in ``folder``; its SPARQL endpoint
    at /sparql, its Graph Store Protocol at /sparql-graph-crud open to writes (for `kg load`);
    yield its base URL; stop it after."""
    assert VIRTUOSO is not None
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=folder, sql=sql, http=http), encoding="utf-8")
    base = f"http://127.0.0.1:{http}"
    with running([VIRTUOSO, "-f", "-c", str(ini)], base + "/sparql", log, timeout, poll=0.2,
                 stop_wait=30, cwd=folder):
        isql = shutil.which("isql-vt") or "isql-vt"
        subprocess.run([isql, str(sql), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=30)
        yield base
