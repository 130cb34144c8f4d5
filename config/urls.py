from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api
from motcua.web import views as web_views

admin.site.site_header = "Motcua — quản trị"
admin.site.site_title = "Motcua"

handler400 = "motcua.web.errors.bad_request"
handler403 = "motcua.web.errors.permission_denied"
handler404 = "motcua.web.errors.page_not_found"
handler500 = "motcua.web.errors.server_error"

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("motcua.accounts.urls")),
    path("after-login/", web_views.after_login, name="after-login"),
    path("desk/", include("motcua.desk.urls")),
    path("ioc/", include("motcua.ioc.urls")),
    path("trao-doi/", include("motcua.exchange.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("danh-gia/", include("motcua.feedback.urls")),
    path("chi-so/", include("motcua.insights.urls")),
    path("xac-minh/", include("motcua.documents.urls")),
    path("tro-ly/", include("motcua.assistant.urls")),
    path("du-lieu-mo/", include("motcua.opendata.urls")),
    path("opendata/", include("motcua.opendata.standard_urls")),
    path("open311/v2/", include("motcua.petitions.open311.urls")),
    path("", include("motcua.portal.urls")),
]
