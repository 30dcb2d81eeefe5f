"""Admin panels of the newsroom."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

from .forms import LANGUAGE_NAMES, REQUIRED_TEXT, missing_translations


class TranslationStatusPanel(Panel):
    """Tells editors which required French or English text is still missing."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            page = self.instance
            required = [
                code for code in ("fr", "en") if getattr(page, f"requires_{code}")
            ]
            values = {
                f"{field}_{code}": getattr(page, f"{field}_{code}", "")
                for field in REQUIRED_TEXT
                for code in ("fr", "en")
            }
            missing = missing_translations(values, required)
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
                    (REQUIRED_TEXT[name.rsplit("_", 1)[0]], LANGUAGE_NAMES[language])
                    for name, language in missing
                ),
            )
            return format_html(
                '<div class="help-block help-warning" '
                'data-translation-status="missing"><p>{}</p><ul>{}</ul></div>',
                _("Still missing before review or publication:"),
                items,
            )
