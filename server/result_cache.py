"""Answers to repeated queries without evaluating them again.

The served dataset is immutable while the server runs, so an answer depends only on the request:
the query text, the dataset it names, the format asked for and the limits. Those make the key;
the cache is bounded in bytes and drops the least recently used answer first. Only complete
answers (200) to queries that call no remote SERVICE are kept: a remote endpoint's data can change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from server.results import Answer, Job

Key = tuple


def key(job: Job) -> Key:
    """Everything of the job that the answer depends on (the shape follows from the query)."""
    return (job.query, job.accept, tuple(job.format_names), tuple(job.default_graphs),
            tuple(job.named_graphs), job.max_rows, job.max_bytes, job.base_iri,
            tuple(job.service_allowlist))


class ResultCache:
    """A least-recently-used map of answers, at most ``max_bytes`` of bodies in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Key, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # the WSGI server answers on several threads
        self.hits = self.misses = 0

    def get(self, job: Job) -> Answer | None:
        k = key(job)
        with self._lock:
            answer = self._entries.get(k)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(k)
            self.hits += 1
        return replace(answer, headers=dict(answer.headers))  # callers may add headers

    def put(self, job: Job, answer: Answer) -> None:
        # An answer larger than an eighth of the cache would push out many cheaper ones.
        if answer.status != 200 or len(answer.body) > self.max_bytes // 8 or job.mentions_service:
            return
        k = key(job)
        with self._lock:
            if k in self._entries:
                return
            self._entries[k] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes:
                _old, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.body)

    @property
    def size(self) -> int:
        """Bytes of answer bodies held."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)
