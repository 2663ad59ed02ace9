"""Parser of EURA 2014 project-description records (ESR and EAKR).

A record is a sequence of numbered sections (``1 Hanke`` … ``9 Loppuraportin tiivistelmä``)
holding ``Label: value`` lines, a partner block (``Osatoteuttajat`` followed by
``Name, Y-tunnus`` lines) and prose. Fields may come in any order and sections may be
missing: what is there is extracted, what is malformed becomes an
:class:`~sotegraph.facts.ExtractionWarning` naming the file, the line and what was expected.

Contact persons, e-mail addresses and phone numbers go to :attr:`Facts.persons` only; the
RDF stage keeps them out of the graph unless personal data is requested.

Examples
--------
>>> from sotegraph.read import Document
>>> text = '''Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus
... 1 Hanke
... Hankekoodi: S20001
... Hankkeen nimi: Koehanke
... Suunnitelman mukainen toteutusaika: Alkaa 1.3.2018 ja päättyy 31.12.2020
... 2 Hakijan perustiedot
... Hakijan virallinen nimi: Esimerkki Oy
... Y-tunnus: 2553600-4
... Osatoteuttajat
...
... Kumppani, Oy, 0188962-2
... 5 Projektin julkinen rahoitus, euroa
... Myönnetty EU- ja valtion rahoitus: 208 856
... '''
>>> facts = parse_eura(Document.from_text(text, source="koe.txt"))
>>> p = facts.projects[0]
>>> (p.code, p.fund, str(p.start), str(p.end), p.granted_eu_state)
('S20001', 'ESR', '2018-03-01', '2020-12-31', Decimal('208856'))
>>> [(o.name, o.business_id) for o in facts.organisations]
[('Esimerkki Oy', '2553600-4'), ('Kumppani, Oy', '0188962-2')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from sotegraph import values
from sotegraph.errors import InputError
from sotegraph.facts import (
    AreaLevel,
    Facts,
    OrganisationFact,
    Participation,
    PersonFact,
    PlaceMention,
    ProjectFact,
    Role,
    Severity,
    Span,
)
from sotegraph.read import Document
from sotegraph.values import Written, business_id_check_digit, valid_business_id

__all__ = ["parse_amount", "parse_date", "parse_eura", "programme_period_of"]

_TITLE = re.compile(
    r"Euroopan\s+(?P<fund>sosiaalirahaston\s+\(ESR\)|aluekehitysrahaston\s+\(EAKR\))"
    r"\s+rahoittaman\s+(?:hankkeen|projektin)\s+kuvaus",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(?P<num>[1-9](?:\.[1-9])?)\.?\s+(?P<title>[A-ZÅÄÖ][^:]{2,80})$")
_KNOWN_HEADINGS: dict[str, tuple[str, ...]] = {
    "1": ("hanke", "projekti"),
    "2": ("hakijan perustiedot", "hakija", "toteuttajan perustiedot"),
    "3": ("suunnitelman mukainen tiivistelmä", "tiivistelmä"),
    "4": ("hankkeen kohderyhmät", "projektin kohderyhmät", "kohderyhmät"),
    "4.1": ("varsinaiset kohderyhmät",),
    "4.2": ("välilliset kohderyhmät",),
    "5": ("projektin julkinen rahoitus", "hankkeen julkinen rahoitus", "julkinen rahoitus"),
    "6": ("maantieteellinen kohdealue",),
    "7": ("hakemusvaiheessa ilmoitettavat arviot", "seurantatiedot"),
    "7.1": ("osallistuvien yritysten lukumäärä",),
    "7.2": ("osallistuvien henkilöiden lukumäärä",),
    "8": ("horisontaaliset periaatteet",),
    "8.1": ("sukupuolten tasa-arvo",),
    "8.2": ("kestävä kehitys",),
    "9": ("loppuraportin tiivistelmä",),
}
_LABEL = re.compile(r"^(?P<label>[A-ZÅÄÖa-zåäö][^:]{1,120}?)\s*:\s*(?P<value>.*)$")
_PARTNER = re.compile(r"^(?P<name>.+?)\s*,\s*(?P<bid>\d{6,8}\s*-\s*\d)\s*$")
_BID_SHAPE = re.compile(r"^\d{7}-\d$")
_PERIOD = re.compile(r"Alkaa\s+(?P<start>\S+)\s+ja\s+päättyy\s+(?P<end>\S+)", re.IGNORECASE)
_PROSE_PERIOD = re.compile(
    r"(?P<start>\d{1,2}\.\d{1,2}\.\d{4})\s*[-–—]\s*(?P<end>\d{1,2}\.\d{1,2}\.\d{4})"
)
_SCORE_LINE = re.compile(r"^(?P<name>\D.+?)\s+(?P<a>\d{1,2})\s+(?P<b>\d{1,2})$")
_YESNO = re.compile(r"^(?P<q>.+?):\s*(?P<a>Kyllä|Ei)\s*$", re.IGNORECASE)


def parse_amount(text: str) -> Decimal:
    """Parse a euro amount as EURA writes it: Finnish thousands spaces, ``,`` or ``.`` decimals.

    The form-field reading of :func:`sotegraph.values.parse_amount`.

    Parameters
    ----------
    text:
        The amount, e.g. ``"208 856"``, ``"1 504 960,00 €"`` or ``"190859.38"``.

    Raises
    ------
    InputError
        If the text is not an amount.

    Examples
    --------
    >>> parse_amount("208 856")
    Decimal('208856')
    >>> parse_amount("1 504 960,50 €")
    Decimal('1504960.50')
    >>> parse_amount("12 3x4")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: not an amount: '12 3x4' (expected digits with optional thousands spaces and decimals, e.g. 208 856 or 190859.38)
    """
    return cast(Decimal, values.parse_amount(text, written=Written.FORM))


def parse_date(text: str) -> dt.date:
    """Parse a Finnish ``d.m.yyyy`` date (trailing ``.,;`` ignored).

    The form-field reading of :func:`sotegraph.values.parse_date`.

    Raises
    ------
    InputError
        If the text is not such a date or names a day that does not exist.

    Examples
    --------
    >>> parse_date("1.3.2018")
    datetime.date(2018, 3, 1)
    >>> parse_date("31.2.2020")
    Traceback (most recent call last):
    ...
    sotegraph.errors.InputError: no such date: '31.2.2020' (expected a real day as d.m.yyyy, e.g. 28.2.2020)
    """
    return cast(dt.date, values.parse_date(text, written=Written.FORM))


def programme_period_of(code: str | None) -> str | None:
    """Return the structural-fund programme period a project code belongs to.

    >>> programme_period_of("S21259"), programme_period_of("A32001"), programme_period_of("X")
    ('2014-2020', '2007-2013', None)
    """
    if not code or len(code) < 2:
        return None
    if (code[0] in "AS" and code[1] == "2") or (code[0] == "A" and code[1] == "7"):
        return "2014-2020"
    if code[0] in "AS" and code[1] in "13":
        return "2007-2013"
    return None


@dataclass(slots=True)
class _Line:
    no: int  # 1-based
    start: int  # character offset
    text: str  # stripped

    @property
    def span(self) -> Span:
        return Span(self.start, self.start + len(self.text), self.no)


class _Parser:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.facts = Facts(document_id=document.id, source=document.source, genre=document.genre)
        self.project = ProjectFact(key="project")
        self.applicant: OrganisationFact | None = None
        self.person = PersonFact()
        self.seen: dict[str, _Line] = {}
        self.prose: dict[str, list[str]] = {"3": [], "4": [], "9": []}
        self.prose_lines: list[_Line] = []
        self.lines = self._split(document.text)

    @staticmethod
    def _split(text: str) -> list[_Line]:
        out: list[_Line] = []
        pos = 0
        for no, raw in enumerate(text.split("\n"), start=1):
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(no, pos + lead, raw.strip()))
            pos += len(raw) + 1
        return out

    # -- helpers ---------------------------------------------------------------------------
    def warn(
        self,
        message: str,
        line: _Line | None,
        expected: str | None = None,
        field: str | None = None,
    ) -> None:
        self.facts.warn(
            message,
            line=line.no if line else None,
            expected=expected,
            field=field,
            severity=Severity.WARNING,
        )

    def once(self, field: str, line: _Line, value: str, label: str | None = None) -> bool:
        """Return True when the field is seen the first time; warn on a differing repeat."""
        first = self.seen.get(field)
        if first is None:
            self.seen[field] = line
            return True
        first_value = _LABEL.match(first.text)
        if first_value and first_value["value"].strip() != value:
            self.warn(
                f"field '{label or field}' is given twice (lines {first.no} and {line.no}) with different "
                f"values; the first value is kept",
                line,
                expected="each field once",
                field=field,
            )
        return False

    def amount(self, line: _Line, value: str, label: str) -> Decimal | None:
        try:
            return parse_amount(value)
        except InputError as exc:
            self.warn(f"{label}: {exc.message}", line, exc.expected, field=label)
            return None

    def date(self, line: _Line, value: str, label: str) -> dt.date | None:
        try:
            return parse_date(value)
        except InputError as exc:
            self.warn(f"{label}: {exc.message}", line, exc.expected, field=label)
            return None

    def integer(self, line: _Line, value: str, label: str) -> int | None:
        raw = re.sub(r"[ \u00a0]", "", value)
        if raw.isdigit():
            return int(raw)
        self.warn(f"{label}: not a whole number: {value!r}", line, "a whole number, e.g. 30", label)
        return None

    def organisation(
        self, key: str, name: str, line: _Line, bid: str | None = None
    ) -> OrganisationFact:
        org = OrganisationFact(key=key, name=name, span=line.span)
        if bid is not None:
            org.business_id = self.business_id(bid, line)
        self.facts.organisations.append(org)
        return org

    def business_id(self, raw: str, line: _Line) -> str | None:
        bid = re.sub(r"\s+", "", raw)
        if len(bid) == 8 and "-" not in bid:
            bid = f"{bid[:7]}-{bid[7]}"
        if not _BID_SHAPE.match(bid):
            self.warn(
                f"Y-tunnus {raw.strip()!r} is not of the form NNNNNNN-N",
                line,
                "a business id such as 2553600-4",
                field="Y-tunnus",
            )
            return None
        if valid_business_id(bid) is None:
            self.warn(
                f"Y-tunnus {bid} has an invalid check digit (it is not used to identify the "
                f"organisation)",
                line,
                "check digit " + (business_id_check_digit(bid[:7]) or "none") + f" for {bid[:7]}",
                field="Y-tunnus",
            )
            return None
        return bid

    def participate(self, org: OrganisationFact, role: Role, line: _Line, role_text: str) -> None:
        self.facts.participations.append(
            Participation(
                project=self.project.key,
                organisation=org.key,
                role=role,
                span=line.span,
                sentence=None,
                role_text=role_text,
            )
        )

    # -- main ------------------------------------------------------------------------------
    def run(self) -> Facts:
        head = self.doc.text[:2000]
        m = _TITLE.search(head)
        if m:
            self.project.fund = "ESR" if "ESR" in m["fund"].upper() else "EAKR"
        section = "0"
        in_partners = False
        partner_n = 0
        for i, line in enumerate(self.lines):
            text = line.text
            if not text:
                continue
            heading = self.heading(text)
            if heading is not None:
                section = heading
                in_partners = False
                continue
            if text.lower().rstrip(":") in {"osatoteuttajat", "osatoteuttajien tiedot"}:
                in_partners = True
                rest = text.split(":", 1)[1].strip() if ":" in text else ""
                if rest:
                    partner_n += self.partner_line(line, rest, partner_n)
                continue
            if in_partners:
                if _LABEL.match(text) and not _PARTNER.match(text):
                    in_partners = False
                else:
                    partner_n += self.partner_line(line, text, partner_n)
                    continue
            if self.label_line(line, section):
                continue
            if section in {"3", "4", "4.1", "4.2", "9"}:
                self.prose[section[0]].append(text)
                self.prose_lines.append(line)
            elif section == "8.2":
                sm = _SCORE_LINE.match(text)
                if sm and i + 1 <= len(self.lines):
                    self.project.horizontal[sm["name"]] = f"{sm['a']} {sm['b']}"
        self.last_section = section
        self.finish()
        return self.facts

    @staticmethod
    def heading(text: str) -> str | None:
        if not text[0].isdigit():
            return None
        m = _HEADING.match(text)
        if not m:
            return None
        title = m["title"].strip().lower()
        known = _KNOWN_HEADINGS.get(m["num"])
        if known and any(title.startswith(k) for k in known):
            return m["num"]
        return None

    def partner_line(self, line: _Line, text: str, n: int) -> int:
        pm = _PARTNER.match(text)
        if pm:
            name, bid = pm["name"].strip(), pm["bid"]
        else:
            # a partner without a business id: the whole line is the name
            name, bid = text.strip().rstrip(","), None
            if not re.search(r"[A-Za-zÅÄÖåäö]", name):
                self.warn(f"partner line without a name: {text!r}", line, "Name, Y-tunnus")
                return 0
            self.warn(
                f"partner {name!r} has no Y-tunnus",
                line,
                "Name, Y-tunnus (e.g. Esimerkki Oy, 2553600-4)",
                field="Osatoteuttajat",
            )
        org = self.organisation(f"partner-{n + 1}", name, line, bid)
        self.participate(org, Role.PARTNER, line, "osatoteuttaja")
        return 1

    def label_line(self, line: _Line, section: str) -> bool:
        colon = line.text.find(":")
        if colon < 0 or colon > 125:
            return False
        m = _LABEL.match(line.text)
        if not m:
            if section.startswith("8.1"):
                return False
            return False
        label = m["label"].strip()
        key = label.lower()
        value = m["value"].strip()
        handler = _HANDLERS.get(key)
        if handler is None:
            yn = _YESNO.match(line.text)
            if yn and section.startswith("8"):
                self.project.horizontal[yn["q"].strip()] = yn["a"].capitalize()
                return True
            return False
        field_id = f"{section}:{key}" if key in _SECTION_SCOPED else key
        if not value:
            if key not in _MAY_BE_EMPTY:
                self.warn(f"'{label}' has no value", line, f"a value after '{label}:'", field=label)
            return True
        if not self.once(field_id, line, value, label):
            return True
        handler(self, line, value, label, section)
        return True

    def finish(self) -> None:
        p = self.project
        if p.code:
            p.key = p.code
            for part in self.facts.participations:
                part.project = p.code
            p.programme_period = programme_period_of(p.code)
        else:
            self.warn(
                "no project code (Hankekoodi)", None, "a line 'Hankekoodi: S2xxxx'", "Hankekoodi"
            )
        if not p.name:
            self.warn(
                "no project name (Hankkeen nimi)",
                None,
                "a line 'Hankkeen nimi: …'",
                "Hankkeen nimi",
            )
        if (p.start is None or p.end is None) and (
            "suunnitelman mukainen toteutusaika" not in self.seen
        ):
            self.warn(
                "no planned period (Suunnitelman mukainen toteutusaika)",
                None,
                "'Alkaa d.m.yyyy ja päättyy d.m.yyyy'",
                "Suunnitelman mukainen toteutusaika",
            )
        if isinstance(p.start, dt.date) and isinstance(p.end, dt.date) and p.end < p.start:
            line = self.seen.get("suunnitelman mukainen toteutusaika")
            self.warn(
                f"the project ends ({p.end:%d.%m.%Y}) before it starts ({p.start:%d.%m.%Y})",
                line,
                "an end date on or after the start date",
                "Suunnitelman mukainen toteutusaika",
            )
        self.check_truncated()
        if self.applicant is None:
            self.warn(
                "no applicant (Hakijan virallinen nimi)",
                None,
                "a line 'Hakijan virallinen nimi: …'",
                "Hakijan virallinen nimi",
            )
        p.summary = _join(self.prose["3"])
        p.target_groups = _join(self.prose["4"])
        final = _join(self.prose["9"])
        p.final_report_summary = final if final and final not in {"-", "–"} else None
        self.check_prose_period()
        if p.code or p.name:
            self.facts.projects.insert(0, p)
        if any(v is not None for v in (self.person.name, self.person.email, self.person.phone)):
            self.person.project = p.key
            if self.applicant is not None:
                self.person.organisation = self.applicant.key
            self.facts.persons.append(self.person)

    def check_truncated(self) -> None:
        """Report a record that stops inside its first sections (a half-copied record)."""
        last = getattr(self, "last_section", "0")
        if last not in {"1", "2"}:
            return
        names = {"1": "Hanke", "2": "Hakijan perustiedot"}
        end = next((ln for ln in reversed(self.lines) if ln.text), None)
        first_missing = int(last) + 1
        self.warn(
            f"the record ends in section {last} ({names[last]}); sections {first_missing}–9 "
            f"are missing",
            end,
            "the sections of an EURA project description",
            field="sections",
        )

    def check_prose_period(self) -> None:
        """Report a period in the summary that contradicts the header's (the header wins)."""
        p = self.project
        if not (isinstance(p.start, dt.date) and isinstance(p.end, dt.date)):
            return
        for pline, m in (
            (pl, m) for pl in self.prose_lines for m in _PROSE_PERIOD.finditer(pl.text)
        ):
            try:
                s, e = parse_date(m["start"]), parse_date(m["end"])
            except InputError:
                continue
            if (s == p.start and e != p.end) or (s != p.start and e == p.end):
                line = pline.no
                self.facts.warn(
                    f"the text gives the period as {m['start']}–{m['end']} while the header says "
                    f"{p.start:%-d.%-m.%Y}–{p.end:%-d.%-m.%Y}; the header's period is kept",
                    line=line,
                    expected="one period throughout the record",
                    field="Suunnitelman mukainen toteutusaika",
                    severity=Severity.WARNING,
                )


