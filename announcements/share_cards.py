"""The pictures the newsroom draws itself, for pages that have none to share.

A shared link shows a picture: a release's lead image, else its
organisation's logo, else the institution's (``NewsroomPage.share_image``).
When none of them exists (the seed has no picture at all), the page's card is
drawn here with Pillow: what the page is and its title, in the page's
language, over the institution's name, on the site's colours. The
publisher's logo in JSON-LD falls back the same way, to a drawn logo of the
newsroom.

A card's address names the page and its live revision (``/fr/share/12-345.png``,
``views.share_card``): a new revision is a new address, so a social network
never keeps an old title, and each card is drawn once and kept in the cache.
Only public pages have one: an embargoed, draft or private page's address
answers 404, as the page does.
"""

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from PIL import Image, ImageDraw, ImageFont

CARD = (1200, 630)
LOGO = (512, 512)
# The site's colours (static/css/newsroom.css).
ACCENT = "#0b4f8a"
SOFT = "#f3f5f8"
WHITE = "#ffffff"
LIGHT = "#d6e4f2"
MARGIN = 80
TITLE_SIZES = (68, 60, 52, 46, 40)
TITLE_HEIGHT = 330
# Drawn pictures change only with the code: kept a day, addressed per revision.
CACHE_SECONDS = 24 * 3600
MEDIA_TYPE = "image/png"


@lru_cache(maxsize=8)
def _font(size, bold=True):
    """DejaVu Sans (Debian's fonts-dejavu-core, which the PDFs use too), else
    Pillow's own font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(Path(settings.SHARE_CARD_FONTS) / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _lines(draw, text, font, width, most):
    """``text`` in lines no wider than ``width``, at most ``most`` of them
    (the last one ending with "…" when the text is longer)."""
    lines = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(joined, font=font) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = f"{lines[-1]}…"
    return lines


def draw_card(kicker, title, footer):
    """A 1200×630 PNG: ``kicker`` (what the page is), ``title``, and
    ``footer`` (whose newsroom) on a band of the site's light colour."""
    image = Image.new("RGB", CARD, ACCENT)
    draw = ImageDraw.Draw(image)
    width = CARD[0] - 2 * MARGIN
    draw.text((MARGIN, 64), kicker.upper(), font=_font(28), fill=LIGHT)
    for size in TITLE_SIZES:
        font = _font(size)
        lines = _lines(draw, title, font, width, most=TITLE_HEIGHT // int(size * 1.2))
        if not lines[-1].endswith("…"):
            break
    top = 130
    for line in lines:
        draw.text((MARGIN, top), line, font=font, fill=WHITE)
        top += int(size * 1.2)
    draw.rectangle((0, CARD[1] - 110, CARD[0], CARD[1]), fill=SOFT)
    (footer_line,) = _lines(draw, footer, _font(32), width, most=1)
    draw.text((MARGIN, CARD[1] - 76), footer_line, font=_font(32), fill=ACCENT)
    return _png(image)


def draw_logo(name, newsroom):
    """A 512×512 PNG: the institution's ``name`` over the word ``newsroom``."""
    image = Image.new("RGB", LOGO, ACCENT)
    draw = ImageDraw.Draw(image)
    font = _font(52)
    lines = _lines(draw, name, font, LOGO[0] - 80, most=4)
    top = (LOGO[1] - 62 * len(lines) - 60) // 2
    for line in lines:
        draw.text((40, top), line, font=font, fill=WHITE)
        top += 62
    draw.text((40, top + 16), newsroom, font=_font(32, bold=False), fill=LIGHT)
    return _png(image)


def _png(image):
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def cached_png(parts, draw):
    """The PNG kept under the key of ``parts`` (what it shows, where), drawn
    by ``draw()`` when missing."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode())
    key = f"share-picture:{digest.hexdigest()}"
    content = cache.get(key)
    if content is None:
        content = draw()
        cache.set(key, content, CACHE_SECONDS)
    return content


def png_response(content):
    response = HttpResponse(content, content_type=MEDIA_TYPE)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
