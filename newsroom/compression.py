"""Answers compressed once: Django's GZipMiddleware, but for files that are
compressed already (a press kit's ZIP, PDFs, pictures), which gzip would
only make larger, and which clients would then have to unpack twice."""

from django.middleware.gzip import GZipMiddleware

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
