"""Admin panels of the newsroom."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

from . import languages


class TranslationStatusPanel(Panel):
    """Tells editors which required French or English text is still missing."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            missing = self.instance.missing_translations()
            if not missing:
                return format_html(
                    '<p class="help-block help-info" '
                    'data-translation-status="complete">{}</p>',
                    _("Every required language has its headline and body."),
                )
            items = format_html_join(
                "",
                "<li>{} ({})</li>",
                (
                    (
                        languages.REQUIRED_TEXT[name.rsplit("_", 1)[0]],
                        languages.NAMES[language],
                    )
                    for name, language in missing
                ),
            )
            return format_html(
                '<div class="help-block help-warning" '
                'data-translation-status="missing"><p>{}</p><ul>{}</ul></div>',
                _("Still missing before review or publication:"),
                items,
            )
