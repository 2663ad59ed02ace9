"""HTML pages to text: the visible text, scripts and navigation dropped (``selectolax``).

A page is parsed only when it is nested no deeper than a limit (:func:`html_depth`, a linear
scan): an HTML parser looks up the elements open around each new one (is a ``<p>`` open that
this ``<div>`` closes?), so its time grows with the nesting depth times the number of
elements, quadratically for a page of nested ``<div>`` elements (lexbor: 0.13 s for 10,000,
3.2 s for 40,000, 14.5 s for 80,000 levels, minutes for 200,000). A page whose formatting
elements left open are made again in block after block (``<div><i id=1>x</div><div><i id=2>…``:
90 KB of it makes 8 million elements) is refused too (:func:`element_budget`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sotegraph.errors import DocumentTooLargeError, InputError
from sotegraph.read.limits import DEFAULT_MAX_HTML_DEPTH, ReadLimits

__all__ = ["HtmlShape", "element_budget", "html_depth", "html_to_text"]

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "head",
    "[role=navigation]",
    "[role=banner]",
    "[role=contentinfo]",
    "[role=search]",
    "[aria-hidden=true]",
    "[hidden]",
)
_BLOCK = (
    "p",
    "div",
    "li",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "address",
    "figcaption",
)


# -- nesting depth, measured before parsing -------------------------------------------------------
# A linear scan that follows the HTML tree builder's stack of open elements (WHATWG HTML, "tree
# construction": in body, in table, in foreign content) closely enough to bound its depth: tags
# in comments and in raw text (scripts, styles) are not elements; void elements, elements closed
# implicitly (a <p> closed by a <div>, an <li> by the next <li>, table cells and rows), start and
# end tags the parser ignores, HTML elements that end an <svg> or <math>, and formatting
# elements it makes again (an <i> left open when its block ends is made again in the next
# block) are treated as the parser treats them. Where it simplifies (the adoption agency, <select>
# contents), it counts deeper than the parser, not shallower. The stack and the list of
# formatting elements are never longer than the limit, so each walk down the stack costs at
# most the limit.

_MARKUP = re.compile(
    r"""<(?:(/)?([A-Za-z][^\t\n\f\r />]*+)"""
    r"""((?>[^>"'=]++|=[\t\n\f\r ]*+"[^"]*+(?:"|\Z)|=[\t\n\f\r ]*+'[^']*+(?:'|\Z)|=|["'])*+)(>)?"""
    r"""|(!--)|[!?/])"""
)
# a tag (its end "/", name, attributes and closing ">"), a comment's start, or a bogus comment's
# (<!DOCTYPE …>, <?xml …?>): quoted attribute values may hold ">"; a value left open runs to
# the end of the page (then there is no ">" and nothing after it is markup)
_NOT_SPACE = re.compile(r"[^\t\n\f\r ]")
# an unquoted attribute value ending the tag (<svg id=x/>: the "/" is the value's, the tag is
# not self-closing)
_UNQUOTED_END = re.compile(r"=[\t\n\f\r ]*+[^\t\n\f\r \"'>][^\t\n\f\r >]*$")


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_VOID = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param "
    "source track wbr"
)
_RAW_TEXT = _names("script style textarea title xmp iframe noembed noframes")
_OUTSIDE_BODY = _names("html head body")
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup main menu nav ol p pre listing section "
    "search summary ul li dd dt hr xmp plaintext"
)  # and <table> too, but not in quirks mode (a page without <!DOCTYPE html>): left out
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
_MARKERS = _names("td th caption applet object marquee template")
# (and <frameset>: the parser ignores all else inside one, so nothing inside closes it; and
# <select>: lexbor does not close elements around a select from inside it)
_SCOPE = _names("applet caption html table td th marquee object template frameset select")
_BUTTON_SCOPE = _SCOPE | {"button"}
_LIST_SCOPE = _SCOPE | {"ol", "ul"}
_TABLE_SCOPE = _names("html table template frameset select")
_TABLE_BODY = _names("tbody thead tfoot")
_TABLE_ROWS = _TABLE_BODY | {"table", "tr"}
_TABLE_PARTS = _TABLE_ROWS | _names("td th caption colgroup")
_SPECIAL = _SCOPE | _CLOSES_P | _VOID | _RAW_TEXT | _OUTSIDE_BODY | _TABLE_PARTS
_SPECIAL |= _names("button noscript select")
# end tags that close their element when it is in scope (other end tags close it only when no
# special element is open inside it)
_END_IN_SCOPE = _HEADINGS | _names(
    "address article aside blockquote button center details dialog dir div dl fieldset "
    "figcaption figure footer header hgroup listing main menu nav ol pre search section summary "
    "ul p li dd dt applet marquee object select"
)
# an <li>, <dd> or <dt> closes the one before across these special elements only
_LIST_ITEM_PASS = _names("address div p")
# special start tags before which the parser still makes the formatting elements again
_REOPENS = _names(
    "applet marquee object area br embed img keygen wbr input select image button noscript xmp"
)
# SVG and MathML elements whose children are HTML again (the integration points), by namespace
_INTEGRATION = {
    "svg": _names("foreignobject desc title"),
    "math": _names("mi mo mn ms mtext annotation-xml/html"),
}
# <annotation-xml encoding="text/html"> (or XHTML) holds HTML; without it, MathML
_HTML_ENCODING = re.compile(
    r"""encoding\s*=\s*["']?(?:text/html|application/xhtml\+xml)(?:["'\s/]|$)""", re.IGNORECASE
)
# HTML start tags that end the <svg> or <math> they appear in
_BREAKOUT = _names(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
    "li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"
)
_FONT_BREAKOUT = re.compile(r"(?:^|[\s\"'])(?:color|face|size)\s*=", re.IGNORECASE)


