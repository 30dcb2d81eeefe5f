"""Media storage whose image addresses cannot be guessed.

Images are served straight from ``media/`` by the web server (documents go
through Wagtail's view, which keeps embargoed ones private). A lead image
uploaded for an embargoed release must not be found before the lift by
guessing its file name from the release's subject: each original image gets a
random part in its name, and Wagtail names its renditions after the original.
"""

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage

IMAGE_FOLDER = "original_images/"


class UnguessableImageStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        if name.startswith(IMAGE_FOLDER):
            root, extension = posixpath.splitext(name)
            name = f"{root}.{secrets.token_hex(8)}{extension}"
        return super().get_available_name(name, max_length=max_length)
