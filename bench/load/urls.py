"""URLconf of the load benchmark only: the application's URLs plus a bare view that does nothing, the yardstick
of the run (the cost of a request through gunicorn, Django's middleware and the URL resolver)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as vigie_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/vide/", bare, name="bench_bare"), *vigie_urlpatterns]
