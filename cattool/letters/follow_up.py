"""Comments to a Committee on the State's follow-up to its Views or decision (English).

After the Human Rights Committee adopts Views, or the Committee against Torture a decision,
finding a violation, the State reports what it did (the follow-up reply) and the author comments
on it. The comments say, from the procedural model, where the proceedings stand at home on the
document's date: the decision that still stands or the investigation under way, whether anyone
was convicted, whether reparation was awarded or paid, and what the author did since the
decision. ``plan_follow_up`` returns a ``LetterPlan`` like the other UN documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cattool.caseformat import CaseFormat
from cattool.letters.common import (
    Gap,
    LetterPlan,
    domestic_record,
    later_events_warning,
    mapping,
    text_in,
)
from cattool.procedure import Proceedings, proceedings
from cattool.repo import CaseRepo
from cattool.russian import date_long

COMMITTEES = {
    "hrc": (
        "ccpr",
        "Human Rights Committee",
        "Views",
        "the International Covenant on Civil and Political Rights",
    ),
    "cat": ("cat", "Committee against Torture", "decision", "the Convention against Torture"),
}
# How long the State has to report on its follow-up: the rule of schemas/un.yaml named here
# (the one the deadlines list uses; the document leaves the period out if the file has none).
FOLLOW_UP_RULES = {"hrc": "views_follow_up_hrc", "cat": "views_follow_up_cat"}


def plan_follow_up(
    case: dict[str, Any],
    fmt: CaseFormat,
    repo: CaseRepo,
    *,
    to: str,
    today: dt.date,
    annexes: tuple[str, ...] = (),
) -> LetterPlan:
    """The author's comments on the State's follow-up to the decision of ``to`` (hrc or cat)."""
    from cattool.letters.un import naming, published_as

    body, committee, document, treaty = COMMITTEES[to]
    plan = LetterPlan("comments", str(case.get("case_id")), str(case.get("country")), recipient=to)
    plan.addressee_slug = to
    country = fmt.countries.get(str(case.get("country")))
    state = proceedings(case, country, today)
    if (later := later_events_warning(state.later, today)) is not None:
        plan.warnings.append(later)
    decided = [t for t in state.un if t.body == body and t.found_violation]
    if not decided:
        others = [t for t in state.un if t.body == body and t.decided]
        why = (
            f"its decision of {(others[-1].decided_on or others[-1].since).isoformat()} found "
            f"{(others[-1].outcome or 'no violation').replace('_', ' ')}: there is nothing to follow up"
            if others
            else f"the {committee} has not decided the case by {today.isoformat()}"
        )
        plan.gaps.append(Gap("un_communications", why))
        return plan
    track = decided[-1]
    names, gaps = naming(case, to)
    plan.gaps += gaps
    if plan.gaps:
        return plan
    plan.notes.append(
        f"comments on the follow-up to {track.comm_id or track.path} ({document} of "
        f"{(track.decided_on or track.since).isoformat()})"
    )
    victims = [v for v in case.get("victims") or [] if isinstance(v, dict)]
    # follow-up reports are public: a name only as each victim's consent to public reports allows
    shown = [
        _public_name(victims[n.index], published_as(case, n.victim_id, to), n.index)
        for n in names
        if not track.victim_ids or n.victim_id in track.victim_ids
    ]
    org = mapping(repo.organisations.get(str(case.get("member_org"))))
    signatory = mapping(org.get("signatory"))
    days = next(
        (
            int(r["days"])
            for r in _un_rules(repo)
            if r.get("rule") == FOLLOW_UP_RULES[to] and isinstance(r.get("days"), int)
        ),
        None,
    )
    decided_on = track.decided_on or track.since
    reply = track.last_follow_up("state_follow_up_reply")
    plan.contexts["en"] = {
        "to": to,
        "committee": committee,
        "document": document,
        "treaty": treaty,
        "reference": track.reference,
        "decided_on": decided_on,
        "victims": shown,
        "state_reply_on": reply.date if reply else None,
        "follow_up_days": days,
        "days_since": (today - decided_on).days,
        "record": domestic_record(state, country, since=decided_on),
        "steps_since": _steps_since(state, decided_on),
        "requests": _requests(state),
        "today": today,
        "annexes": list(annexes),
        "organisation": {
            "name": text_in(org.get("name"), "en"),
            "address": text_in(org.get("address"), "en"),
            "email": text_in(org.get("email"), "en"),
        },
        "signatory": {
            "name": text_in(signatory.get("name"), "en"),
            "position": text_in(signatory.get("position"), "en"),
        },
    }
    plan.record = {"follow_up": {"date": today, "type": "our_comments"}, "comm_index": track.index}
    return plan


def _un_rules(repo: CaseRepo) -> list[dict[str, Any]]:
    from cattool.errors import ConfigError
    from cattool.procedure.deadlines import un_rules_for

    try:
        return un_rules_for(repo.schema_file)
    except ConfigError:
        return []


def _steps_since(state: Proceedings, decided_on: dt.date) -> list[dict[str, str]]:
    """What happened at home after the Committee's decision: each event, in date order."""
    return [
        {
            "date": date_long(e.date, "en"),
            "step": e.type.replace("_", " ").capitalize(),
            "by": "the author" if e.raw.get("direction") == "outgoing" else "the authorities",
        }
        for e in state.events
        if e.date > decided_on
    ]


def _requests(state: Proceedings) -> list[str]:
    """What the author asks the Committee to ask of the State, fitting where things stand."""
    track = state.criminal
    found = []
    if not track.convicted:
        found.append(
            "to carry out, without further delay, a prompt, impartial and effective "
            "investigation, and to prosecute and punish those responsible"
        )
    if state.civil.paid is None:
        found.append(
            "to provide full reparation, including adequate compensation and rehabilitation"
        )
    found.append("to inform the Committee of the measures taken, within a set time")
    return found


def _public_name(victim: dict[str, Any], published: str, index: int) -> str:
    """The victim as a public document may name them: in full, by initials, or not at all."""
    from cattool.letters.un import english_name

    if published == "full":
        return english_name(victim)
    if published == "initials" and victim.get("public_label"):
        return str(victim["public_label"])
    return f"victim {index + 1}"
