"""Load the seed content in ``fixtures/`` into the page tree.

The fixtures are the reviewable truth; this module turns them into pages and
snippets. It checks every file before writing anything, writes everything in
one transaction, and remembers (``SeedRecord``) what it wrote, so that a second
run changes nothing and an editor's later edits are never overwritten unless
asked (``force``).

Fixtures are reviewed data, but not trusted blindly: a file over
``MAX_FIXTURE_BYTES``, not UTF-8, or using YAML anchors and aliases (which can
expand to gigabytes) is refused before it is parsed or expanded, and rich text
is refused when the admin's editor would drop any of its markup (a script, an
event handler, a ``javascript:`` link…), so nothing goes live that an editor
could not have written.
"""

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Site

import yaml
from bs4 import BeautifulSoup

from . import languages
from .models import (
    ContactIndexPage,
    Institution,
    Organisation,
    PartnerPosition,
    PartnerPositionContact,
    PositionIndexPage,
    PressContact,
    PressRelease,
    PressReleaseContact,
    ReleaseIndexPage,
    SeedRecord,
    Trial,
    TrialIndexPage,
)
from .site_tree import ensure_site_tree

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# The largest fixture is about 20 kB; anything near this is not seed content.
MAX_FIXTURE_BYTES = 1_000_000


class SeedError(Exception):
    """A fixture is wrong: says which file and which field."""

    def __init__(self, path, field_name, message):
        self.path = path
        self.field_name = field_name
        super().__init__(f"{path}: field “{field_name}”: {message}")


@dataclass
class Item:
    key: str
    path: Path
    model: type
    values: dict
    refs: dict = field(default_factory=dict)  # attname -> (kind, key, fixture field)
    contacts: list = field(default_factory=list)
    first_published: datetime.date | None = None


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    deleted: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)


# Reading and checking the files ------------------------------------------------


class _Reader:
    """Typed access to one fixture mapping, with errors naming file and field."""

    def __init__(self, path, data, prefix=""):
        if not isinstance(data, dict):
            raise SeedError(path, prefix or "(top level)", "expected a mapping")
        self.path, self.data, self.prefix = path, data, prefix
        self.used = set()

    def _name(self, name):
        return f"{self.prefix}{name}"

    def get(self, name, kind=str, required=True, default=None):
        self.used.add(name)
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise SeedError(self.path, self._name(name), "is required")
            return default
        if kind is datetime.date and isinstance(value, datetime.date):
            return value
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is bool and isinstance(value, bool):
            return value
        if (
            kind is str
            and isinstance(value, (str, int, float))
            and not isinstance(value, bool)
        ):
            return str(value)
        if kind in (list, dict) and isinstance(value, kind):
            return value
        expected = {
            datetime.date: "a date (YYYY-MM-DD)",
            int: "a whole number",
            bool: "true or false",
            str: "text",
            list: "a list",
            dict: "a mapping",
        }[kind]
        raise SeedError(
            self.path, self._name(name), f"expected {expected}, got {value!r}"
        )

    def translated(self, name, required_language=None):
        """``{fr: …, en: …}`` → ``{"name_fr": …, "name_en": …}`` ("" when absent)."""
        mapping = self.get(
            name, dict, required=required_language is not None, default={}
        )
        unknown = set(mapping) - set(languages.CODES)
        if unknown:
            raise SeedError(
                self.path, self._name(name), f"unknown language {sorted(unknown)}"
            )
        values = {}
        for code in languages.CODES:
            text = mapping.get(code)
            if text is not None and not isinstance(text, str):
                raise SeedError(
                    self.path, self._name(f"{name}.{code}"), "expected text"
                )
            values[f"{name}_{code}"] = (text or "").strip()
        if required_language and not values[f"{name}_{required_language}"]:
            raise SeedError(
                self.path, self._name(f"{name}.{required_language}"), "is required"
            )
        return values

    def child(self, name, required=True):
        value = self.get(name, dict, required=required)
        if value is None:
            return None
        return _Reader(self.path, value, prefix=f"{self._name(name)}.")

    def done(self, ignored=()):
        unknown = set(self.data) - self.used - set(ignored)
        if unknown:
            raise SeedError(self.path, self._name(sorted(unknown)[0]), "unknown field")


