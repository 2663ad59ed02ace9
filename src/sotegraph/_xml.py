"""What every XML file sotegraph writes shares: the GraphML head, and the check it passes
before it replaces the old file."""

from __future__ import annotations

from pathlib import Path
from xml.parsers import expat

from sotegraph.errors import SotegraphError

#: The start of every GraphML file sotegraph writes, as networkx writes it (before the keys).
GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def check_well_formed(path: Path, what: str) -> None:
    """Parse ``path`` with expat; a written file that does not parse is a bug, never a result.

    ``what`` names the format in the message (``graphml``, ``gexf``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     bad = Path(d) / "x.graphml"
    ...     _ = bad.write_text("<graphml><node></graphml>", encoding="utf-8")
    ...     try:
    ...         check_well_formed(bad, "graphml")
    ...     except SotegraphError as exc:
    ...         print(str(exc).split(" (")[0])
    the graphml file written is not well-formed XML
    """
    parser = expat.ParserCreate()
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except expat.ExpatError as exc:
        raise SotegraphError(
            f"the {what} file written is not well-formed XML ({exc}); nothing was "
            "written (this is a bug in sotegraph: please report it with the input)"
        ) from exc
