from __future__ import annotations

from django.urls import path

from motcua.petitions.files import answer_file, petition_photo
from motcua.petitions.open311.board import report_list
from motcua.portal import (
    access_log,
    apply,
    auth,
    catalogue,
    mine,
    notifications,
    petitions,
    store,
    tracking,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", tracking.track, name="track"),
    path("thu-tuc/", catalogue.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", catalogue.procedure_page, name="procedure"),
    path(
        "thu-tuc/<str:code>/danh-muc.pdf", catalogue.procedure_checklist_pdf, name="procedure_pdf"
    ),
    path(
        "thu-tuc/<str:code>/phien-ban-<int:version>/mau-<int:order>.pdf",
        catalogue.procedure_form_pdf,
        name="procedure_form",
    ),
    # Citizens (issue #6): VNeID login, online application, "my dossiers".
    path("dang-nhap/", auth.login_page, name="login"),
    path("auth/vneid/login", auth.vneid_start, name="vneid_start"),
    path("auth/vneid/callback", auth.vneid_callback, name="vneid_callback"),
    path("auth/vneid/logout", auth.vneid_logout, name="vneid_logout"),
    path("auth/vneid/da-dang-xuat/", auth.logged_out, name="logged_out"),
    path("nop-ho-so/<str:code>/", apply.start, name="apply"),
    path("ho-so-nhap/<uuid:draft_id>/", apply.edit_draft, name="draft"),
    path("ho-so-nhap/<uuid:draft_id>/xoa/", apply.delete_draft, name="draft_delete"),
    path("ho-so-cua-toi/", mine.dossier_list, name="mine"),
    path("ho-so-cua-toi/<uuid:dossier_id>/", mine.dossier_detail, name="mine_detail"),
    path("ho-so-cua-toi/<uuid:dossier_id>/da-nop/", mine.submitted, name="submitted"),
    path("thong-bao/", notifications.notification_list, name="notifications"),
    path("thong-bao/da-doc/", notifications.mark_read, name="notifications_read"),
    path("tro-giup/", views.help_page, name="help"),
    path("ho-so-cua-toi/<uuid:dossier_id>/ket-qua.pdf", mine.result_pdf, name="mine_result"),
    path(
        "ho-so-cua-toi/<uuid:dossier_id>/giay-to/<int:component_id>/",
        mine.component_file,
        name="mine_file",
    ),
    path("kho-du-lieu/", store.store_page, name="store"),
    path("kho-du-lieu/<str:key>/tai-ve/", store.store_download, name="store_download"),
    path("ai-da-tra-cuu-du-lieu-cua-toi/", access_log.access_log, name="access_log"),
    # Feedback and petitions (phản ánh, kiến nghị; R-IDX-02/03).
    path("phan-anh-kien-nghi/", petitions.petition_new, name="petition_new"),
    path("phan-anh-kien-nghi/da-gui/<str:code>/", petitions.petition_done, name="petition_done"),
    path("phan-anh-kien-nghi/tra-cuu/", petitions.petition_lookup, name="petition_lookup"),
    path("phan-anh-kien-nghi/y-kien/<str:token>/", petitions.petition_link, name="petition_link"),
    path("phan-anh-kien-nghi/cua-toi/", petitions.mine, name="petitions_mine"),
    path("phan-anh-kien-nghi/cua-toi/<str:code>/", petitions.mine_detail, name="petition_mine"),
    # Issue #18: a file of the answer (the unit, the petitioner's account or signed link).
    path("phan-anh-kien-nghi/tep/<int:file_id>/", answer_file, name="petition_answer_file"),
    path("phan-anh-kien-nghi/anh/<int:photo_id>/", petition_photo, name="petition_photo"),
    path("phan-anh-kien-nghi/cong-khai/", report_list, name="petition_public"),
]
