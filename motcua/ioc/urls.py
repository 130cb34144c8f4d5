from __future__ import annotations

from django.urls import path

from motcua.ioc import board, commune, reports, views

app_name = "ioc"
urlpatterns = [
    path("", board.overview, name="board"),
    path("don-vi-he-thong/", views.board, name="units"),  # the first board: territory and units
    path("tro-ly/", board.assistant_questions, name="assistant"),  # issue #15
    path("van-ban/", board.documents_on_time, name="documents"),  # issue #16 item 7
    path("chi-so/<slug:code>/ho-so/", board.indicator_dossiers, name="dossiers"),
    path("xa/<int:code>/", commune.commune, name="commune"),
    path(
        "xa/<int:code>/tieu-chi/<slug:criterion>/",
        commune.criterion_update,
        name="criterion_update",
    ),
    path("don-vi/<uuid:unit_id>/", commune.unit, name="unit"),
    path("bao-cao/", reports.report_list, name="reports"),
    path("bao-cao/<int:report_id>/tai-ve/", reports.report_download, name="report_download"),
]
