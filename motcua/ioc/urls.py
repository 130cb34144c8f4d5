from __future__ import annotations

from django.urls import path

from motcua.ioc import views

app_name = "ioc"
urlpatterns = [
    path("", views.board, name="board"),
]
