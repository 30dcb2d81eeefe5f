from .models import HomePage


def site_sections(request):
    """The home page's sections, for the main navigation."""
    home = HomePage.objects.live().first()
    if home is None:
        return {"site_sections": []}
    sections = home.get_children().live().in_menu().specific(defer=True)
    return {
        "site_sections": [
            {"title": page.title, "url": page.get_url(request=request)}
            for page in sections
        ]
    }
