from __future__ import annotations

from django.urls import path

from motcua.desk import calendar, views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<uuid:unit_id>/", views.unit_detail, name="unit"),
    path("calendar/", calendar.calendar_year, name="calendar"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar-year"),
]
