from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from mieval.accounts.permissions import can_manage
from mieval.jobs.models import Job
from mieval.jobs.services import job_is_stale
from mieval.lib.pages import page_layout


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    # Another user's job is not found: its existence is nobody else's business.
    if not (can_manage(request.user) or job.created_by_id == request.user.pk):
        raise Http404
    result_url = (job.result or {}).get("url") if job.state == Job.State.DONE else None
    return render(
        request,
        "jobs/job_detail.html",
        {
            "layout": page_layout(request),
            "job": job,
            "result_url": result_url,
            "stale": job_is_stale(job),
        },
    )
