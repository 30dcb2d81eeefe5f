"""Spreadsheet exports from the admin's listings, safe to open.

Wagtail's XLSX export already stores every cell as text; its CSV export
writes values as they are, and a spreadsheet opening the file runs a cell
such as ``=HYPERLINK(...)`` as a formula. Every CSV cell that a spreadsheet
would read as a formula starts with a single quote instead (OWASP's rule
for CSV injection). An admin listing with ``list_export`` uses this index
view.
"""

from wagtail.admin.views import generic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value`` as a spreadsheet shows it, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportIndexView(generic.IndexView):
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return inert(value) if export_format == self.FORMAT_CSV else value
