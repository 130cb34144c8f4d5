"""Pages of the payments app (mounted at /thanh-toan/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.payments import views

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("thong-bao/", views.callback, name="callback"),
    path("ho-so/<uuid:dossier_id>/", views.create_for_dossier, name="create"),
    path("<uuid:order_id>/", views.order_page, name="order"),
    path("<uuid:order_id>/cong-thanh-toan/", views.start_online, name="start-online"),
    path("<uuid:order_id>/ket-qua/", views.return_page, name="return"),
    path("<uuid:order_id>/vietqr.png", views.vietqr_png, name="vietqr"),
    path("<uuid:order_id>/bien-lai.pdf", views.receipt_pdf, name="receipt"),
]
