"""Reading a trial's registered facts from ClinicalTrials.gov (API version 2).

``import_registry(trial)`` asks ``{CTGOV_API_URL}/studies/{NCT number}``,
reads the answer and stores it as a new dated ``RegistrySnapshot``; earlier
snapshots are kept. Every failure (no whole answer in time, a network error,
an unknown study, a redirect, an answer that is not the study's JSON or holds
what PostgreSQL cannot store) is a ``RegistryError`` with a message for the
editor, raised before anything is written. The trial's own fields are never
changed: they say what the publication says.
"""

import http.client
import io
import json
import time
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import requests
import urllib3

from .models import RegistrySnapshot

# Enough for the largest study records; an answer beyond it is not a study.
MAX_ANSWER_BYTES = 5 * 1024 * 1024
# A study nests a dozen levels; far more cannot be stored (nor is a study).
MAX_DEPTH = 64
CHUNK_BYTES = 64 * 1024
HEADERS = {
    "Accept": "application/json",
    "User-Agent": "Newsroom",
    # Uncompressed: MAX_ANSWER_BYTES bounds what comes over the network too.
    "Accept-Encoding": "identity",
}


class RegistryError(Exception):
    """The registry could not be read: nothing was written."""


def study_url(registry_id):
    return f"{settings.CTGOV_API_URL}/studies/{registry_id}"


