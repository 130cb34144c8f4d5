from __future__ import annotations

from django.urls import path

from motcua.desk import calendar, documents, dossiers, petitions, viewer, views
from motcua.desk import filing as desk_filing
from motcua.desk import reuse as reuse_views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<uuid:unit_id>/", views.unit_detail, name="unit"),
    path("dossiers/", dossiers.dossier_list, name="dossiers"),
    path("dossiers/new/", dossiers.counter_new, name="counter-new"),
    path("dossiers/book.pdf", dossiers.tracking_book, name="tracking-book"),
    path("dossiers/<str:key>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<str:key>/forms/<str:number>.pdf", dossiers.dossier_form, name="dossier-form"),
    path("dossiers/<str:key>/result.pdf", dossiers.result_pdf, name="dossier-result"),
    path("dossiers/<str:key>/rating-qr.png", dossiers.rating_qr, name="dossier-rating-qr"),
    path(
        "dossiers/<str:key>/components/<int:component_id>/scan/",
        dossiers.digitize,
        name="dossier-digitize",
    ),
    path(
        "dossiers/<str:key>/components/<int:component_id>/view/",
        viewer.component_viewer,
        name="component-view",
    ),
    path(
        "dossiers/<str:key>/components/<int:component_id>/pages/<int:page>.png",
        viewer.component_page,
        name="component-page",
    ),
    path("dossiers/<str:key>/preview/", viewer.result_preview, name="result-preview"),
    path(
        "dossiers/<str:key>/preview/<int:page>.png",
        viewer.result_preview_page,
        name="result-preview-page",
    ),
    path("dossiers/<str:key>/assign/", dossiers.assign, name="dossier-assign"),
    path("dossiers/<str:key>/consult/", dossiers.consult, name="dossier-consult"),
    path(
        "consultations/<int:consultation_id>/answer/",
        dossiers.answer_consultation,
        name="consultation-answer",
    ),
    path("dossiers/<str:key>/act/<str:action>/", dossiers.dossier_act, name="dossier-act"),
    path(
        "dossiers/<str:key>/reuse/<int:component_id>/",
        reuse_views.fetch_component,
        name="dossier-reuse",
    ),
    path("petitions/", petitions.petition_list, name="petitions"),
    path("petitions/new/", petitions.petition_new, name="petition-new"),
    path("petitions/<str:code>/", petitions.petition_detail, name="petition"),
    path("petitions/<str:code>/act/<str:action>/", petitions.petition_act, name="petition-act"),
    # Issue #16: official documents (văn bản đi, đến)
    path("documents/", documents.document_list, name="documents"),
    path("documents/new/", documents.document_new, name="document-new"),
    path("documents/paper/", documents.document_paper, name="document-paper"),
    path("documents/files/", desk_filing.case_files, name="case-files"),
    path("documents/files/open/", desk_filing.case_file_open, name="case-file-open"),
    path(
        "documents/files/<uuid:case_file_id>/<str:action>/",
        desk_filing.case_file_act,
        name="case-file-act",
    ),
    path(
        "documents/registers/<str:kind>/<str:file_format>/",
        desk_filing.register_download,
        name="register",
    ),
    path("documents/<uuid:document_id>/", documents.document_detail, name="document"),
    path("documents/<uuid:document_id>/file.pdf", documents.document_file, name="document-file"),
    path(
        "documents/<uuid:document_id>/act/<str:action>/",
        documents.document_act,
        name="document-act",
    ),
    path("dossiers/<str:key>/documents/", documents.dossier_documents, name="dossier-documents"),
    path("calendar/", calendar.calendar_year, name="calendar"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar-year"),
]