class _Formatting:
    """An entry of the list of active formatting elements (``open``: on the stack)."""

    __slots__ = ("key", "name", "open")

    def __init__(self, name: str, key: str) -> None:
        self.name, self.key, self.open = name, key, False


class _TreeShape:
    """The parser's stack of open elements (below ``<body>``) and its formatting elements.

    Each open element has a name and a namespace: ``""`` (HTML), ``"svg"`` or ``"math"``.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ns: list[str] = []
        self.entries: list[_Formatting | None] = []  # each open element's formatting entry
        self.open: dict[str, int] = {}
        self.active: list[_Formatting | None] = []  # None: a marker (a table cell …)
        self.form = False  # the parser's form element pointer is set
        self.created = 0
        self.deepest = 0
        self.where = 0

    @property
    def top(self) -> str:
        """The current node's name (an SVG or MathML one prefixed: ``svg:g``)."""
        if not self.names:
            return "body"
        return f"{self.ns[-1]}:{self.names[-1]}" if self.ns[-1] else self.names[-1]

    def integration(self, i: int) -> bool:
        """Whether the element at ``i`` is an SVG or MathML element with HTML children."""
        ns = self.ns[i]
        return bool(ns) and self.names[i] in _INTEGRATION[ns]

    @property
    def in_foreign(self) -> bool:
        """Whether the current node is an SVG or MathML element whose children are not HTML."""
        return bool(self.ns) and bool(self.ns[-1]) and not self.integration(-1)

    def special(self, i: int) -> bool:
        """Whether the element at ``i`` is in the parser's special category."""
        if self.ns[i]:
            return self.integration(i)
        name = self.names[i]
        return name in _SPECIAL or name[0] == "#"  # (an ended foreign element: counted so)

    def push(self, name: str, at: int, entry: _Formatting | None = None, *, ns: str = "") -> None:
        self.names.append(name)
        self.ns.append(ns)
        self.entries.append(entry)
        self.open[name] = self.open.get(name, 0) + 1
        self.created += 1
        if entry is not None:
            entry.open = True
        if name in _MARKERS and not ns:
            self.active.append(None)
        if len(self.names) > self.deepest:
            self.deepest, self.where = len(self.names), at

    def remove(self, index: int) -> None:
        """Take the element at ``index`` out of the stack (those above it stay open)."""
        name = self.names.pop(index)
        ns = self.ns.pop(index)
        entry = self.entries.pop(index)
        self.open[name] -= 1
        if entry is not None:
            entry.open = False
        if name in _MARKERS and not ns:
            while self.active and self.active.pop() is not None:
                pass

    def pop_through(self, index: int) -> None:
        """Pop the element at ``index`` and every element above it."""
        while len(self.names) > index:
            self.remove(len(self.names) - 1)

    def break_out(self) -> None:
        """An HTML element inside SVG or MathML ends the foreign elements around it.

        Counted as if they stayed open (as inert HTML elements): misplaced HTML in SVG is where
        parsers differ most, and an overestimate is the safe side.
        """
        i = len(self.names) - 1
        while i >= 0 and self.ns[i] and not self.integration(i):
            self.open[self.names[i]] -= 1
            self.names[i] = "#" + self.names[i]
            self.open[self.names[i]] = self.open.get(self.names[i], 0) + 1
            self.ns[i] = ""
            i -= 1

    def find(self, names: frozenset[str] | set[str], boundary: frozenset[str]) -> int:
        """The index of the topmost open HTML element of ``names`` in scope, or -1.

        ``boundary``: the HTML elements that end the scope; SVG and MathML integration points
        end it too, except for the table scope.
        """
        if not any(self.open.get(n) for n in names):
            return -1
        foreign_ends = boundary is not _TABLE_SCOPE
        for i in range(len(self.names) - 1, -1, -1):
            name = self.names[i]
            if not self.ns[i]:
                if name in names:
                    return i
                if name in boundary:
                    return -1
            elif foreign_ends and self.integration(i):
                return -1
        return -1

    def close(self, names: frozenset[str] | set[str], boundary: frozenset[str]) -> bool:
        """Close the topmost open element of ``names`` in scope (and all above it), if any."""
        i = self.find(names, boundary)
        if i >= 0:
            self.pop_through(i)
        return i >= 0

    def table_context(self) -> str | None:
        """``"cell"`` inside a table cell or caption, ``"table"`` in a table's rows, else None."""
        for i in range(len(self.names) - 1, -1, -1):
            if self.ns[i]:
                continue
            name = self.names[i]
            if name in {"td", "th", "caption"}:
                return "cell"
            if name in _TABLE_ROWS or name == "colgroup":
                return "table"
            if name == "template":
                return None
        return None

    def entry(self, name: str) -> _Formatting | None:
        """The last active formatting entry named ``name`` after the last marker."""
        for e in reversed(self.active):
            if e is None:
                return None
            if e.name == name:
                return e
        return None

    def reopen(self, at: int) -> None:
        """Reconstruct the active formatting elements: push those no longer open again."""
        a = self.active
        if not a or a[-1] is None or a[-1].open:
            return
        i = len(a) - 1
        while i > 0:
            prev = a[i - 1]
            if prev is None or prev.open:
                break
            i -= 1
        for j in range(i, len(a)):
            old = a[j]
            assert old is not None
            a[j] = new = _Formatting(old.name, old.key)
            self.push(new.name, at, new)

    def _after_marker(self) -> int:
        for i in range(len(self.active) - 1, -1, -1):
            if self.active[i] is None:
                return i + 1
        return 0

    def start_formatting(self, name: str, key: str, at: int) -> None:
        if name in {"a", "nobr"}:
            # a link inside a link ends the first (the adoption agency)
            self.end_formatting(name)
        self.reopen(at)
        alike = [
            e for e in self.active[self._after_marker() :] if e and (e.name, e.key) == (name, key)
        ]
        if len(alike) >= 3:  # the parser keeps three alike
            self.active.remove(alike[0])
        entry = _Formatting(name, key)
        self.push(name, at, entry)
        self.active.append(entry)

    def end_formatting(self, name: str) -> bool:
        """The adoption agency, as far as depth goes; ``False``: no such formatting element."""
        entry = self.entry(name)
        if entry is None:
            return False
        if not entry.open:
            self.active.remove(entry)
            return True
        i = len(self.entries) - 1
        while self.entries[i] is not entry:
            if (not self.ns[i] and self.names[i] in _SCOPE) or self.integration(i):
                return True  # not in scope: ignored
            i -= 1
        if any(self.special(j) for j in range(i + 1, len(self.names))):
            # a block opened inside it: the element is closed and a copy made inside the
            # block, active in its place; counted as if the element stayed open (the parser's
            # stack is no deeper)
            return True
        self.active.remove(entry)
        self.pop_through(i)
        return True

    def start(self, name: str, key: str, at: int, *, self_closing: bool) -> None:
        """Apply a start tag (not raw text) to the stack."""
        if self.in_foreign:
            if name not in _BREAKOUT and not (name == "font" and _FONT_BREAKOUT.search(key)):
                if name == "annotation-xml" and _HTML_ENCODING.search(key):
                    name += "/html"  # an integration point: its children are HTML
                if not self_closing:
                    self.push(name, at, ns="svg" if name == "svg" else self.ns[-1])
                return
            self.break_out()
        if name in _OUTSIDE_BODY:
            return  # <html>, <head>, <body>: no element inside the body
        if name in {"svg", "math"}:
            if self.active:
                self.reopen(at)
            if not self_closing:
                self.push(name, at, ns=name)
            return
        if self.active and (name not in _SPECIAL or name in _REOPENS) and name != "button":
            self.reopen(at)
        if name in _VOID:
            if name == "hr" and self.open.get("p"):
                self.close({"p"}, _BUTTON_SCOPE)
            return
        if name in _FORMATTING:
            self.start_formatting(name, key, at)
            return
        if name in _TABLE_PARTS and name != "table":
            self.start_table_part(name, at)
            return
        if name == "form":
            if self.form:
                return  # a form inside a form is ignored
            self.form = True
        if name in {"li", "dd", "dt"}:
            closes = {"li"} if name == "li" else {"dd", "dt"}
            for i in range(len(self.names) - 1, -1, -1):
                if self.names[i] in closes and not self.ns[i]:
                    self.pop_through(i)
                    break
                if self.special(i) and self.names[i] not in _LIST_ITEM_PASS:
                    break
        if name in _CLOSES_P and self.open.get("p"):
            self.close({"p"}, _BUTTON_SCOPE)
        if name in _HEADINGS and self.top in _HEADINGS:
            self.remove(len(self.names) - 1)
        elif name == "button":
            self.close({"button"}, _SCOPE)
            if self.active:  # made again after the button before is closed
                self.reopen(at)
        elif name in {"option", "optgroup"} and self.top == "option":
            self.remove(len(self.names) - 1)  # (an <optgroup> stays inside an <optgroup>)
        elif name == "select":
            i = self.find({"select"}, _SCOPE)
            if i >= 0:  # a select inside a select ends the first
                self.pop_through(i)
                return
        elif name == "table" and self.table_context() == "table":
            self.close({"table"}, _TABLE_SCOPE)  # a table straight inside a table ends it
        self.push(name, at)

    def start_table_part(self, name: str, at: int) -> None:
        """``<tr>``, ``<td>`` … : ignored outside a table, closing a cell or row inside one."""
        context = self.table_context()
        if context is None:
            return  # the parser ignores table parts outside a table
        if context == "cell":
            self.close({"td", "th", "caption"}, _TABLE_SCOPE)
        # clear the stack back to the table (caption, colgroup, a row group), the row group
        # (a row) or the row (a cell)
        back = {"table"}
        if name == "tr":
            back |= _TABLE_BODY
        elif name in {"td", "th"}:
            back |= _TABLE_BODY | {"tr"}
        i = self.find(back, _TABLE_SCOPE)
        if i < 0:
            return
        self.pop_through(i + 1)
        if name in {"tr", "td", "th"} and self.top == "table":
            self.push("tbody", at)
        if name in {"td", "th"} and self.top in _TABLE_BODY:
            self.push("tr", at)
        self.push(name, at)

    def end(self, name: str) -> None:
        """Apply an end tag (the parser ignores one whose element is not open)."""
        if self.in_foreign:
            if name in {"br", "p"}:
                self.break_out()
            else:
                for i in range(len(self.names) - 1, -1, -1):
                    if not self.ns[i]:
                        break  # an HTML element: the end tag is an HTML end tag
                    if self.names[i] == name:
                        self.pop_through(i)
                        return
        if name in _FORMATTING:
            if self.end_formatting(name):
                return
        elif (
            self.names
            and self.names[-1] == name
            and not self.ns[-1]
            and name not in _BUTTON_SCOPE
            and name not in _TABLE_PARTS
            and name != "form"
        ):
            self.remove(len(self.names) - 1)  # the usual case: the last element opened
            return
        if not self.open.get(name):
            return
        if self.open.get("select") and name not in {"select", "option", "optgroup"}:
            for i in range(len(self.names) - 1, -1, -1):
                if self.names[i] == name:
                    break
                if self.names[i] == "select" and not self.ns[i]:
                    return  # inside a <select>, an end tag of an element around it is ignored
        if name == "form":
            self.form = False
            i = self.find({"form"}, _SCOPE)
            if i == len(self.names) - 1:
                self.remove(i)
            # else only the form leaves the parser's stack: the elements inside it stay open,
            # and in the tree the form stays around them, so it is counted still
            return
        if name in _TABLE_PARTS:
            self.close({name}, _TABLE_SCOPE)
            return
        if name in _END_IN_SCOPE:
            boundary = _BUTTON_SCOPE if name == "p" else _LIST_SCOPE if name == "li" else _SCOPE
            self.close({name}, boundary)
            return
        for i in range(len(self.names) - 1, -1, -1):
            if self.names[i] == name and not self.ns[i]:
                self.pop_through(i)
                return
            if self.special(i):
                return  # an end tag across a block is ignored


