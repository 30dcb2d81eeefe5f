# Varnish in front of the newsroom's app servers (docs/production.md#varnish).
#
#   nginx (TLS) -> Varnish (this file) -> gunicorn app servers
#
# Varnish keeps only what the app marks as the same for every anonymous
# reader: a 200 whose Cache-Control carries s-maxage (set by
# announcements/page_cache.py on public pages, listings, feeds, calendars,
# the API and the sitemap when VARNISH_URL is set). On top of that, whatever
# the app says, it never keeps nor serves from its cache:
#   - anything but GET and HEAD;
#   - the admin (/admin/, /django-admin/), the press area (/fr/presse/,
#     /en/press/), journalists' secret embargo links (/fr/embargo/,
#     /en/embargo/), documents (embargoed ones are private), e-mail alerts'
#     own pages, the language switch and the health check;
#   - a request with the app's session, CSRF or messages cookie, or with
#     Authorization (logged-in editors, signed-in journalists, a page's
#     password given);
#   - an answer that sets a cookie, says private/no-store/no-cache, or varies
#     on cookies.
#
# After every public change the app bans the whole cache (one BAN request on
# the "purge" listen address, newsroom/varnish.py), as it expires its own
# page cache: a publication shows on listings, the home page, the trial page,
# feeds, the sitemap, calendars and the API, not only at its own address.
#
# Start it with two listen addresses: readers' (nginx's) and the purge one,
# which only the app servers reach, e.g.
#   varnishd -a 127.0.0.1:6081 -a purge=127.0.0.1:6082 -f /etc/varnish/newsroom.vcl
# and VARNISH_URL=http://127.0.0.1:6082 in the app servers' environment.

vcl 4.1;

import cookie;
import directors;

# Who may ban: the app servers (and the scheduler's machine), on the purge
# listen address only.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app_servers = directors.round_robin();
}

# The app servers: backends added to app_servers (vcl_init), kept beside this
# file in /etc/varnish (newsroom-backends.vcl is the example to adapt).
include "newsroom-backends.vcl";

sub vcl_recv {
    if (req.method == "BAN") {
        if (local.socket != "purge" || client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Every object of this cache, tested by the ban lurker in the
        # background (obj.* only).
        ban("obj.status != 0");
        return (synth(200, "Banned"));
    }
    if (local.socket == "purge") {
        return (synth(405, "Purge address"));
    }
    set req.backend_hint = app_servers.backend();

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|documents|i18n)(/|$)"
        || req.url ~ "^/healthz"
        || req.url ~ "^/(fr/presse|en/press)(/|$)"
        || req.url ~ "^/(fr|en)/embargo/"
        || req.url ~ "^/(fr/alertes|en/alerts)/") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        if (cookie.isset("sessionid") || cookie.isset("csrftoken")
            || cookie.isset("messages")) {
            return (pass);
        }
    }
    # Every other cookie (a language chosen at /i18n/, another site's on the
    # same domain): the app reads none on the pages it lets Varnish keep,
    # whose language is in the address.
    if (req.url ~ "^/(fr|en)/" || req.url ~ "^/sitemap") {
        unset req.http.Cookie;
    }
    # Feeds vary on it: a browser opening a feed gets a page about the feed
    # (announcements/feeds.py); every other value gets the feed itself.
    if (req.http.Sec-Fetch-Dest != "document") {
        unset req.http.Sec-Fetch-Dest;
    }
    # Then Varnish's built-in rules: a request with any cookie left is passed.
}

sub vcl_hash {
    # Addresses in pages and feeds are absolute (https://...), as the app's
    # own cache keeps them apart.
    hash_data(req.http.X-Forwarded-Proto);
    # Then the built-in: the URL and the Host.
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)(^|[\s,])s-maxage="
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary ~ "(?i)(cookie|\*)") {
        # Not kept; the next request for it goes to an app server at once
        # (hit-for-miss, not queued behind this one).
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # beresp.ttl comes from s-maxage.
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elseif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # s-maxage is the app's word to this cache only (it is purged; a cache
    # further on would not be).
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(
            regsuball(resp.http.Cache-Control, "(?i)(^|,)\s*s-maxage=\d+", ""),
            "^\s*,\s*", "");
        if (resp.http.Cache-Control == "") {
            unset resp.http.Cache-Control;
        }
    }
}
