"""The small pure helpers that listings and the publication rule rest on."""

import datetime

from announcements.languages import missing_translations
from announcements.listing import MergedByDate
from announcements.models.base import plain_text


class Rows(list):
    """A list that answers like a queryset: count(), exists(), slicing."""

    def count(self):
        return len(self)

    def exists(self):
        return bool(self)

    def __getitem__(self, index):
        result = super().__getitem__(index)
        return Rows(result) if isinstance(index, slice) else result


def day(number):
    return datetime.date(2025, 5, number)


def test_merged_by_date_reads_several_sorted_lists_as_one():
    releases = Rows([day(20), day(12), day(1)])
    statements = Rows([day(15), day(10)])
    merged = MergedByDate([releases, statements], key=lambda date: date)
    assert list(merged) == [day(20), day(15), day(12), day(10), day(1)]
    assert merged[1:3] == [day(15), day(12)]
    assert merged[0] == day(20)
    assert len(merged) == 5 and bool(merged)
    assert not MergedByDate([Rows(), Rows()], key=lambda date: date)


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
