"""Whatever a reader or a robot types into an address, the newsroom answers
with a page, a redirect or a 404, never a server error: on SQLite and on
PostgreSQL, which refuses a NUL byte in any text it is given."""

import re
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from announcements.models import (
    ContactIndexPage,
    PositionIndexPage,
    ReleaseIndexPage,
    TrialIndexPage,
)
from press.models import EmbargoPreviewLink, new_link_token
from tests.factories import feed_url, url_in

LANGUAGES = ("fr", "en")
ANSWERS = {200, 301, 302, 400, 404}

# What full-text engines and databases read as syntax or refuse, and what
# breaks XML: mixed with any text, and long runs of it.
NASTY = [
    '"',
    "'",
    "*",
    "^",
    ":",
    "(",
    ")",
    "{",
    "}",
    "-",
    "+",
    "\\",
    "%",
    "%s",
    "&",
    "|",
    "!",
    "NOT",
    "AND",
    "OR",
    "NEAR(",
    "\x00",
    "\x0b",
    "\x1f",
    "\x7f",
    "\ufffe",
    " ",
    "mirocals",
    "MIROCALS",
    "é",
    "NCT03039673",
    "chu-nimes",
]
hostile_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(NASTY), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=3))).map("".join),
    st.builds(
        lambda text, times: text * times,
        st.text(min_size=1, max_size=4),
        st.integers(min_value=50, max_value=3000),
    ),
)
examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _index_url(model, language):
    return url_in(model.objects.get(), language)


def _assert_answers(response, url):
    assert response.status_code in ANSWERS, (url, response.status_code)


@pytest.mark.parametrize("language", LANGUAGES)
@examples
@given(query=hostile_text, page=hostile_text)
# The known failures, always tried: FTS5 syntax on SQLite, NUL on PostgreSQL.
@example(query='"', page="")
@example(query='mirocals"', page="")
@example(query="mirocals\x00", page="\x00")
def test_search_answers_any_query(seeded, client, language, query, page):
    """A quote, an FTS operator or a NUL byte in a search is searched for as
    words (or ignored), not handed to the database as syntax."""
    with translation.override(language):
        url = reverse("search")
    _assert_answers(client.get(url, {"q": query, "page": page}), url)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", [ReleaseIndexPage, PositionIndexPage])
@examples
@given(trial=hostile_text, organisation=hostile_text, page=hostile_text)
@example(trial="NCT03039673\x00", organisation="chu-nimes\x00", page="1\x00")
def test_announcement_indexes_answer_any_filter(
    seeded, client, language, index, trial, organisation, page
):
    """The release and statement lists' filters match nothing on nonsense."""
    url = _index_url(index, language)
    response = client.get(
        url, {"trial": trial, "organisation": organisation, "page": page}
    )
    _assert_answers(response, url)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("index", [TrialIndexPage, ContactIndexPage])
@examples
@given(page=hostile_text)
@example(page="\x00")
def test_other_indexes_answer_any_page_number(seeded, client, language, index, page):
    url = _index_url(index, language)
    _assert_answers(client.get(url, {"page": page}), url)


def _segment(text):
    # As a browser sends it: every byte of the segment percent-encoded.
    return quote(text, safe="")


@pytest.mark.parametrize("language", LANGUAGES)
@examples
@given(registry_id=hostile_text)
@example(registry_id="NCT03039673\x00")
def test_trial_feed_answers_any_registry_number(seeded, client, language, registry_id):
    """A trial feed's address is an NCT number or a 404."""
    url = feed_url(language, "trial", "NCT00000000").replace(
        "NCT00000000", _segment(registry_id)
    )
    _assert_answers(client.get(url), url)


@pytest.mark.parametrize("language", LANGUAGES)
@examples
@given(token=hostile_text)
@example(token="\x00")
@example(token="a" * 42 + "\x00")
def test_embargo_preview_answers_any_token(seeded, client, language, token):
    """A preview link's token is checked for its shape before it is looked up."""
    url = f"/{language}/embargo/{_segment(token)}/"
    _assert_answers(client.get(url), url)


@pytest.mark.parametrize("language", LANGUAGES)
@examples
@given(slug=hostile_text)
@example(slug="\x00")
def test_page_addresses_answer_any_slug(seeded, client, language, slug):
    """A page address that names no page is a 404, whatever it contains."""
    for parent in (f"/{language}/", _index_url(ReleaseIndexPage, language)):
        url = f"{parent}{_segment(slug)}/"
        _assert_answers(client.get(url), url)


@pytest.mark.parametrize(
    "registry_id", ["NCT0303967", "NCT030396733", "nct03039673", "NCT0303967a"]
)
def test_a_malformed_registry_number_is_not_found(seeded, client, registry_id):
    assert client.get(f"/en/rss/trials/{registry_id}/").status_code == 404


def test_a_well_formed_registry_number_is_served(seeded, client):
    assert client.get("/en/rss/trials/NCT03039673/").status_code == 200


def test_every_new_preview_token_has_the_shape_its_address_accepts():
    """A link the admin hands out must open: the address's shape check
    accepts every token the model generates."""
    for _ in range(200):
        assert re.fullmatch(EmbargoPreviewLink.TOKEN_PATTERN, new_link_token())


@pytest.mark.parametrize("token", ["not-a-token", "a" * 42, "a" * 44, "a" * 42 + "="])
def test_a_malformed_preview_token_is_not_found(seeded, client, token):
    assert client.get(f"/en/embargo/{token}/").status_code == 404
