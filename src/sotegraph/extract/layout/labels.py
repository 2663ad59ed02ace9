"""The label table: the field labels of project pages, forms and reports, and their kinds.

A label names what its value is: a project's name, alias or code, an organisation with a
role (``lead``, ``partner``, ``collaborator``, ``funder``, ``authority``, or
``implementers``, a list whose marked member leads), a period or its start or end, an
amount granted or planned, or a field that is read but gives no facts (``skip``, kept away
from the prose reader). A label stands before its value after a colon, in a column of its
own (two spaces or more) or alone on its line with the value on the lines below.
"""

from __future__ import annotations

import re

__all__ = [
    "CODE",
    "CODE_INLINE",
    "COLON_ONLY",
    "LABELS",
    "LABEL_LINE",
    "PERIOD_INLINE",
    "label_of",
]

#: label → field kind. Labels are matched case-insensitively, the longest first.
LABELS: dict[str, str] = {
    # names and codes
    "hankkeen nimi": "name",
    "hankkeen julkinen nimi": "name",
    "projektin nimi": "name",
    "projektin julkinen nimi": "name",
    "kokonaisuuden nimi": "name",
    "hanke": "name",
    "projekti": "name",
    "projektets namn": "name",
    "projektnamn": "name",
    "lyhenne": "alias",
    "hankekoodi": "code",
    "projektikoodi": "code",
    "koodi": "code",
    "projektkod": "code",
    # roles
    "hallinnoija": "lead",
    "hankkeen hallinnoija": "lead",
    "päätoteuttaja": "lead",
    "hakijan virallinen nimi": "lead",
    "hakijaorganisaation nimi": "lead",
    "hakijaorganisaatio": "lead",
    "toteuttajaorganisaation nimi": "lead",
    "toteuttajaorganisaatio": "lead",
    "vastuuorganisaatio": "lead",
    "förvaltare": "lead",
    "huvudgenomförare": "lead",
    "toteuttaja": "implementers",
    "toteuttajat": "implementers",
    "osatoteuttajat": "partner",
    "osatoteuttaja": "partner",
    "osahakijat": "partner",
    "delgenomförare": "partner",
    "yhteistyökumppanit": "collaborator",
    "yhteistyökumppani": "collaborator",
    "yhteistyötahot": "collaborator",
    "samarbetspartner": "collaborator",
    "rahoittaja": "funder",
    "rahoittajat": "funder",
    "rahoitus": "funder",
    "rahoituslähde": "funder",
    "finansiär": "funder",
    "finansiering": "funder",
    "vastuuviranomainen": "authority",
    "rahoittava viranomainen": "authority",
    "viranomainen, jolle hakemus osoitetaan": "authority",
    # periods
    "kesto": "period",
    "toteutusaika": "period",
    "suunnitelman mukainen toteutusaika": "period",
    "projektin toteutusaika": "period",
    "hankkeen toteutusaika": "period",
    "hankeaika": "period",
    "toiminta-aika": "period",
    "aika": "period",
    "aikataulu": "period",
    "projekttid": "period",
    "alkamispäivämäärä": "start",
    "alkamispäivä": "start",
    "alkaa": "start",
    "päättymispäivämäärä": "end",
    "päättymispäivä": "end",
    "päättyy": "end",
    # money
    "myönnetty eu- ja valtion rahoitus": "granted",
    "eu- ja valtion rahoitus": "granted",
    "tuki": "granted",
    "myönnetty tuki": "granted",
    "suunniteltu julkinen rahoitus yhteensä": "planned",
    "suunniteltu julkinen rahoitus": "planned",
    "julkinen rahoitus yhteensä": "planned",
    "kokonaisbudjetti": "planned",
    # read, but no facts of their own (kept away from the prose reader)
    "lyhyt kuvaus": "skip",
    "teemat": "skip",
    "toiminta-alue": "skip",
    "paikkakunta, maakunta tai hyvinvointialue": "skip",
    "kehittäjät": "skip",
    "toimintalinja": "skip",
    "erityistavoite": "skip",
    "organisaatiotyyppi": "skip",
    "y-tunnus": "skip",
    "tila": "skip",
    "toiminnan tila": "skip",
}
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in LABELS), key=len, reverse=True))
#: "Label: value" (inline), "Label  value" (columns) and a label alone on its line.
LABEL_LINE = re.compile(
    rf"^(?P<indent>[ \t]*)(?:[-•*–]\s+)?(?P<label>{_LABEL_ALT})"
    rf"(?:\s*:\s*(?P<v1>.*?)|[ \t]{{2,}}(?P<v2>\S.*?)|\s*(?P<none>))\s*$",
    re.IGNORECASE,
)
#: an EURA project code (``S12345``, ``A12345``)
CODE = re.compile(r"\b([SA]\d{5}|[SA]\d{5}\b)\b")
#: a code after its label on a line of other text (a report's cover)
CODE_INLINE = re.compile(
    r"\b(?:hankekoodi|projektikoodi|koodi)\s*:?\s+(?P<code>[SA]\d{5})\b", re.IGNORECASE
)
#: a period after its label on a line of other text
PERIOD_INLINE = re.compile(
    r"\b(?:toteutusaika|kesto|hankeaika)\s*:?\s+(?P<v>\d{1,2}\.\d{1,2}\.(?:\d{4})?\s*[–—-]\s*"
    r"\d{1,2}\.\d{1,2}\.\d{4})",
    re.IGNORECASE,
)
#: labels that only count with a colon (they are also ordinary words starting sentences)
COLON_ONLY = {
    "hanke",
    "projekti",
    "aika",
    "tuki",
    "rahoitus",
    "koodi",
    "alkaa",
    "päättyy",
    "toteuttaja",
    "kesto",
    "finansiering",
    "tila",
}

_SPACES = re.compile(r"\s+")


def label_of(raw: str) -> str:
    """The key of a label in :data:`LABELS`: lower case, single spaces.

    Parameters
    ----------
    raw:
        A label as written.

    Returns
    -------
    str
        The label folded.

    Examples
    --------
    >>> label_of("  Hankkeen   Nimi ")
    'hankkeen nimi'
    """
    return _SPACES.sub(" ", raw.strip().lower())
