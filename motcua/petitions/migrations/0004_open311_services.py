"""The first Open311 services: the two petition kinds of Decree 20/2008 as they are filed about
the handling of procedures and about regulations, and reports about the streets (lights,
flooding, roads, rubbish) that the commune handles. Data the provincial admin edits."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SERVICES = [
    {
        "code": "thu-tuc-hanh-chinh",
        "name": "Phản ánh về giải quyết thủ tục hành chính",
        "name_en": "Feedback on the handling of an administrative procedure",
        "description": "Chậm trễ, phiền hà, yêu cầu giấy tờ không đúng quy định khi giải quyết hồ sơ.",
        "group": "Thủ tục hành chính",
        "keywords": "hồ sơ, chậm, phiền hà",
        "kind": "phan_anh",
        "order": 10,
        "attributes": [
            {
                "code": "dossier_code",
                "datatype": "string",
                "required": False,
                "variable": True,
                "order": 1,
                "description": "Mã hồ sơ trên Giấy tiếp nhận (nếu có)",
                "datatype_description": "Ví dụ: 000.00.00.H10-250701-0001",
                "values": [],
            }
        ],
    },
    {
        "code": "quy-dinh-hanh-chinh",
        "name": "Kiến nghị về quy định hành chính",
        "name_en": "Proposal about an administrative regulation",
        "description": "Quy định không hợp lý, không khả thi, trái pháp luật hoặc cần sửa đổi.",
        "group": "Thủ tục hành chính",
        "keywords": "quy định, kiến nghị",
        "kind": "kien_nghi",
        "order": 20,
        "attributes": [],
    },
    {
        "code": "ha-tang-do-thi",
        "name": "Phản ánh hạ tầng, trật tự đô thị",
        "name_en": "Streets and public spaces",
        "description": "Đèn đường hỏng, ngập nước, đường hư hỏng, rác thải, lấn chiếm vỉa hè.",
        "group": "Đô thị",
        "keywords": "đèn đường, ngập, ổ gà, rác",
        "kind": "phan_anh",
        "order": 30,
        "attributes": [
            {
                "code": "loai_su_co",
                "datatype": "singlevaluelist",
                "required": False,
                "variable": True,
                "order": 1,
                "description": "Loại sự cố",
                "datatype_description": "",
                "values": [
                    {"key": "den_duong", "name": "Đèn đường hỏng"},
                    {"key": "ngap", "name": "Ngập nước"},
                    {"key": "duong_hu", "name": "Đường hư hỏng"},
                    {"key": "rac", "name": "Rác thải"},
                    {"key": "khac", "name": "Khác"},
                ],
            }
        ],
    },
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    service = apps.get_model("petitions", "Open311Service")
    for row in SERVICES:
        service.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0003_open311_places_photos")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
