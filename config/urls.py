from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("vigie.core.urls")),
    path("comptes/", include("vigie.accounts.urls")),
    path("journal/", include("vigie.audit.urls")),
    path("territoires/", include("vigie.territories.urls")),
    path("organisations/", include("vigie.organisations.urls")),
    path("", include("vigie.plans.urls")),
    path("imports/", include("vigie.imports.urls")),
    path("financements/", include("vigie.funding.urls")),
    path("suivi-individualise/", include("vigie.casework.urls")),
    path("indicateurs/", include("vigie.indicators.urls")),
    path("statistiques/", include("vigie.statistics.urls")),
    path("gouvernance/", include("vigie.governance.urls")),
    path("avancement/", include("vigie.progress.urls")),
    path("bilans/", include("vigie.reviews.urls")),
    path("financements/instruction/", include("vigie.funding.instruction_urls")),
    path("vue-d-ensemble/", include("vigie.overview.urls")),
    path("api/", include("vigie.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
