"""Pages of the exchange app (operators)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from motcua.exchange import views

app_name = "exchange"
urlpatterns: list[URLPattern | URLResolver] = [
    path("thu-loi/", views.dead_letter_list, name="dead-letters"),
    path("thu-loi/<int:message_id>/gui-lai/", views.dead_letter_replay, name="replay"),
    path("nhat-ky-truy-cap.csv", views.access_log_export, name="access-log-export"),
]
