"""The XML sitemap: every live page once per language, with its alternates.

Wagtail's sitemap lists one language per request and no hreflang; this
extends it so that search engines find both languages of each page.
"""

from django.conf import settings

from wagtail.contrib.sitemaps import Sitemap

from .seo import alternate_urls


class BilingualSitemap(Sitemap):
    def items(self):
        # Base pages are enough for URLs and dates: no query per page type.
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list.iterator():
            locations = alternate_urls(item, self.request)
            alternates = [
                {"lang_code": code, "location": url} for code, url in locations.items()
            ]
            alternates.append(
                {
                    "lang_code": "x-default",
                    "location": locations[settings.LANGUAGE_CODE],
                }
            )
            lastmod = item.last_published_at or item.latest_revision_created_at
            last_mods.add(lastmod)
            for location in locations.values():
                urls.append(
                    {
                        "item": item,
                        "location": location,
                        "lastmod": lastmod,
                        "alternates": alternates,
                    }
                )
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
