from django.contrib.auth.models import Group

import pytest

from announcements.site_tree import ensure_site_tree


@pytest.fixture
def home(db):
    """The real site tree: home page, four indexes, review workflow."""
    return ensure_site_tree()


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, *groups, **extra):
        user = django_user_model.objects.create_user(
            username=username, password="pw", email=f"{username}@example.org", **extra
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    return make
