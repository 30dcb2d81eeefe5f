// Replaces wagtail-modeltranslation's script of the same name (the project's
// static files come first): it adds "Copy content from: fr en" buttons for
// copying StreamFields between languages to every nested panel whose name ends
// like a language code. The newsroom has no StreamField, and the buttons would
// land on contacts and attachments, where they make no sense.