def element_budget(chars: int) -> int:
    """The most elements an HTML parser may make from a page of ``chars`` characters.

    A start tag takes three characters at least (``<b>``), and a parser adds few elements of
    its own (``<tbody>``, ``<tr>``); more elements than half the characters means formatting
    elements left open are being made again in block after block.

    >>> element_budget(1_000_000)
    501000
    """
    return chars // 2 + 1000


@dataclass(frozen=True, slots=True)
class HtmlShape:
    """How an HTML page nests (:func:`html_depth`).

    Attributes
    ----------
    depth:
        The greatest depth of nested elements below ``<body>`` (``limit + 1`` when the scan
        stopped at a limit).
    line:
        The 1-based line where that depth is first reached.
    elements:
        How many elements the parser makes (up to where the scan stopped); more than the page
        has tags when formatting elements left open are made again block after block.
    """

    depth: int
    line: int
    elements: int


def html_depth(html: str, *, limit: int | None = None) -> HtmlShape:
    """Measure how deep the elements of a page nest, without building the page.

    The depth is the length of the HTML parser's stack of open elements below ``<body>``
    (``<p><b>x</b></p>`` nests 2 deep), followed through the markup by a linear scan that
    builds nothing: tags inside comments, scripts and styles are not elements, ``<br>`` and
    ``<img>`` hold nothing, an element the parser closes by itself (a ``<p>`` before a
    ``<div>``, an ``<li>`` before the next ``<li>``, table rows and cells) is closed here too,
    an end tag the parser ignores is ignored, HTML inside ``<svg>`` ends it, and a formatting
    element left open at the end of its block (``<div><i>x</div>``) is opened again where the
    parser opens it. Where the scan simplifies (the adoption agency of misnested formatting
    elements, ``<select>`` contents), it counts deeper than the parser: on well-formed pages
    it gives lexbor's depth, on random tag soup at least 0.9 of it (tests/read/test_limits.py).
    With a ``limit``, the scan stops as soon as the depth (or the number of formatting elements
    waiting to be opened again) goes over it, or the elements made over
    :func:`element_budget`, so its time stays linear in the page.

    Parameters
    ----------
    html:
        The page's markup.
    limit:
        Stop when the depth goes over this.

    Returns
    -------
    HtmlShape
        The depth, its line and the number of elements.

    Examples
    --------
    >>> html_depth("<html><body><div><p>Teksti <b>lihava</b></p></div></body></html>")
    HtmlShape(depth=3, line=1, elements=3)
    >>> html_depth("<ul><li>yksi<li>kaksi</ul><p>a<p>b<p>c<!-- <div><div> -->").depth
    2
    >>> html_depth("<div>" * 10_000, limit=512).depth
    513
    >>> html_depth("".join(f"<div><i id={k}>x</div>" for k in range(100))).depth  # i in i …
    101
    """
    shape = _TreeShape()
    pos, n = 0, len(html)
    stop = limit if limit is not None else n + 1
    budget = element_budget(n) if limit is not None else None
    while pos < n and shape.deepest <= stop and len(shape.active) <= stop:
        if budget is not None and shape.created > budget:
            break
        m = _MARKUP.search(html, pos)
        if m is None:
            break
        at = m.start()
        if (
            at > pos
            and shape.active
            and not shape.in_foreign
            and (shape.top not in _TABLE_ROWS or _NOT_SPACE.search(html, pos, at))
        ):
            shape.reopen(pos)  # text: the formatting elements are reopened around it
        slash, name, attributes, closed, comment = m.groups()
        if name is None:
            # a comment, or <!DOCTYPE …>, <?xml …?> (a bogus comment)
            end = html.find("-->", m.end()) if comment else html.find(">", m.end())
            if end < 0:
                break
            pos = end + (3 if comment else 1)
            continue
        if closed is None:  # a tag left open at the end of the page
            break
        pos = m.end()
        name = name.lower()
        if slash:
            shape.end(name)
            continue
        if (
            name in {"input", "keygen", "textarea"}
            and shape.open.get("select")
            and not shape.in_foreign
        ):
            shape.close({"select"}, _SCOPE)  # these end a <select>
        # raw text (a frameset page has none: there, a "<script>" is a tag the parser ignores,
        # and what follows it is counted)
        raw = not shape.in_foreign and not shape.open.get("frameset")
        if name == "plaintext" and raw:
            break
        if name in _RAW_TEXT and raw:
            close = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE).search(html, pos)
            if close is None:
                break
            end = html.find(">", close.end() - 1)
            pos = n if end < 0 else end + 1
            if name == "xmp" and shape.active:
                shape.reopen(at)
            shape.push(name, at)
            shape.remove(len(shape.names) - 1)
            continue
        key = attributes.strip() if name in _FORMATTING or name == "annotation-xml" else ""
        closing = attributes.endswith("/") and not _UNQUOTED_END.search(attributes)
        shape.start(name, key, at, self_closing=closing)
    if len(shape.active) > stop >= shape.deepest:
        shape.deepest, shape.where = stop + 1, pos
    return HtmlShape(shape.deepest, html.count("\n", 0, shape.where) + 1, shape.created)


