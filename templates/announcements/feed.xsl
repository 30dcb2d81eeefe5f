{% load i18n static %}<?xml version="1.0" encoding="utf-8"?>
{% comment %}How a browser shows a feed: a page that says what the feed is and how to
subscribe. Feed readers ignore it and read the RSS. The feed's namespaces stay
out of the page (exclude-result-prefixes), and the processor writes the page's
encoding itself (a <meta http-equiv> in the head), so it has no <meta charset>.{% endcomment %}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/">
<html lang="{{ LANGUAGE_CODE }}">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title><xsl:value-of select="rss/channel/title"/></title>
<link rel="stylesheet" href="{% static 'css/newsroom.css' %}"/>
<script src="{% static 'js/feed.js' %}" defer="defer"></script>
</head>
<body class="feed-page">
<main id="main" class="wrap">
<p class="kind-label">{% translate "News feed (RSS)" %}</p>
<h1><xsl:value-of select="rss/channel/title"/></h1>
<p class="standfirst"><xsl:value-of select="rss/channel/description"/></p>
<section class="feed-how" aria-labelledby="feed-how">
<h2 id="feed-how">{% translate "How to subscribe" %}</h2>
<p>{% translate "This page is a news feed: a feed reader (Feedly, Inoreader, NetNewsWire, Thunderbird, your newsdesk's tools…) checks it for you and shows each new item as soon as it is published, never before its embargo. Copy its address into your reader." %}</p>
<div class="feed-address">
<label for="feed-url">{% translate "Address of this feed" %}</label>
<input id="feed-url" type="text" readonly="readonly" value="{rss/channel/atom:link[@rel='self']/@href}"/>
<button type="button" data-copy="feed-url" data-copied="{% translate 'Address copied' %}">{% translate "Copy the address" %}</button>
<span class="feed-copied" role="status"></span>
</div>
<p><a href="{% url 'subscribe' %}">{% translate "Other feeds, and alerts by e-mail" %}</a> · <a href="{rss/channel/link}">{% translate "Back to the newsroom" %}</a></p>
</section>
<h2>{% translate "Latest items" %}</h2>
<ul class="feed-items">
<xsl:for-each select="rss/channel/item">
<li class="announcement-card">
<h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
<p class="card-meta"><xsl:value-of select="dc:creator"/> · <xsl:value-of select="substring(pubDate, 6, 11)"/></p>
<p><xsl:value-of select="description"/></p>
</li>
</xsl:for-each>
</ul>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>
