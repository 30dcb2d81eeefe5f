"""Two newsrooms for the press area's tests: the CHU's (the default site)
and FILSLAN's at ``filslan.test``, with one user per role in each."""

from tests.test_newsrooms import crew, other  # noqa: F401 (fixtures)