def html_to_text(
    html: str, *, source: str = "<html>", max_depth: int | None = DEFAULT_MAX_HTML_DEPTH
) -> str:
    """Return the visible text of an HTML page, with scripts and navigation dropped.

    Block elements become lines; a table row of a header cell and a data cell (``<th>Hankekoodi
    </th><td>S29999</td>``) and a definition-list pair become one ``label: value`` line, as the
    EURA parser expects.

    Parameters
    ----------
    html:
        The page's markup (already decoded, see :func:`decode_text`).
    source:
        The file name, for messages.
    max_depth:
        The deepest nesting of elements read (:func:`html_depth`); ``None``: no limit.

    Raises
    ------
    DocumentTooLargeError
        If the page nests deeper than ``max_depth`` (checked before it is parsed).
    InputError
        If selectolax is not installed.

    Examples
    --------
    >>> html_to_text("<html><nav>Valikko</nav><p>Hankekoodi: S29999</p><script>x()</script></html>")
    'Hankekoodi: S29999'
    >>> html_to_text("<table><tr><th>Hankekoodi</th><td>S29999</td></tr></table>")
    'Hankekoodi: S29999'
    >>> html_to_text("<div>" * 600 + "syvällä", source="x.html")
    Traceback (most recent call last):
    ...
    sotegraph.errors.DocumentTooLargeError: x.html:1: HTML nested too deeply: more than 512 ...
    """
    if max_depth is not None:
        shape = html_depth(html, limit=max_depth)
        if shape.depth > max_depth:
            raise ReadLimits(max_html_depth=max_depth).depth_error(shape.line, file=source)
        if shape.elements > element_budget(len(html)):
            raise DocumentTooLargeError(
                f"HTML would make over {element_budget(len(html)):,} elements of "
                f"{len(html):,} characters of markup (formatting elements such as <i> or <font> "
                "left open and made again in block after block)",
                file=source,
                line=shape.line,
                expected="formatting elements closed inside the block that opens them",
            )
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise InputError(
            "reading HTML needs selectolax",
            file=source,
            expected="pip install 'sotegraph[formats]'",
        ) from exc
    tree = LexborHTMLParser(html)
    for selector in _DROP:
        for node in tree.css(selector):
            node.decompose()
    for node in tree.css("br"):
        node.insert_after("\n")
    # label cells: "<th>Label</th><td>value</td>" and "<dt>Label</dt><dd>value</dd>"
    for node in tree.css("th, td, dt"):
        label = (node.text(strip=True) or "").rstrip()
        nxt = node.next
        while nxt is not None and nxt.tag == "-text" and not (nxt.text() or "").strip():
            nxt = nxt.next
        is_label = node.tag == "dt" or (node.tag == "th" and nxt is not None and nxt.tag == "td")
        if node.tag == "dt":
            node.insert_before("\n")
        if is_label and label:
            node.insert_after(" " if label.endswith(":") else ": ")
        else:
            node.insert_after(" ")
    for tag in _BLOCK:
        for node in tree.css(tag):
            node.insert_before("\n")
            node.insert_after("\n")
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(separator="", strip=False)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    # a dt/dd pair renders as "Label:" then "value" on the next line: join them
    joined: list[str] = []
    for line in out:
        if joined and joined[-1].endswith(":") and line and ":" not in line[:40]:
            prev = joined[-1]
            if len(prev) < 80:
                joined[-1] = f"{prev} {line}"
                continue
        joined.append(line)
    return "\n".join(joined).strip()
