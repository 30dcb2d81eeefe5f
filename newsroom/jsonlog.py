"""JSON-lines log records for production.

One record is one line on stderr, which the process manager, container
runtime or log shipper reads as it is, so that an error in production is
found by searching fields (``level``, ``logger``, ``path``) rather than by
reading interleaved text. A traceback stays inside its record, in
``exc_info``, instead of spreading over many lines.
"""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# Django puts the request and the socket in some records' extras: neither
# serialises usefully (and the request would carry headers), so only the
# request's path is kept.
_SKIPPED = [*RESERVED_ATTRS, "request", "server_time"]


class JsonLinesFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", _SKIPPED)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str):
            log_data["path"] = path
