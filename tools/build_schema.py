"""Writes schemas/case.schema.json from this file's structure and schemas/vocabularies.yaml.

The JSON file is what cattool, check-jsonschema and editors read; this script is only how we keep
the enums in step with the vocabulary labels. Run it after changing either:

    python tools/build_schema.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
VOCAB = yaml.safe_load((ROOT / "schemas" / "vocabularies.yaml").read_text(encoding="utf-8"))

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_-]{0,31}$"}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$",
    "description": "Local date and time, 'YYYY-MM-DD HH:MM'.",
}
TEXT = {"type": "string", "minLength": 1}
# A text in the case's text_language, or the same text in Russian and English (docs/proceedings.md).
LTEXT = {
    "type": ["string", "object"],
    "minLength": 1,
    "properties": {"ru": TEXT, "en": TEXT},
    "additionalProperties": False,
    "minProperties": 1,
}


def v(name: str, **extra: Any) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}", **extra}


def vlist(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": v(name), "uniqueItems": True, **extra}


def s(schema: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    """Mark a field as sensitive: it never reaches a log, message or public export."""
    out = {**schema, "x-sensitive": True}
    if description:
        out["description"] = description
    return out


def d(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


def obj(props: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "patternProperties": {"^x_": {}},
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    out.update(extra)
    return out


victim = obj(
    {
        "victim_id": d(ID, "Short id used by incidents and consent records, e.g. v1."),
        "full_name": s(TEXT, "Full name as in the victim's documents."),
        "full_name_latin": s(TEXT, "The name in Latin letters, as English documents spell it."),
        "public_label": d(
            TEXT, "Initials or pseudonym used in every output that may leave the coalition."
        ),
        "sex": v("sex"),
        "date_of_birth": s(DATE, "Date of birth (identifying: kept sensitive)."),
        "age_at_incident": {"type": "integer", "minimum": 0, "maximum": 120},
        "age_group": v(
            "age_group", description="Child means under 18 at the time of the incident."
        ),
        "citizenship": {
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166-1 alpha-2.",
        },
        "occupation": LTEXT,
        "vulnerabilities": vlist("vulnerability"),
        "status_at_incident": v("status_at_incident"),
        "current_status": v("current_status"),
        "date_of_death": s(DATE, "Date of death, where the victim died (identifying: sensitive)."),
        "held_by": v(
            "agency", description="Who holds the victim now (with current_status in detention)."
        ),
        "current_location": s(TEXT, "Where the victim is now held or lives (for urgent appeals)."),
        "reprisal_risk": v("reprisal_risk"),
        "contacts": s(
            obj({"phone": TEXT, "address": TEXT, "email": TEXT, "messenger": TEXT}),
            "How to reach the victim. Never leaves the coalition.",
        ),
        "representative": obj(
            {
                "name": s(TEXT),
                "type": v("representative_type"),
                "organisation": TEXT,
                "authorization_file": s(
                    TEXT, "Path to the power of attorney, outside git or encrypted."
                ),
            },
            ["type"],
        ),
    },
    ["victim_id", "full_name", "public_label", "sex", "age_group"],
)

victim_detail = obj(
    {
        "victim_id": ID,
        "forced_statement": v("forced_statement"),
        "injuries": d(LTEXT, "This victim's injuries in general terms."),
        "lawyer_access": v("lawyer_access"),
        "deprived_of_liberty": {"type": "boolean"},
    },
    ["victim_id"],
)

incident = obj(
    {
        "incident_id": d(ID, "Short id, e.g. i1."),
        "victim_ids": {"type": "array", "items": ID, "minItems": 1, "uniqueItems": True},
        "date_start": DATE,
        "date_end": DATE,
        "date_precision": v("date_precision"),
        "de_facto_detention_at": d(DATETIME, "When the person was actually detained."),
        "detention_recorded_at": d(
            DATETIME, "When the detention was recorded; the gap is unrecorded detention."
        ),
        "place_type": v("place_type"),
        "place_name": d(LTEXT, "Name of the facility, e.g. 'Pervomaisky ROVD, Bishkek'."),
        "deprived_of_liberty": d(
            {"type": "boolean"},
            "Was the victim held (arrested, detained, in custody)? Without it cattool reads it "
            "from the place, the context and the detention times.",
        ),
        "settlement": d(LTEXT, "Town or village, e.g. 'Sokuluk' or {ru: с. Сокулук, en: Sokuluk}."),
        "region": d(TEXT, "Region code from the country data (schemas/countries/)."),
        "context": v("context"),
        "purpose": vlist("purpose"),
        "methods": vlist("method", minItems=1),
        "injuries": d(LTEXT, "Injuries in general terms, without identifying details."),
        "forced_statement": v("forced_statement"),
        "lawyer_access": v("lawyer_access"),
        "family_notified": {"type": "boolean"},
        "witnesses": {
            "type": "array",
            "items": obj({"name": s(TEXT), "contact": s(TEXT), "role": TEXT}),
        },
        "narrative": s(LTEXT, "Full account in the victim's words; never leaves the coalition."),
        "narrative_public": d(
            LTEXT, "Sanitised account for UN submissions and publications: no names or addresses."
        ),
        "victim_details": d(
            {"type": "array", "items": victim_detail},
            "Facts that differ between the victims of this incident, one entry per victim.",
        ),
    },
    [
        "incident_id",
        "victim_ids",
        "date_start",
        "date_precision",
        "place_type",
        "region",
        "methods",
        "narrative",
    ],
)

perpetrator = obj(
    {
        "perpetrator_id": d(ID, "Short id, e.g. p1."),
        "incident_ids": {"type": "array", "items": ID, "uniqueItems": True},
        "identification": v("identification"),
        "name": s(TEXT, "Name of the officer, if known (sensitive until charged)."),
        "rank_position": LTEXT,
        "unit": LTEXT,
        "agency": v("agency"),
        "role": v("perpetrator_role"),
        "post_status": v("post_status"),
    },
    ["perpetrator_id", "identification", "agency"],
)

finding = obj(
    {
        "body_region": TEXT,
        "lesion_type": TEXT,
        "description": TEXT,
        "consistency": v("consistency"),
    },
    ["consistency"],
)

medical = obj(
    {
        "evidence_id": d(ID, "Short id, e.g. m1."),
        "victim_id": ID,
        "type": v("evidence_type"),
        "ordered_by": v("ordered_by"),
        "requested_on": DATE,
        "examined_on": DATE,
        "examiner": obj({"name": TEXT, "institution": TEXT, "independent": {"type": "boolean"}}),
        "ip_compliant": v("ip_compliance"),
        "findings": {"type": "array", "items": finding},
        "psych_diagnoses": vlist("psych_diagnosis"),
        "overall_consistency": v(
            "consistency",
            description="Istanbul Protocol overall evaluation; outweighs any single lesion.",
        ),
        "domestic_harm_grade": v(
            "harm_grade",
            description="National forensic grading of harm to health, kept apart from the IP scale.",
        ),
        "files": s(
            {"type": "array", "items": TEXT},
            "Paths to reports and photographs, kept outside git or encrypted.",
        ),
        "consent_exam": {"type": "boolean"},
        "consent_photos": {"type": "boolean"},
    },
    ["evidence_id", "victim_id", "type"],
)

qualification = obj(
    {
        "code": d(
            {"type": "string", "pattern": "^CC-(KZ|KG|TJ)-\\d{4}$"},
            "Criminal Code edition, e.g. CC-KZ-2014 (see schemas/countries/).",
        ),
        "article": d(
            {"type": "string", "pattern": "^\\d+(-\\d+)?$"}, "Article, e.g. 146 or 141-1."
        ),
        "part": {"type": "string", "pattern": "^\\d+$"},
    },
    ["code", "article"],
)

event = obj(
    {
        "event_id": d(ID, "Short id, e.g. e1."),
        "date": DATE,
        "received_on": d(
            DATE,
            "The day a decision was received, when later than its date: documents dated before "
            "it do not yet see the decision, and the time to appeal it runs from it.",
        ),
        "type": v("event_type"),
        "authority": obj(
            {
                "name": d(LTEXT, "The authority's name, or {ru: ..., en: ...}."),
                "level": v("authority_level"),
                "region": TEXT,
                "office": d(
                    {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"},
                    "Id of the office in the country data (schemas/countries/, 'authorities'), "
                    "e.g. chui or gpo: letters then print its name in Russian and English.",
                ),
            },
            ["name"],
        ),
        "direction": v("direction"),
        "our_ref": d(TEXT, "Our outgoing number."),
        "their_ref": d(TEXT, "The authority's number."),
        "legal_basis": d(TEXT, "For example 'CPC KZ art. 180'."),
        "qualification": qualification,
        "grounds": v("refusal_grounds"),
        "outcome_note": s(TEXT, "What the document says; may name people, so kept sensitive."),
        "document": d(TEXT, "Path to the scanned document."),
        "responds_to": d(
            ID,
            "event_id of what this event answers: the request a reply answers, the decision an "
            "appeal is against, the appeal an appeal decision decides.",
        ),
        "annuls": d(ID, "event_id of the decision a decision_annulled sets aside."),
        "outcome": v("appeal_outcome", description="What an appeal_decided decided."),
        "filed_by": v("applicant_role", description="Who filed an outgoing action."),
        "amount": {
            "type": "number",
            "minimum": 0,
            "description": "Compensation claimed or awarded.",
        },
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
    ["event_id", "date", "type"],
)

un_comm = obj(
    {
        "comm_id": d(ID, "Short id, e.g. u1."),
        "body": v("un_body"),
        "kind": v("un_kind"),
        "submitted_on": DATE,
        "channel": v("channel"),
        "language": v("language"),
        "victim_ids": {"type": "array", "items": ID, "uniqueItems": True},
        "interim_measures_requested": {"type": "boolean"},
        "articles": vlist("un_article"),
        "domestic_remedies": obj(
            {"status": v("remedies_status"), "final_decision_on": DATE}, ["status"]
        ),
        "same_matter_elsewhere": {"type": "boolean"},
        "un_reference": d(TEXT, "For example 'UA KGZ 1/2024' or 'No. 2146/2012'."),
        "transmitted_to_state_on": DATE,
        "registered_on": d(DATE, "When the body registered the communication."),
        "state_reply_on": DATE,
        "decided_on": DATE,
        "outcome": v("un_outcome"),
        "follow_up": d(
            {
                "type": "array",
                "items": obj(
                    {"date": DATE, "type": v("un_follow_up"), "reference": TEXT},
                    ["date", "type"],
                ),
            },
            "After Views or a decision: the State's follow-up replies, our comments, requests.",
        ),
    },
    ["comm_id", "body", "kind", "submitted_on"],
)

consent = obj(
    {
        "person_id": d(ID, "victim_id of the person the consent is about."),
        "scopes": vlist("consent_scope", minItems=1),
        "name_to_government": d({"type": "boolean"}, "May the name be given to the government?"),
        "name_in_public_reports": v("name_in_public_reports"),
        "form": v("consent_form"),
        "given_by": d(
            obj(
                {
                    "role": v("consent_giver"),
                    "relationship": d(TEXT, "For example mother, father, wife."),
                    "name": s(TEXT, "Name of the person who gave consent."),
                },
                ["role"],
            ),
            "Who gave consent: the victim, or a guardian, relative or representative for them.",
        ),
        "given_on": DATE,
        "withdrawn_on": DATE,
        "document": d(TEXT, "Path to the signed form, outside git or encrypted."),
    },
    ["person_id", "scopes", "form", "given_on"],
)

source = obj(
    {
        "title": TEXT,
        "publisher": TEXT,
        "published_on": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        "url": TEXT,
        "reference": d(TEXT, "Where in the document, or a seed file name."),
    },
    ["title"],
)

case = obj(
    {
        "schema_version": {"type": "string", "enum": ["1.1"]},
        "case_id": d(
            {"type": "string", "pattern": "^(KZ|KG|TJ)-(19|20)\\d{2}-[0-9A-HJKMNP-TV-Z]{4}$"},
            "COUNTRY-YEAR-XXXX: country, intake year, four characters (digits or Crockford base32 "
            "letters). `cattool new-case` picks a random unused code so parallel branches never "
            "collide; the file name must equal the case_id.",
        ),
        "country": v("country"),
        "region": d(TEXT, "Region code from schemas/countries/<country>.yaml."),
        "district": TEXT,
        "member_org": d(TEXT, "Code of the documenting coalition member."),
        "assignee": d(TEXT, "Lawyer or case manager responsible (a handle, not a victim's name)."),
        "intake_date": d(
            DATE, "When the coalition received the allegation; its year makes the case 'new'."
        ),
        "source_type": v("source_type"),
        "source_contact": s(TEXT, "Who told us and how to reach them (confidential source)."),
        "source_confidential": {"type": "boolean", "default": True},
        "org_may_be_named": d(
            {"type": "boolean", "default": False},
            "May the member organisation be named as the source in UN communications? Without "
            "true, UN submissions ask the UN to keep the submitting organisation confidential.",
        ),
        "violation_type": v("violation_type"),
        "confirmation": v("confirmation"),
        "priority": v("priority"),
        "case_status": v("case_status"),
        "confidentiality": v("confidentiality", default="restricted"),
        "fictional": d(
            {"type": "boolean"}, "True for demo and training cases with invented people."
        ),
        "sources": d(
            {"type": "array", "items": source},
            "Published documents the case is taken from (for public cases).",
        ),
        "summary_public": d(TEXT, "One or two sentences that may be published."),
        "text_language": v(
            "text_language",
            description="The language the case's plain texts are written in (default ru).",
        ),
        "applicant": d(
            obj(
                {
                    "role": v("applicant_role"),
                    "person_id": d(ID, "victim_id of the applicant, when a victim applies."),
                    "name": s(TEXT, "Name of the applicant (a relative or a lawyer)."),
                    "relationship": d(TEXT, "A relative's relationship, e.g. mother."),
                    "power_of_attorney": s(TEXT, "Path to the power of attorney (a lawyer)."),
                },
                ["role"],
            ),
            "Who files the complaints: the member organisation unless said otherwise.",
        ),
        "notes": s(TEXT, "Internal notes."),
        "victims": d(
            {"type": "array", "items": victim, "minItems": 1},
            "The people ill-treated: one entry each, with a public label for every output.",
        ),
        "incidents": d(
            {"type": "array", "items": incident, "minItems": 1},
            "What happened, where and when: one entry per episode, linked to its victims.",
        ),
        "perpetrators": d(
            {"type": "array", "items": perpetrator},
            "The alleged perpetrators: agency always, names only if known (kept sensitive).",
        ),
        "medical_evidence": d(
            {"type": "array", "items": medical},
            "Examinations and records, with the Istanbul Protocol consistency of the findings.",
        ),
        "legal_actions": d(
            {"type": "array", "items": event},
            "The procedural timeline: what was sent, received and decided, in date order.",
        ),
        "un_communications": d(
            {"type": "array", "items": un_comm},
            "Submissions to the Special Rapporteur, the Human Rights Committee or CAT.",
        ),
        "consent": d(
            {"type": "array", "items": consent, "minItems": 1},
            "What each victim allowed us to do; every action must be covered by a scope here.",
        ),
    },
    [
        "schema_version",
        "case_id",
        "country",
        "region",
        "member_org",
        "intake_date",
        "source_type",
        "violation_type",
        "case_status",
        "confidentiality",
        "victims",
        "incidents",
        "consent",
    ],
)

defs: dict[str, Any] = {}
for name, vocab in VOCAB.items():
    defs[name] = {"description": vocab["description"], "enum": [str(k) for k in vocab["values"]]}

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://cattool.example/schemas/case.schema.json",
    "title": "cattool case",
    "description": (
        "One torture or ill-treatment case documented by an NGO coalition. Fields marked "
        '"x-sensitive": true never appear in logs, error messages or public exports. Keys starting '
        "with x_ are free for a coalition's own additions."
    ),
    **case,
    "$defs": defs,
}

out = ROOT / "schemas" / "case.schema.json"
out.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
