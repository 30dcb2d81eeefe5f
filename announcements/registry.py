"""Reading a trial's registered facts from ClinicalTrials.gov (API version 2).

``import_registry(trial)`` asks ``{CTGOV_API_URL}/studies/{NCT number}``,
reads the answer and stores it as a new dated ``RegistrySnapshot``; earlier
snapshots are kept. Every failure (no answer in time, a network error, an
unknown study, an answer that is not the study's JSON) is a ``RegistryError``
with a message for the editor, raised before anything is written. The trial's
own fields are never changed: they say what the publication says.
"""

import http.client
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import RegistrySnapshot

# Enough for the largest study records; an answer beyond it is not a study.
MAX_ANSWER_BYTES = 5 * 1024 * 1024
# A study nests a dozen levels; far more cannot be stored (nor is a study).
MAX_DEPTH = 64


class RegistryError(Exception):
    """The registry could not be read: nothing was written."""


def study_url(registry_id):
    return f"{settings.CTGOV_API_URL}/studies/{registry_id}"


def _read(response, deadline):
    """The body, up to one byte beyond the limit, read before ``deadline``:
    a server that trickles its answer does not hold the import."""
    body = b""
    while len(body) <= MAX_ANSWER_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(64 * 1024)
        if not chunk:
            break
        body += chunk
    if len(body) <= MAX_ANSWER_BYTES and response.length:
        # The connection ended before the length the headers announced.
        raise http.client.IncompleteRead(body, response.length)
    return body


def fetch_study(registry_id):
    """The registry's JSON answer for ``registry_id``, as a dictionary."""
    url = study_url(registry_id)
    request = urllib.request.Request(  # noqa: S310 (an https URL from settings)
        url, headers={"Accept": "application/json", "User-Agent": "Newsroom"}
    )
    timeout = settings.CTGOV_API_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = _read(response, time.monotonic() + timeout)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise RegistryError(
                _("ClinicalTrials.gov has no study %(id)s (404 at %(url)s).")
                % {"id": registry_id, "url": url}
            ) from None
        raise RegistryError(
            _("ClinicalTrials.gov answered with an error (HTTP %(code)s at %(url)s).")
            % {"code": error.code, "url": url}
        ) from None
    except TimeoutError:
        raise RegistryError(
            _("ClinicalTrials.gov did not answer within %(seconds)s seconds (%(url)s).")
            % {"seconds": settings.CTGOV_API_TIMEOUT, "url": url}
        ) from None
    except http.client.HTTPException as error:
        # Not HTTP, or cut off: BadStatusLine, IncompleteRead, RemoteDisconnected.
        why = _("it is not a complete HTTP answer (%(error)s)") % {
            "error": type(error).__name__
        }
        raise RegistryError(_malformed(url, why)) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise RegistryError(
                _(
                    "ClinicalTrials.gov did not answer within %(seconds)s "
                    "seconds (%(url)s)."
                )
                % {"seconds": settings.CTGOV_API_TIMEOUT, "url": url}
            ) from None
        raise RegistryError(
            _("ClinicalTrials.gov could not be reached (%(url)s): %(reason)s.")
            % {"url": url, "reason": reason}
        ) from None
    if len(body) > MAX_ANSWER_BYTES:
        raise RegistryError(_malformed(url, _("the answer is too large")))
    try:
        data = json.loads(body)
        if _depth(data) > MAX_DEPTH:
            raise ValueError
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RegistryError(_malformed(url, _("the answer is not JSON"))) from None
    return data


def _depth(value, level=0):
    """How deeply ``value`` nests, counted no further than ``MAX_DEPTH``."""
    if level > MAX_DEPTH or not isinstance(value, (dict, list)):
        return level
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, level + 1) for child in children), default=level)


def _malformed(url, why):
    return _(
        "ClinicalTrials.gov's answer could not be read (%(url)s): %(why)s. "
        "Nothing was imported."
    ) % {"url": url, "why": why}


def _part(parent, name):
    """A nested object of the study; not one where one is due is not the API's
    layout (``read_registry`` says so)."""
    value = parent.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(name)
    return value


def _module(protocol, name):
    value = protocol.get(name) or {}
    return value if isinstance(value, dict) else {}


def _date(module, name):
    value = module.get(name) or {}
    return _text(value.get("date")) if isinstance(value, dict) else ""


def _text(value):
    """A registry value as text; a missing one (null) is no text."""
    return str(value) if isinstance(value, (str, int, float)) else ""