class _FixtureYAMLLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: fixtures do not need them, and an
    alias bomb ("billion laughs") would expand to gigabytes. The first anchor
    or alias is refused before anything is expanded."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&name, *name) are not allowed "
                "in fixtures",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _load_yaml(path):
    try:
        size = Path(path).stat().st_size
        if size > MAX_FIXTURE_BYTES:
            raise SeedError(
                path,
                "(file)",
                f"{size} bytes, over the limit of {MAX_FIXTURE_BYTES} bytes",
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SeedError(path, "(file)", "file not found") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SeedError(
            path,
            "(file)",
            f"not valid UTF-8: byte {error.start} (line {line}) is "
            f"{data[error.start : error.start + 1]!r}",
        ) from None
    try:
        return yaml.load(text, Loader=_FixtureYAMLLoader)  # noqa: S506 (safe)
    except yaml.YAMLError as error:
        raise SeedError(path, "(file)", f"not valid YAML: {error}") from None
    except RecursionError:
        raise SeedError(path, "(file)", "not valid YAML: nested too deeply") from None


# Attributes the editor cannot write but the seed keeps: a paragraph in the
# other language marked as such (``<p lang="fr">`` in an English statement).
_SEED_ONLY_ATTRIBUTES = {"lang": set(languages.CODES)}
# Wagtail's editor adds these to every block; they are not the author's markup.
_EDITOR_ATTRIBUTES = {"data-block-key"}


def _markup(html, ignored):
    """Each element and each attribute of ``html``, in document order, as
    ``<tag>`` and ``<tag name="value">``."""
    pieces = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        pieces.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if not ignored(name, value):
                pieces.append(f'<{tag.name} {name}="{value}">')
    return pieces


def _rich_text(path, field_name, html, model, model_field):
    """``html`` if the admin's editor keeps all of its markup; else a SeedError
    naming the first thing the editor would drop.

    The editor's rules are Wagtail's own for the field's features: the
    HTML goes through the same conversion as when an editor opens and saves
    the page (database format → Draftail's contentstate → database format).
    """
    if not html:
        return html
    converter = ContentstateConverter(
        features=model._meta.get_field(model_field).features
    )
    kept = converter.to_database_format(converter.from_database_format(html))
    before = _markup(
        html, lambda name, value: value in _SEED_ONLY_ATTRIBUTES.get(name, ())
    )
    after = Counter(_markup(kept, lambda name, value: name in _EDITOR_ATTRIBUTES))
    for piece in before:
        if after[piece] == 0:
            raise SeedError(
                path, field_name, f"contains markup the editor does not allow: {piece}"
            )
        after[piece] -= 1
    return html


def _choice(reader, name, choices):
    value = reader.get(name)
    if value not in choices:
        raise SeedError(
            reader.path,
            reader._name(name),
            f"“{value}” is not one of {', '.join(choices)}",
        )
    return value


def read_organisations(path):
    items = []
    for position, data in enumerate(_list_of(path, "organisations")):
        r = _Reader(path, data, prefix=f"organisations[{position}].")
        key = r.get("key")
        values = {
            "slug": key,
            "kind": _choice(r, "kind", Organisation.Kind.values),
            **r.translated("name", required_language=None),
            "website": r.get("website", required=False, default=""),
        }
        if not any(values[f"name_{code}"] for code in languages.CODES):
            raise SeedError(path, r._name("name"), "needs at least one language")
        # The French site needs a name: the authors' own name in either language.
        values["name_fr"] = values["name_fr"] or values["name_en"]
        values["name"] = values["name_fr"]
        r.get("sources", list, required=False)
        r.done()
        items.append(Item(f"organisation:{key}", path, Organisation, values))
    return items


def read_institution(path):
    """The site setting naming the institution the newsroom publishes for."""
    r = _Reader(path, _load_yaml(path))
    data = r.child("institution")
    values = data.translated("name", required_language=languages.DEFAULT)
    values["name"] = values[f"name_{languages.DEFAULT}"]
    refs = {}
    organisation = data.get("organisation", required=False)
    if organisation:
        refs["organisation_id"] = (
            "organisation",
            organisation,
            data._name("organisation"),
        )
    data.done()
    r.done()
    return Item("institution:site", path, Institution, values, refs)


def read_trials(path):
    items = []
    for position, data in enumerate(_list_of(path, "trials")):
        r = _Reader(path, data, prefix=f"trials[{position}].")
        key = r.get("key")
        acronym = r.get("acronym")
        summary = r.translated("summary")
        for code in languages.CODES:
            name = f"summary_{code}"
            _rich_text(path, r._name(f"summary.{code}"), summary[name], Trial, name)
        values = {
            "title": acronym,
            "title_fr": acronym,
            "title_en": acronym,
            "slug": slugify(acronym),
            "slug_fr": slugify(acronym),
            "slug_en": slugify(acronym),
            **r.translated("full_name"),
            "registry_id": r.get("registry_id"),
            "phase": r.get("phase", required=False, default=""),
            "status": r.get("status", required=False, default=""),
            **r.translated("condition"),
            "randomised": r.get("randomised", bool, required=False, default=False),
            "masking": r.get("masking", required=False, default=""),
            "placebo_controlled": r.get(
                "placebo_controlled", bool, required=False, default=False
            ),
            "international": r.get(
                "international", bool, required=False, default=False
            ),
            "participants": r.get("participants", int, required=False),
            "centres": r.get("centres", int, required=False),
            **r.translated("countries"),
            **r.translated("primary_endpoint"),
            "primary_endpoint_months": r.get(
                "primary_endpoint_months", int, required=False
            ),
            "primary_outcome_result": r.get(
                "primary_outcome_result",
                required=False,
                default=Trial.OutcomeResult.NOT_REPORTED,
            ),
            **r.translated("primary_endpoint_result"),
            **summary,
            "journal": r.get("journal", required=False, default=""),
            "article_title": r.get("article_title", required=False, default=""),
            "doi": r.get("doi", required=False, default=""),
            "publication_date": r.get(
                "publication_date", datetime.date, required=False
            ),
        }
        refs = {}
        sponsor = r.get("sponsor", required=False)
        if sponsor:
            refs["sponsor_id"] = ("organisation", sponsor, r._name("sponsor"))
        r.get("sources", dict, required=False)
        r.done()
        items.append(Item(f"trial:{key}", path, Trial, values, refs))
    return items


def read_contacts(path):
    items = []
    for position, data in enumerate(_list_of(path, "contacts")):
        r = _Reader(path, data, prefix=f"contacts[{position}].")
        key = r.get("key")
        name = r.get("name")
        values = {
            "title": name,
            "title_fr": name,
            "title_en": name,
            "slug": key,
            "slug_fr": key,
            "slug_en": key,
            **r.translated("role"),
            "kind": r.get("kind", required=False, default="person"),
            "phone": r.get("phone", required=False, default=""),
            "phone_secondary": r.get("phone_secondary", required=False, default=""),
            "email": r.get("email", required=False, default=""),
        }
        refs = {
            "organisation_id": (
                "organisation",
                r.get("organisation"),
                r._name("organisation"),
            )
        }
        r.get("source", required=False)
        r.done()
        items.append(Item(f"contact:{key}", path, PressContact, values, refs))
    return items


def read_announcement(path, model):
    r = _Reader(path, _load_yaml(path))
    key = r.get("key")
    original = _choice(r, "original_language", languages.CODES)
    texts = {
        code: r.child(code, required=(code == original)) for code in languages.CODES
    }
    values = {"original_language": original}
    for code in languages.CODES:
        values[f"requires_{code}"] = texts[code] is not None
    dates = []
    for code, text in texts.items():
        if text is None:
            for name in ("title", "slug", "dateline_place", "standfirst", "body"):
                values[f"{name}_{code}"] = ""
            if model is PressRelease:
                values[f"dateline_date_{code}"] = None
            continue
        text.get("source_file")
        values[f"title_{code}"] = text.get("title")
        values[f"slug_{code}"] = text.get("slug")
        if slugify(values[f"slug_{code}"]) != values[f"slug_{code}"]:
            raise SeedError(
                path, f"{code}.slug", "use lowercase letters, digits and hyphens"
            )
        values[f"dateline_place_{code}"] = text.get(
            "dateline_place", required=False, default=""
        )
        values[f"standfirst_{code}"] = text.get(
            "standfirst", required=False, default=""
        ).strip()
        values[f"body_{code}"] = _rich_text(
            path, f"{code}.body", text.get("body").strip(), model, f"body_{code}"
        )
        if model is PressRelease:
            date = text.get("dateline_date", datetime.date)
            values[f"dateline_date_{code}"] = date
            dates.append(date)
        text.done()
    # Wagtail needs a French title and slug; an item written only in English
    # keeps its English ones there (the page is shown in English, marked).
    for name in ("title", "slug"):
        values[f"{name}_fr"] = values[f"{name}_fr"] or values[f"{name}_{original}"]
        values[name] = values[f"{name}_fr"]
    if model is PartnerPosition:
        values["source_url"] = r.get("source_url", required=False, default="")
        values["source_date"] = r.get("source_date", datetime.date, required=False)
        if values["source_date"]:
            dates.append(values["source_date"])
    refs = {
        "organisation_id": ("organisation", r.get("organisation"), "organisation"),
        "trial_id": ("trial", r.get("trial"), "trial"),
    }
    contacts = r.get("contacts", list, required=False, default=[])
    r.get("omitted", list, required=False)
    r.done()
    kind = "release" if model is PressRelease else "position"
    return Item(
        f"{kind}:{key}",
        path,
        model,
        values,
        refs,
        contacts,
        first_published=min(dates) if dates else None,
    )


def _list_of(path, name):
    data = _load_yaml(path)
    reader = _Reader(path, data)
    entries = reader.get(name, list)
    reader.done()
    return entries


def read_fixtures(directory=FIXTURES_DIR):
    """Every item of the seed content, checked; raises SeedError on the first fault."""
    directory = Path(directory)
    items = [
        *read_organisations(directory / "organisations.yaml"),
        *read_trials(directory / "trials.yaml"),
        *read_contacts(directory / "contacts.yaml"),
        read_institution(directory / "institution.yaml"),
    ]
    releases = sorted((directory / "releases").glob("*.yaml"))
    positions = sorted((directory / "positions").glob("*.yaml"))
    if not releases:
        raise SeedError(directory / "releases", "(folder)", "no release fixture found")
    items += [read_announcement(path, PressRelease) for path in releases]
    items += [read_announcement(path, PartnerPosition) for path in positions]
    keys = [item.key for item in items]
    for item in items:
        if keys.count(item.key) > 1:
            raise SeedError(item.path, "key", f"“{item.key}” is used twice")
    return items


# Writing ------------------------------------------------------------------------


def _fingerprint(values, contacts):
    payload = {"values": values, "contacts": contacts}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()


def _current_values(obj, names):
    return {name: getattr(obj, name) for name in names}


def _current_contacts(obj):
    if not hasattr(obj, "contact_links"):
        return []
    return [link.contact_id for link in obj.contact_links.all()]


PARENTS = {
    Trial: TrialIndexPage,
    PressContact: ContactIndexPage,
    PressRelease: ReleaseIndexPage,
    PartnerPosition: PositionIndexPage,
}
CONTACT_LINK = {
    PressRelease: PressReleaseContact,
    PartnerPosition: PartnerPositionContact,
}


class Loader:
    def __init__(self, force=False):
        self.force = force
        self.report = Report()
        self.objects = {}

    def resolve(self, item):
        values = dict(item.values)
        for attname, (kind, key, field_name) in item.refs.items():
            target = self._target(item, f"{kind}:{key}", field_name)
            if target is None:
                raise _DependsOnDeleted
            values[attname] = target.pk
        contacts = []
        for key in item.contacts:
            contact = self._target(item, f"contact:{key}", "contacts")
            if contact is not None:
                contacts.append(contact.pk)
        return values, contacts

    def _target(self, item, key, field_name):
        if key not in self.objects:
            kind, name = key.split(":", 1)
            raise SeedError(item.path, field_name, f"unknown {kind} “{name}”")
        return self.objects[key]  # None: deleted by an editor

    def load(self, items):
        home = ensure_site_tree()
        self.site = Site.objects.get(is_default_site=True)
        self.parents = {
            model: parent_model.objects.child_of(home).get()
            for model, parent_model in PARENTS.items()
        }
        for item in items:
            self.objects[item.key] = self.load_item(item)
        return self.report

    def load_item(self, item):
        record = SeedRecord.objects.filter(key=item.key).first()
        obj = None
        if record is None and item.model is Institution and not self.force:
            setting = Institution.for_site(self.site)
            if setting.name_fr:
                # Named in the admin before the seed ever ran: the editor's.
                self.report.kept.append(item.key)
                return setting
        if record is not None:
            obj = item.model.objects.filter(pk=record.object_id).first()
            if obj is None and not self.force:
                # An editor deleted it after it was loaded: it stays deleted.
                self.report.deleted.append(item.key)
                return None
        try:
            values, contacts = self.resolve(item)
        except _DependsOnDeleted:
            self.report.kept.append(item.key)
            return obj
        fingerprint = _fingerprint(values, contacts)
        if obj is None:
            obj = self.create(item, values, contacts)
            self._record(item, obj, fingerprint, record)
            self.report.created.append(item.key)
            return obj

        current = (
            obj.get_latest_revision_as_object()
            if hasattr(obj, "get_latest_revision_as_object")
            else obj
        )
        current_fingerprint = _fingerprint(
            _current_values(current, values), _current_contacts(current)
        )
        if current_fingerprint == fingerprint:
            if record.fingerprint != fingerprint:
                self._record(item, obj, fingerprint, record)
            self.report.unchanged.append(item.key)
            return obj
        if current_fingerprint != record.fingerprint and not self.force:
            # Someone edited it after it was loaded: theirs wins.
            self.report.kept.append(item.key)
            return obj
        self.update(item, obj, values, contacts)
        self._record(item, obj, fingerprint, record)
        self.report.updated.append(item.key)
        return obj

    def _record(self, item, obj, fingerprint, record):
        content_type = ContentType.objects.get_for_model(item.model)
        if record is None:
            record = SeedRecord(key=item.key)
        record.content_type = content_type
        record.object_id = obj.pk
        record.fingerprint = fingerprint
        record.save()

    def _clean(self, item, obj, exclude=()):
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise SeedError(item.path, name, " ".join(messages)) from None

    def _set_contacts(self, item, obj, contacts):
        if item.model in CONTACT_LINK:
            link = CONTACT_LINK[item.model]
            obj.contact_links = [
                link(contact_id=pk, sort_order=order)
                for order, pk in enumerate(contacts)
            ]

    def create(self, item, values, contacts):
        if item.model is Institution:
            # A site's setting exists once Wagtail has looked it up: fill it in.
            obj = Institution.for_site(self.site)
            self.update(item, obj, values, contacts)
            return obj
        obj = item.model(**values)
        if item.model is Organisation:
            self._clean(item, obj)
            obj.save()
            return obj
        self._set_contacts(item, obj, contacts)
        if item.first_published:
            obj.first_published_at = timezone.make_aware(
                datetime.datetime.combine(item.first_published, datetime.time(9, 0))
            )
        parent = self.parents[item.model]
        obj.depth = parent.depth + 1  # lets full_clean check the slug among siblings
        obj.path = parent.path + "9999"
        self._clean(item, obj, exclude=("path", "depth"))
        parent.add_child(instance=obj)
        obj.save_revision().publish()
        return obj

    def update(self, item, obj, values, contacts):
        for name, value in values.items():
            setattr(obj, name, value)
        if item.model in (Organisation, Institution):
            self._clean(item, obj)
            obj.save()
            return
        self._set_contacts(item, obj, contacts)
        self._clean(item, obj)
        obj.save_revision().publish()


class DryRun(Exception):
    pass


class _DependsOnDeleted(Exception):
    """The item refers to a trial or organisation an editor deleted."""


def load_seed_content(directory=FIXTURES_DIR, force=False, dry_run=False):
    """Check the fixtures, then load them in one transaction; return the report."""
    items = read_fixtures(directory)
    loader = Loader(force=force)
    try:
        # Untranslated names ("title", "name") read and write the active
        # language's column: pin it to the default language.
        with translation.override(languages.DEFAULT), transaction.atomic():
            loader.load(items)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return loader.report
