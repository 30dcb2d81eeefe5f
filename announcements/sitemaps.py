"""Sitemap entries for the public pages that are views, not Wagtail pages.

Wagtail's sitemap lists the pages (each page type gives its own entries,
``NewsroomPage.get_sitemap_urls``); this lists the Subscribe page in both
languages with the alternates its ``<head>`` declares (``seo.view_metadata``).
"""

from django.contrib.sitemaps import Sitemap

from . import languages
from .seo import view_urls


class ViewSitemap(Sitemap):
    def items(self):
        return ["subscribe"]

    def get_urls(self, page=1, site=None, protocol=None):
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = []
        for name in self.items():
            alternates = view_urls(name, lambda path: base + path)
            links = [
                {"lang_code": code, "location": url} for code, url in alternates.items()
            ]
            links.append(
                {"lang_code": "x-default", "location": alternates[languages.DEFAULT]}
            )
            urls += [
                {"item": name, "location": url, "alternates": links}
                for url in alternates.values()
            ]
        return urls
