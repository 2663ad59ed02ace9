"""The scan over the lines of the clean view: which structure each line starts.

Line by line: a pipe table or a role table is read whole; a list item naming a project
opens a record (its indented lines and sentences belong to it until the list ends); a
bulleted list after a role introduction gives the page's organisations; a labelled field
goes to the open record or the page; other lines may carry a code or period inline (a
report's cover) or are prose of the open item. Projects in brackets are read from the
whole text afterwards.
"""

from __future__ import annotations

from sotegraph.extract.layout.fields import paren_records, read_inline, read_label
from sotegraph.extract.layout.lists import ITEM, item_prose, item_start, org_list
from sotegraph.extract.layout.model import ReadState
from sotegraph.extract.layout.tables import (
    is_role_table,
    is_table,
    read_role_table,
    read_table,
)

__all__ = ["scan"]


def scan(state: ReadState) -> None:
    """Read the structures of the clean view into ``state`` (records, consumed lines).

    Parameters
    ----------
    state:
        A fresh reader state (:meth:`ReadState.of`).
    """
    lines = state.lines
    n = len(lines)
    i = 0
    while i < n:
        a, _b, text = lines[i]
        stripped = text.strip()
        if not stripped:
            state.item_open = False
            if state.current is not None and state.current.kind == "item":
                # a blank line ends an item unless indented fields follow
                j = i + 1
                if j < n and not lines[j][2].startswith((" ", "\t")):
                    state.current = None
            i += 1
            continue
        indent = len(text) - len(text.lstrip())
        if is_table(state, i):
            j = read_table(state, i)
            state.consumed.append((i, j))
            i = j
            state.current = None
            continue
        if is_role_table(state, i):
            j = read_role_table(state, i)
            state.consumed.append((i, j))
            i = j
            continue
        item = ITEM.match(text)
        if item and item_start(state, item, i):
            i += 1
            continue
        if item and item.group("bullet"):
            j = org_list(state, i)
            if j:
                state.consumed.append((i, j))
                i = j
                continue
        consumed = read_label(state, i, indent)
        if consumed:
            state.consumed.append((i, consumed))
            i = consumed
            continue
        # inline code / period in a cover line ("Hankekoodi A1 · Toteutusaika 1.1.–…")
        read_inline(state, text)
        if state.current is not None and state.current.kind == "item":
            if indent <= state.current.indent and not item and not state.item_open:
                state.current = None
            else:
                item_prose(state.current, text, a)
        i += 1
    paren_records(state)
