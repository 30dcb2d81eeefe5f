"""Answers compressed once, and revalidated whether compressed or not.

``CompressOnceMiddleware``: Django's GZipMiddleware, but for files that are
compressed already (a press kit's ZIP, PDFs, pictures), which gzip would
only make larger, and which clients would then have to unpack twice.

``WeakETagMiddleware``: Django's ConditionalGetMiddleware, inside the
compression (Django's gzip pads its output at random, so an ETag is taken
of the uncompressed body). The ETag it gives is weak (``W/"…"``): the
compressed and the plain answer are the same content, not the same bytes,
and gzip would weaken it anyway, but only on the answers it compresses; a
304 then carries the very ETag the 200 had.
"""

from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import set_response_etag

ALREADY_COMPRESSED = ("application/zip", "application/pdf", "image/", "font/woff")


def already_compressed(content_type):
    return content_type.startswith(ALREADY_COMPRESSED) and not content_type.startswith(
        "image/svg"
    )


class CompressOnceMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if already_compressed(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)


class WeakETagMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if (
            request.method == "GET"
            and not response.has_header("ETag")
            and self.needs_etag(response)
            and not response.streaming
            and response.content
        ):
            set_response_etag(response)
            response.headers["ETag"] = "W/" + response.headers["ETag"]
        return super().process_response(request, response)
