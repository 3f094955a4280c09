"""The one "edited concurrently" error every service raises.

A form or an API call carries the version (or revision) of what the editor read; a service that
finds another one stored raises :class:`ConcurrentEditError` and writes nothing. Pages show its
message (already a sentence for the reader where the service writes one) and the API answers 409.
"""


class ConcurrentEditError(Exception):
    """Someone else saved the thing between the editor's read and this write; nothing was written.

    ``conflicts`` lists each item concerned where a write covers several (the values of
    :func:`~mieval.collection.services.values_save`); ``latest`` is what is stored now where a
    page offers it (the newer version of an index framework).
    """

    def __init__(self, message: str, conflicts: tuple = (), *, latest=None):
        super().__init__(message)
        self.message = message
        self.conflicts = conflicts
        self.latest = latest
