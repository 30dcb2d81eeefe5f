"""The small pure helpers that listings and the publication rule rest on."""

from announcements.languages import missing_translations
from announcements.models.base import plain_text


def test_missing_translations_names_each_required_field_left_empty():
    values = {
        "requires_fr": True,
        "requires_en": True,
        "title_fr": "Titre",
        "body_fr": "<p> </p>",
        "title_en": "",
        "body_en": "<p>Body</p>",
    }
    assert missing_translations(values.get) == [("body_fr", "fr"), ("title_en", "en")]
    values["requires_en"] = False
    assert missing_translations(values.get) == [("body_fr", "fr")]


def test_plain_text_strips_markup_and_cuts_at_a_word():
    assert plain_text("<p>One <b>two</b>\n three</p>") == "One two three"
    assert len(plain_text("word " * 100)) <= 200
    assert plain_text(None) == ""
