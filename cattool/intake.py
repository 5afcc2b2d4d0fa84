"""A new case from the answers of a first intake (``cattool new-case``).

The answers are flat (``victim_name``, ``incident_date``...), the same names as the command's
options and the keys of a ``--from`` file. ``build_case`` turns them into a case file with one
guiding comment per section, taken from the schema's descriptions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cattool.dates import age_on
from cattool.versions import SCHEMA_VERSION

SECTIONS = (
    "victims",
    "incidents",
    "perpetrators",
    "medical_evidence",
    "legal_actions",
    "un_communications",
    "consent",
)


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # answer key, --from key; the option is --key-with-dashes
    label: str
    kind: str  # text, date, choice, choices, age
    vocabulary: str | None = None
    required: bool = True
    flag: str | None = None  # the command-line option, when it is not --key-with-dashes

    @property
    def option(self) -> str:
        return self.flag or "--" + self.key.replace("_", "-")


# The order in which a first intake asks.
QUESTIONS: tuple[Question, ...] = (
    Question("country", "Country", "choice", "country"),
    Question("region", "Region", "region"),
    Question("member_org", "Member organisation (code)", "org", flag="--org"),
    Question("intake_date", "Intake date", "date"),
    Question("source_type", "Who told us", "choice", "source_type", flag="--source"),
    Question("violation_type", "Violation", "choice", "violation_type", flag="--violation"),
    Question("victim_name", "Victim's full name (kept sensitive)", "text"),
    Question("public_label", "Public label (initials or pseudonym)", "text"),
    Question("sex", "Sex", "choice", "sex"),
    Question("date_of_birth", "Date of birth", "date", required=False, flag="--birth-date"),
    Question("age_at_incident", "Age at the incident", "age", required=False, flag="--age"),
    Question("incident_date", "Date of the incident", "date"),
    Question(
        "date_precision", "How precise is that date", "choice", "date_precision", flag="--precision"
    ),
    Question("place_type", "Place", "choice", "place_type", flag="--place"),
    Question("methods", "Methods", "choices", "method"),
    Question("narrative", "Short account (kept sensitive)", "text"),
    Question("consent_scopes", "Consent given for", "choices", "consent_scope", flag="--consent"),
    Question("consent_form", "Consent recorded", "choice", "consent_form"),
    Question(
        "consent_given_by",
        "Consent given by (name of guardian or relative)",
        "text",
        required=False,
    ),
)
QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}


def initials(name: str) -> str:
    """'Timur Bakirovich Fictionov' -> 'T.B.F.'"""
    return "".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())


def defaults(answers: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Defaults that follow from earlier answers; never overrides an answer."""
    out: dict[str, Any] = {
        "intake_date": today,
        "date_precision": "exact",
        "consent_scopes": ["domestic_complaint", "anonymised_statistics"],
    }
    if answers.get("victim_name"):
        out["public_label"] = initials(str(answers["victim_name"]))
    out["consent_form"] = "guardian" if is_child(answers) else "written"
    return out


def age_at_incident(answers: dict[str, Any]) -> int | None:
    birth, incident = answers.get("date_of_birth"), answers.get("incident_date")
    if isinstance(birth, dt.date) and isinstance(incident, dt.date):
        return age_on(birth, incident)
    age = answers.get("age_at_incident")
    return int(age) if age is not None else None


def is_child(answers: dict[str, Any]) -> bool:
    age = age_at_incident(answers)
    return age is not None and age < 18


def missing(answers: dict[str, Any]) -> list[Question]:
    """Required questions without an answer (given_by is required for guardian/relative consent)."""
    out = [q for q in QUESTIONS if q.required and answers.get(q.key) in (None, "", [])]
    if answers.get("consent_form") in ("guardian", "relative") and not answers.get(
        "consent_given_by"
    ):
        out.append(QUESTION_BY_KEY["consent_given_by"])
    return out


def build_case(
    case_id: str,
    answers: dict[str, Any],
    schema: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> Any:
    """The new case as a ruamel CommentedMap, with a guiding comment before each section.

    ``extra`` holds other top-level keys from a ``--from`` file (priority, district, perpetrators...);
    they are kept as given.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow(items: list[Any]) -> CommentedSeq:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    extra = dict(extra or {})
    age = age_at_incident(answers)
    victim = CommentedMap()
    victim["victim_id"] = "v1"
    victim["full_name"] = answers["victim_name"]
    victim["public_label"] = answers["public_label"]
    victim["sex"] = answers["sex"]
    if answers.get("date_of_birth"):
        victim["date_of_birth"] = _copy(answers["date_of_birth"])
    elif answers.get("age_at_incident") is not None:
        victim["age_at_incident"] = int(answers["age_at_incident"])
    victim["age_group"] = "unknown" if age is None else ("child" if age < 18 else "adult")
    if age is not None and age < 18:
        victim["vulnerabilities"] = flow(["child"])

    incident = CommentedMap()
    incident["incident_id"] = "i1"
    incident["victim_ids"] = flow(["v1"])
    incident["date_start"] = _copy(answers["incident_date"])
    incident["date_precision"] = answers["date_precision"]
    incident["place_type"] = answers["place_type"]
    incident["region"] = answers["region"]
    incident["methods"] = flow(list(answers["methods"]))
    incident["narrative"] = answers["narrative"]

    consent = CommentedMap()
    consent["person_id"] = "v1"
    consent["scopes"] = flow(list(answers["consent_scopes"]))
    consent["form"] = answers["consent_form"]
    if answers.get("consent_given_by"):
        given = CommentedMap()
        given["role"] = {"guardian": "guardian", "relative": "relative"}.get(
            answers["consent_form"], "representative"
        )
        given["name"] = answers["consent_given_by"]
        consent["given_by"] = given
    consent["given_on"] = _copy(answers["intake_date"])

    case = CommentedMap()
    case["schema_version"] = SCHEMA_VERSION
    case["case_id"] = case_id
    case["country"] = answers["country"]
    case["region"] = answers["region"]
    case["member_org"] = answers["member_org"]
    case["intake_date"] = _copy(answers["intake_date"])
    case["source_type"] = answers["source_type"]
    case["violation_type"] = answers["violation_type"]
    case["case_status"] = extra.pop("case_status", "open")
    case["confidentiality"] = extra.pop("confidentiality", "restricted")
    sections: dict[str, Any] = {
        "victims": CommentedSeq([victim]),
        "incidents": CommentedSeq([incident]),
        "perpetrators": CommentedSeq(),
        "medical_evidence": CommentedSeq(),
        "legal_actions": CommentedSeq(),
        "un_communications": CommentedSeq(),
        "consent": CommentedSeq([consent]),
    }
    for key, value in extra.items():
        if key not in sections:
            case[key] = value
    for key in SECTIONS:
        case[key] = extra.get(key, sections[key])
        description = schema.get("properties", {}).get(key, {}).get("description")
        if description:
            case.yaml_set_comment_before_after_key(key, before="\n" + f"{key}: {description}")
    case.yaml_set_start_comment(
        f"Case {case_id}, opened with cattool new-case. Fill in the sections below as the case "
        "goes on;\n`cattool validate` checks the file and `cattool explain CODE` explains a problem."
    )
    return case


def _copy(value: Any) -> Any:
    """A distinct object: ruamel writes an anchor and alias for one object used twice."""
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value
