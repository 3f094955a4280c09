"""Middleware of the site: one log line per request; refuse a request body larger than any
upload may be.

Django bounds the non-file part of a request (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not the
files: without this, a 10 GB upload is spooled to disk before any form can look at its size.
The check runs before anything reads the body (CSRF middleware reads a POST), on the declared
``Content-Length``; a WSGI server passes no more than that to Django.
"""

import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mieval.core.limits import size_text, sizes_text


def request_size_limit(get_response):
    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            units = {"megabytes": _("MB"), "bytes_": _("bytes")}
            message = _(
                "The request is %(size)s; at most %(limit)s can be sent at once (an evidence "
                "file may be at most %(evidence)s)."
            ) % {
                "size": sizes_text(length, limit, **units)[0],
                "limit": sizes_text(length, limit, **units)[1],
                "evidence": size_text(settings.EVIDENCE_MAX_BYTES, **units),
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return get_response(request)

    return middleware


request_logger = logging.getLogger("mieval.requests")


def request_log(get_response):
    """``GET /campaigns/ 200 12.3 ms user=alice``: what an operator greps for, one line a
    request, the duration measured around everything below this middleware."""

    def middleware(request):
        if not settings.REQUEST_LOG:
            return get_response(request)
        started = time.perf_counter()
        response = get_response(request)
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        request_logger.info(
            "%s %s %s %.1f ms user=%s",
            request.method,
            request.get_full_path()[:500],
            response.status_code,
            (time.perf_counter() - started) * 1000,
            name,
        )
        return response

    return middleware