def _time_left(deadline):
    """Seconds until ``deadline``; none left is a timeout, as a socket's."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


class _DeadlineReader(io.RawIOBase):
    """Reads ``sock`` through its own unbuffered file, each read waiting only
    for the time left before ``deadline``."""

    def __init__(self, sock, deadline):
        super().__init__()
        self._sock = sock
        self._file = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self):
        return True

    def readinto(self, buffer):
        self._sock.settimeout(_time_left(self._deadline))
        return self._file.readinto(buffer)

    def close(self):
        self._file.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose every read and write waits only for the time
    left before ``deadline``. A socket's own timeout is per operation: a
    server sending a byte now and then, headers included, would hold the
    import for as long as it likes."""

    def __init__(self, sock, deadline):
        self._sock = sock
        self._deadline = deadline

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data, *args):
        self._sock.settimeout(_time_left(self._deadline))
        return self._sock.sendall(data, *args)

    def makefile(self, mode="rb", buffering=-1):
        # http.client reads the status line, headers and body through it.
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineConnection:
    """Mixed into a urllib3 connection class: connecting and every later read
    and write end by ``deadline``."""

    deadline = None  # set by _DeadlineAdapter

    def _new_conn(self):
        # urllib3's step that opens the TCP connection (urllib3 is pinned in
        # requirements.txt for it); what is left then is the TLS handshake's,
        # which CPython times as a whole. (A proxy's CONNECT answer, read
        # before the handshake, is only bounded read by read.)
        self.timeout = _time_left(self.deadline)
        sock = super()._new_conn()
        try:
            sock.settimeout(_time_left(self.deadline))
        except TimeoutError:
            sock.close()
            raise
        return sock

    def connect(self):
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, its connections ending by ``deadline`` (a
    ``time.monotonic()`` value): the whole exchange, however slowly the server
    sends, takes no longer. urllib3's ``Timeout(total=...)`` does not do it:
    what is left of it after connecting is again one socket timeout per
    read."""

    def __init__(self, deadline):
        self.deadline = deadline
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(self, *args, **kwargs):
        pool = super().get_connection_with_tls_context(*args, **kwargs)
        if not issubclass(pool.ConnectionCls, _DeadlineConnection):
            pool.ConnectionCls = type(
                pool.ConnectionCls.__name__,
                (_DeadlineConnection, pool.ConnectionCls),
                {"deadline": self.deadline},
            )
        return pool


def _read(response, deadline):
    """The body, up to one chunk beyond the limit, read before ``deadline``."""
    body = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        _time_left(deadline)
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            break
    return bytes(body)


def _causes(error):
    """``error``, then the errors it wraps, outermost first (requests wraps
    urllib3's, which wraps the socket's or http.client's)."""
    for _step in range(16):
        yield error
        inner = [getattr(error, "reason", None), *error.args, error.__cause__]
        error = next((e for e in inner if isinstance(e, BaseException)), None)
        if error is None:
            return


def _failure(error, url):
    """The message for ``error``, met asking ``url``."""
    cause = list(_causes(error))[-1]
    if isinstance(cause, TimeoutError):
        return _(
            "ClinicalTrials.gov did not answer within %(seconds)s seconds (%(url)s)."
        ) % {
            "seconds": settings.CTGOV_API_TIMEOUT,
            "url": url,
        }
    if isinstance(cause, (http.client.HTTPException, urllib3.exceptions.ProtocolError)):
        # Not HTTP, or cut off: BadStatusLine, IncompleteRead, RemoteDisconnected.
        why = _("it is not a complete HTTP answer (%(error)s)") % {
            "error": type(cause).__name__
        }
        return _malformed(url, why)
    return _("ClinicalTrials.gov could not be reached (%(url)s): %(reason)s.") % {
        "url": url,
        "reason": cause,
    }


def _refuse_status(response, registry_id, url):
    """A ``RegistryError`` unless ``response`` is a success (2xx).

    A redirect is not followed: the registry's address is ``CTGOV_API_URL``,
    and a redirect elsewhere would have the import read and keep another
    server's answer."""
    status = response.status_code
    if response.is_redirect:
        raise RegistryError(
            _(
                "ClinicalTrials.gov redirected the request to %(location)s (HTTP "
                "%(code)s at %(url)s); redirects are not followed. Nothing was "
                "imported."
            )
            % {
                "location": urljoin(url, response.headers["Location"]),
                "code": status,
                "url": url,
            }
        )
    if status == 404:
        raise RegistryError(
            _("ClinicalTrials.gov has no study %(id)s (404 at %(url)s).")
            % {"id": registry_id, "url": url}
        )
    if not 200 <= status < 300:
        raise RegistryError(
            _("ClinicalTrials.gov answered with an error (HTTP %(code)s at %(url)s).")
            % {"code": status, "url": url}
        )


def fetch_study(registry_id):
    """The registry's JSON answer for ``registry_id``, as a dictionary.

    One request, answered whole within ``CTGOV_API_TIMEOUT`` seconds; no
    redirect is followed (the adapter sends the request itself: requests'
    session would also read a redirect's whole body)."""
    url = study_url(registry_id)
    timeout = settings.CTGOV_API_TIMEOUT
    adapter = _DeadlineAdapter(time.monotonic() + timeout)
    try:
        response = adapter.send(
            requests.Request("GET", url, headers=HEADERS).prepare(),
            stream=True,
            timeout=timeout,
            # Proxies from the environment (HTTPS_PROXY, NO_PROXY), as urllib.
            proxies=requests.utils.get_environ_proxies(url),
        )
        with response:
            _refuse_status(response, registry_id, url)
            body = _read(response, adapter.deadline)
    except (requests.RequestException, TimeoutError) as error:
        raise RegistryError(_failure(error, url)) from None
    finally:
        adapter.close()
    if len(body) > MAX_ANSWER_BYTES:
        raise RegistryError(_malformed(url, _("the answer is too large")))
    try:
        data = json.loads(body)
        if _depth(data) > MAX_DEPTH:
            raise ValueError
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RegistryError(_malformed(url, _("the answer is not JSON"))) from None
    if _has_nul(data):
        raise RegistryError(
            _malformed(
                url,
                _(
                    "it holds a NUL character (\\u0000), which the database "
                    "cannot store"
                ),
            )
        )
    return data


def _has_nul(value):
    """Whether a string of ``value`` (a key or a value, at any depth) holds
    the NUL character, which PostgreSQL stores in no JSON nor text column."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


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
