"""Exports that consent allows: public (anonymised) and coalition-internal tables.

``--public``: one row per case or per victim, coded values only (no names, contacts, narratives,
places written as text, perpetrators' names), dates coarsened to the month, and only cases in
which every victim's consent covers anonymised statistics. ``--coalition``: for partners inside
the coalition, the cases whose confidentiality is public or coalition, with the sanitised texts
(public label, public summary and account) but still no sensitive value.

Both say how many cases were left out and why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cattool.caseformat import CaseFormat
from cattool.checks import child_victims
from cattool.dates import parse_date
from cattool.procedure import stage_reached

LEVELS = ("public", "coalition")


@dataclass
class Export:
    level: str
    unit: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)

    def note(self) -> str:
        kept = len({r["case_id"] for r in self.rows})
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(self.left_out.items()))
        return f"{kept} cases exported ({self.level}, one row per {self.unit})" + (
            f"; left out: {why}" if why else ""
        )


def _month(value: Any) -> str | None:
    day = parse_date(value)
    return f"{day.year}-{day.month:02d}" if day else None


def _joined(values: Any) -> str:
    return ";".join(str(v) for v in dict.fromkeys(values or []) if v is not None)


def _withdrawn(case: dict[str, Any]) -> bool:
    """A victim whose every consent record is withdrawn."""
    records = [c for c in case.get("consent") or [] if isinstance(c, dict)]
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        mine = [r for r in records if r.get("person_id") == victim.get("victim_id")]
        if mine and all(r.get("withdrawn_on") for r in mine):
            return True
    return False


def _consents_to_statistics(case: dict[str, Any]) -> tuple[bool, str]:
    records = [c for c in case.get("consent") or [] if isinstance(c, dict)]
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        mine = [r for r in records if r.get("person_id") == victim.get("victim_id")]
        live = [r for r in mine if not r.get("withdrawn_on")]
        if mine and not live:
            return False, "with consent withdrawn"
        if not any("anonymised_statistics" in (r.get("scopes") or []) for r in live):
            return False, "without consent to anonymised statistics"
    return True, ""


def export_cases(
    cases: list[dict[str, Any]], fmt: CaseFormat, *, level: str, unit: str = "cases"
) -> Export:
    if level not in LEVELS:
        raise ValueError(level)
    out = Export(level, "victim" if unit == "victims" else "case")
    for case in cases:
        if level == "public":
            ok, why = _consents_to_statistics(case)
            if not ok:
                out.left_out[why] += 1
                continue
            if case.get("confidentiality") == "restricted":
                out.left_out["restricted to the documenting organisation"] += 1
                continue
        elif case.get("confidentiality") not in ("public", "coalition"):
            out.left_out["restricted to the documenting organisation"] += 1
            continue
        elif _withdrawn(case):
            out.left_out["with consent withdrawn"] += 1  # stop acting on it, sharing included
            continue
        base = _case_row(case, fmt, level)
        if unit == "victims":
            children = child_victims(case)
            for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
                row = dict(base)
                row.update(
                    {
                        "victim": victim.get("public_label") if level == "coalition" else None,
                        "sex": victim.get("sex"),
                        "child": victim.get("victim_id") in children,
                        "vulnerabilities": _joined(victim.get("vulnerabilities")),
                        "status_at_incident": victim.get("status_at_incident"),
                        "current_status": victim.get("current_status"),
                    }
                )
                if level == "public":
                    row.pop("victim")
                out.rows.append(row)
        else:
            out.rows.append(base)
    return out


def _case_row(case: dict[str, Any], fmt: CaseFormat, level: str) -> dict[str, Any]:
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    victims = [v for v in case.get("victims") or [] if isinstance(v, dict)]
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    events = [e for e in case.get("legal_actions") or [] if isinstance(e, dict)]
    country = fmt.countries.get(str(case.get("country")))
    first = min((str(i.get("date_start")) for i in incidents if i.get("date_start")), default=None)
    exact = level == "coalition"
    row: dict[str, Any] = {
        "case_id": case.get("case_id"),
        "country": case.get("country"),
        "region": case.get("region"),
        "member_org": case.get("member_org"),
        "intake": case.get("intake_date") if exact else _month(case.get("intake_date")),
        "incident": first if exact else _month(first),
        "violation_type": case.get("violation_type"),
        "victims": len(victims),
        "children": len(child_victims(case)),
        "sexes": _joined(v.get("sex") for v in victims),
        "place_types": _joined(i.get("place_type") for i in incidents),
        "contexts": _joined(i.get("context") for i in incidents),
        "methods": _joined(m for i in incidents for m in i.get("methods") or []),
        "agencies": _joined(p.get("agency") for p in perpetrators),
        "stage": stage_reached(case, country).stage,
        "refused": any(
            e.get("type") in ("refusal_to_open", "registration_refused") for e in events
        ),
        "un_bodies": _joined(
            c.get("body") for c in case.get("un_communications") or [] if isinstance(c, dict)
        ),
        "case_status": case.get("case_status"),
    }
    if exact:
        row["summary_public"] = case.get("summary_public")
        row["narrative_public"] = " / ".join(
            str(i["narrative_public"]) for i in incidents if i.get("narrative_public")
        )
        row["public_labels"] = _joined(v.get("public_label") for v in victims)
    return row
