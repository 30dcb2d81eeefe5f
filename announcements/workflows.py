"""The review workflow every release and partner statement goes through.

Its name and its tasks' names are stored in English, as ``roles`` writes
them, and shown in each editor's language wherever Wagtail shows them (the
"Submit to …" button, the status panel, the dashboard, history, e-mails):
reading ``name`` translates a name the newsroom set up, and writing one back
(a French editor saving the workflow's form) stores the English again.
"""

import functools

from django.db.models.query_utils import DeferredAttribute
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Task, Workflow

from . import languages
from .roles import PUBLISHERS_APPROVAL, REVIEW_WORKFLOW, STEPS

TRANSLATED_NAMES = [REVIEW_WORKFLOW, PUBLISHERS_APPROVAL, *(step[0] for step in STEPS)]


@functools.cache
def _stored_names():
    """``{name in any language: stored (English) name}``, read once."""
    stored = {}
    for name in TRANSLATED_NAMES:
        for code in languages.CODES:
            with translation.override(code):
                stored[gettext(name)] = name
    return stored


def canonical_name(value):
    """The stored (English) name of ``value`` in any language, else ``value``."""
    return _stored_names().get(value, value)


class TranslatedName(DeferredAttribute):
    """Reads a name in the active language. A data descriptor (it has
    ``__set__``), so that it is asked even once the value is loaded."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None or value not in TRANSLATED_NAMES:
            return value
        return gettext(value)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class CanonicalNameMixin:
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return canonical_name(value) if isinstance(value, str) else value

    def deconstruct(self):
        # Migrations see Wagtail's own field, unchanged.
        name, _path, args, kwargs = super().deconstruct()
        base = type(self).__mro__[2]
        path = f"{base.__module__}.{base.__qualname__}"
        return (
            name,
            path.replace("django.db.models.fields", "django.db.models"),
            args,
            kwargs,
        )


def show_names_in_the_editors_language():
    for model in (Workflow, Task):
        field = model._meta.get_field("name")
        if not isinstance(field, CanonicalNameMixin):
            field.__class__ = type(
                "CanonicalNameField", (CanonicalNameMixin, field.__class__), {}
            )
        setattr(model, field.attname, TranslatedName(field))


def review_workflow():
    return Workflow.objects.filter(name=REVIEW_WORKFLOW, active=True).first()
