"""Writing a rebuild's segments: the words for the lexicon, then the documents, fast or with Whoosh's writer.

With the fast paths on (see ``whoosh_fast``), ``whoosh_fast.writer`` writes Whoosh's own segment format
without Whoosh's per-posting loops, in forked processes for a large rebuild. Off, Whoosh's own writer
indexes the documents one by one in this process. Incremental writes (the sync after a save) always use
Whoosh's own writer. ``tests/search_index/test_segments.py`` checks that the two write the same index,
term by term and posting by posting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from .analysis import word_counts
from .documents import PilotDocument
from .forked import fork_available, map_slices

PROGRESS_STEP = 500  # documents between progress reports of Whoosh's own writer


def corpus_word_counts(docs: Iterable[PilotDocument]) -> Counter[str]:
    """The words the compound lexicon is made of. Theme labels and tags count too: curated words ("Schulden
    en armoede") that compounds are made of ("energiearmoede") even where a text never uses them alone."""
    return word_counts(t for d in docs for t in (d.title, d.summary, d.plain_body, *d.theme_labels, *d.tags))


def count_words(docs: Sequence[PilotDocument], procs: int = 1) -> Counter[str]:
    """``corpus_word_counts`` of ``docs``, in ``procs`` forked processes (word counts add up)."""
    if procs <= 1 or not fork_available():
        return corpus_word_counts(docs)
    total: Counter[str] = Counter()
    for part in map_slices(corpus_word_counts, docs, procs):
        total.update(part)
    return total


def write_documents(
    ix,
    docs: Sequence[PilotDocument],
    fields: Callable[[PilotDocument], dict],
    procs: int = 1,
    progress: Callable[[int], None] | None = None,
    fast: bool = True,
) -> None:
    """Index ``docs`` (``fields(doc)`` gives Whoosh's field values) into the empty index ``ix`` and commit.

    ``fast``: ``whoosh_fast.writer`` (in ``procs`` forked processes, each writing its own segment); else
    Whoosh's own writer in this process. :raise RuntimeError: when the index does not hold every document
    (a writer process died)."""
    if fast:
        from .whoosh_fast.writer import write_documents as write_fast  # imported only when switched on

        write_fast(ix, docs, fields, procs=procs, progress=progress)
    else:
        writer = ix.writer()
        try:
            for n, doc in enumerate(docs, 1):
                writer.add_document(**fields(doc))
                if progress and n % PROGRESS_STEP == 0:
                    progress(n)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    found = ix.doc_count_all()
    if found != len(docs):  # a writer process that died leaves its segment out of the commit
        raise RuntimeError(f"the new index holds {found} of {len(docs)} documents")