def _strings(values):
    if not isinstance(values, list):
        return []
    return [text for text in map(_text, values) if text]


def parse_study(data, registry_id, url=""):
    """The facts the newsroom compares, read from a study in API v2 layout.

    Raises ``RegistryError`` when the answer is not that study."""
    if not isinstance(data, dict) or not isinstance(data.get("protocolSection"), dict):
        raise RegistryError(_malformed(url, _("it has no protocolSection")))
    protocol = data["protocolSection"]
    identification = _module(protocol, "identificationModule")
    if identification.get("nctId") != registry_id:
        raise RegistryError(
            _malformed(
                url,
                _("it describes %(other)s, not %(id)s")
                % {"other": identification.get("nctId") or "?", "id": registry_id},
            )
        )
    status = _module(protocol, "statusModule")
    design = _module(protocol, "designModule")
    design_info = _part(design, "designInfo")
    masking = _part(design_info, "maskingInfo")
    enrollment = _part(design, "enrollmentInfo")
    sponsors = _module(protocol, "sponsorCollaboratorsModule")
    outcomes = _module(protocol, "outcomesModule")
    interventions = _module(protocol, "armsInterventionsModule")
    secondary_ids = [
        {"id": _text(item.get("id")), "type": _text(item.get("type"))}
        for item in identification.get("secondaryIdInfos") or []
        if isinstance(item, dict) and item.get("id")
    ]
    count = enrollment.get("count")
    if count is not None and not isinstance(count, int):
        raise RegistryError(_malformed(url, _("its enrolment is not a number")))
    return {
        "nct_id": registry_id,
        "brief_title": _text(identification.get("briefTitle")),
        "official_title": _text(identification.get("officialTitle")),
        "acronym": _text(identification.get("acronym")),
        "secondary_ids": secondary_ids,
        "eudract_number": next(
            (i["id"] for i in secondary_ids if i["type"] == "EUDRACT_NUMBER"), ""
        ),
        "status": _text(status.get("overallStatus")),
        "start_date": _date(status, "startDateStruct"),
        "primary_completion_date": _date(status, "primaryCompletionDateStruct"),
        "completion_date": _date(status, "completionDateStruct"),
        "last_update": _date(status, "lastUpdatePostDateStruct"),
        "study_type": _text(design.get("studyType")),
        # "NA": a study without phases (not a drug trial).
        "phases": [p for p in _strings(design.get("phases")) if p != "NA"],
        "enrollment": {"count": count, "type": _text(enrollment.get("type"))},
        "allocation": _text(design_info.get("allocation")),
        "intervention_model": _text(design_info.get("interventionModel")),
        "masking": _text(masking.get("masking")),
        "who_masked": _strings(masking.get("whoMasked")),
        "conditions": _strings(_module(protocol, "conditionsModule").get("conditions")),
        "interventions": [
            {"type": _text(item.get("type")), "name": _text(item.get("name"))}
            for item in interventions.get("interventions") or []
            if isinstance(item, dict)
        ],
        "sponsor": _text(_module(sponsors, "leadSponsor").get("name")),
        "collaborators": [
            _text(item.get("name"))
            for item in sponsors.get("collaborators") or []
            if isinstance(item, dict)
        ],
        "primary_outcomes": [
            {
                "measure": _text(item.get("measure")),
                "time_frame": _text(item.get("timeFrame")),
                "description": _text(item.get("description")),
            }
            for item in outcomes.get("primaryOutcomes") or []
            if isinstance(item, dict)
        ],
        "has_results": bool(data.get("hasResults")),
    }


def read_registry(registry_id):
    """``(url, answer, facts)`` for ``registry_id``, read now; writes nothing."""
    url = study_url(registry_id)
    data = fetch_study(registry_id)
    try:
        facts = parse_study(data, registry_id, url)
    except (AttributeError, TypeError, ValueError):
        raise RegistryError(
            _malformed(url, _("it is not in the layout of the API version 2"))
        ) from None
    return url, data, facts


def import_registry(trial):
    """Read ``trial``'s registry record now and keep it as a new snapshot."""
    url, data, facts = read_registry(trial.registry_id)
    with transaction.atomic():
        return RegistrySnapshot.objects.create(
            trial=trial,
            registry_id=trial.registry_id,
            source_url=url,
            fetched_at=timezone.now(),
            raw=data,
            facts=facts,
        )