def _join(parts: list[str]) -> str | None:
    text = "\n".join(parts).strip()
    return text or None


# -- field handlers ------------------------------------------------------------------------
Handler = Callable[[_Parser, _Line, str, str, str], None]


def _code(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    code = value.split()[0].upper()
    if not re.match(r"^[ASK]\d{5}$", code):
        p.warn(
            f"project code {value!r} is not of the form S21259",
            line,
            "a letter A, S or K and five digits",
            label,
        )
    p.project.code = code
    p.project.span = line.span


def _name(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    p.project.name = value


def _axis(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    p.project.priority_axis = value


def _objective(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    p.project.specific_objective = value


def _period(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    m = _PERIOD.search(value)
    if not m:
        p.warn(
            f"planned period {value!r} not understood",
            line,
            "'Alkaa d.m.yyyy ja päättyy d.m.yyyy'",
            label,
        )
        return
    p.project.start = p.date(line, m["start"], "start date")
    p.project.end = p.date(line, m["end"], "end date")


def _status(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    p.project.status = value


def _authority(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    org = p.organisation("authority", value, line)
    p.participate(org, Role.AUTHORITY, line, "vastuuviranomainen")


def _applicant(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    org = p.organisation("applicant", value, line)
    # fields of the applicant given before its name
    for attr in ("org_type", "business_id", "postal_town", "website"):
        pending = getattr(p, f"_pending_{attr}", None)
        if pending is not None:
            setattr(org, attr, pending)
    p.applicant = org
    p.participate(org, Role.LEAD, line, "hakija")


def _set_applicant(attr: str) -> Handler:
    def handler(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
        if attr == "business_id":
            value_ok = p.business_id(value, line)
            if value_ok is None:
                return
            value = value_ok
        if attr == "postal_town" and not section.startswith("2"):
            return  # the implementation place in section 6, not the applicant's town
        if p.applicant is not None:
            setattr(p.applicant, attr, value)
        else:
            setattr(p, f"_pending_{attr}", value)

    return handler


def _person(attr: str) -> Handler:
    def handler(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
        setattr(p.person, attr, value)
        if p.person.span is None:
            p.person.span = line.span

    return handler


def _joint(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    low = value.lower()
    p.project.joint_project = "yhteishanke" in low or "useampi kuin yksi" in low


def _money(attr: str) -> Handler:
    def handler(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
        setattr(p.project, attr, p.amount(line, value, label))

    return handler


def _places(level: AreaLevel) -> Handler:
    def handler(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
        offset = line.start + line.text.index(value) if value in line.text else line.start
        for m in re.finditer(r"[^,;]+", value):
            name = m.group().strip()
            if not name or name in {"-", "–"}:
                continue
            start = offset + m.start() + (len(m.group()) - len(m.group().lstrip()))
            p.project.places.append(
                PlaceMention(text=name, level=level, span=Span(start, start + len(name), line.no))
            )

    return handler


def _followup(which: str) -> Handler:
    def handler(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
        number = p.integer(line, value, label)
        if section.startswith("7.1"):
            setattr(p.project, f"companies_{which}", number)
        elif section.startswith("7.2"):
            setattr(p.project, f"persons_{which}", number)

    return handler


def _ignore(p: _Parser, line: _Line, value: str, label: str, section: str) -> None:
    return None


_HANDLERS: dict[str, Handler] = {
    "hankekoodi": _code,
    "projektikoodi": _code,
    "hankkeen nimi": _name,
    "projektin nimi": _name,
    "toimintalinja": _axis,
    "erityistavoite": _objective,
    "suunnitelman mukainen toteutusaika": _period,
    "toteutusaika": _period,
    "toiminnan tila": _status,
    "vastuuviranomainen": _authority,
    "hakijan virallinen nimi": _applicant,
    "toteuttajan virallinen nimi": _applicant,
    "organisaatiotyyppi": _set_applicant("org_type"),
    "y-tunnus": _set_applicant("business_id"),
    "postitoimipaikka": _set_applicant("postal_town"),
    "www-osoite": _set_applicant("website"),
    "jakeluosoite": _ignore,
    "postinumero": _ignore,
    "puhelinnumero": _ignore,
    "hankkeen yhteyshenkilön nimi": _person("name"),
    "projektin yhteyshenkilön nimi": _person("name"),
    "yhteyshenkilön asema hakijaorganisaatiossa": _person("position"),
    "yhteyshenkilön sähköpostisoite": _person("email"),
    "yhteyshenkilön sähköpostiosoite": _person("email"),
    "yhteyshenkilön puhelinnumero": _person("phone"),
    "hakijoiden lukumäärä tai tuen siirto -menettely": _joint,
    "myönnetty eu- ja valtion rahoitus": _money("granted_eu_state"),
    "toteutunut eu- ja valtion rahoitus": _money("realised_eu_state"),
    "suunniteltu julkinen rahoitus yhteensä": _money("planned_public"),
    "toteutunut julkinen rahoitus yhteensä": _money("realised_public"),
    "maakunnat": _places(AreaLevel.REGION),
    "seutukunnat": _places(AreaLevel.SUBREGION),
    "kunnat": _places(AreaLevel.MUNICIPALITY),
    "suunniteltu": _followup("planned"),
    "toteutunut seurantatietojen mukaan": _followup("actual"),
}
_SECTION_SCOPED = {
    "jakeluosoite",
    "postinumero",
    "postitoimipaikka",
    "suunniteltu",
    "toteutunut seurantatietojen mukaan",
}
_MAY_BE_EMPTY = {"jakeluosoite", "postinumero", "postitoimipaikka", "puhelinnumero", "www-osoite"}


def parse_eura(document: Document) -> Facts:
    """Parse one EURA project-description record into :class:`~sotegraph.facts.Facts`.

    Never raises on malformed content: problems become warnings in ``facts.warnings``.

    Parameters
    ----------
    document:
        A document whose genre is (usually) ``Genre.EURA_RECORD``.

    Returns
    -------
    Facts
        One project (if a code or a name was found), its applicant (role lead), partners
        (role partner), responsible authority (role authority), target areas as written,
        contact persons in ``facts.persons``, and the warnings.
    """
    return _Parser(document).run()
