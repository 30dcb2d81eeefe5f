"""The pictures a page shows and shares, as Wagtail renditions.

A release page shows its lead image at three widths (WebP, with JPEG for
browsers without it: ``LEAD_IMAGE_WIDTHS`` in the template). Social networks
get one 1.91:1 picture (``SHARE``); search engines get the article's picture in
16:9, 4:3 and 1:1 (``ARTICLE_CROPS``, as Google asks of news articles) and the
publisher's logo (``LOGO``). Which picture a page shares is the page type's
answer (``NewsroomPage.share_image``); this module only makes and addresses
the renditions.
"""

import logging

logger = logging.getLogger(__name__)

SHARE = "fill-1200x630|format-jpeg"
ARTICLE_CROPS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)
# Logos keep their format (a PNG keeps its transparency) and are never
# cropped; none is enlarged.
LOGO = "max-1200x1200"


def renditions(image, *specs):
    """``{spec: rendition}`` of ``image`` (one query, made when missing), or
    ``{}`` when its file is gone: a page loses its picture, not its metadata."""
    try:
        return image.get_renditions(*specs)
    except OSError:  # Wagtail's SourceImageIOError among others
        logger.warning("Image %s: file missing, no rendition.", image.pk)
        return {}


def absolute_url(rendition, request=None):
    """The rendition's address for other sites: on this request's host, else
    on the site's base URL (``WAGTAILADMIN_BASE_URL``)."""
    if request is not None:
        return request.build_absolute_uri(rendition.url)
    return rendition.full_url


def shared(rendition, request, alt, large):
    """What ``<head>`` says of a shared picture. ``large`` asks for the large
    card (a photograph), not the small one (a logo)."""
    return {
        "url": absolute_url(rendition, request),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt,
        "large": large,
    }


def image_object(rendition, request):
    """A rendition as a schema.org ``ImageObject``."""
    return {
        "@type": "ImageObject",
        "url": absolute_url(rendition, request),
        "width": rendition.width,
        "height": rendition.height,
    }
