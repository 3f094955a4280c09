"""JSON stored as people write it."""

from django.core.serializers.json import DjangoJSONEncoder


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Keeps Chinese as Chinese in stored JSON (``ensure_ascii=False``).

    SQLite keeps a JSONField as the text ``json.dumps`` makes, which escapes every non-ASCII
    character by default ("\\u65b0"), so that a search of the text (``icontains``) never finds
    Chinese; PostgreSQL's jsonb is unaffected either way.
    """

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
