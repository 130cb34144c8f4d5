"""A handful of demo petitions (phản ánh, kiến nghị) so the board shows R-IDX-02/03 with real
numbers: answered early and late, not satisfied, forwarded, open in time, open and overdue with
a complaint. Made with the real actions by the demo personas; the clock of ``actions`` is set
back for the older ones, so every timestamp of the trail agrees with the petition.

Synthetic people only. Idempotent: nothing is added once any petition exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from motcua.accounts.models import User
from motcua.agencies.models import Unit, UnitKind
from motcua.core.clock import local_now
from motcua.petitions import actions
from motcua.petitions.models import Petition
from motcua.petitions.tokens import make_token


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    with mock.patch.object(actions, "now", return_value=moment):
        yield


def _file(unit: Unit, subject: str, content: str, name: str, phone: str) -> Petition:
    return actions.do_file_petition(
        actions.PetitionContent(
            unit=unit, kind="phan_anh", subject=subject, content=content, name=name, phone=phone
        )
    )


def seed_demo_petitions() -> int:
    if Petition.objects.exists():
        return 0
    specialist = User.objects.get(username="chuyenvien.ninhkieu")
    pc_a = Unit.objects.get(kind=UnitKind.COMMUNE_PC, commune__name="Phường Ninh Kiều")
    pc_b = Unit.objects.get(kind=UnitKind.COMMUNE_PC, commune__name="Phường Cái Khế")
    today = local_now().replace(hour=9, minute=0, second=0, microsecond=0)
    # Keep the history inside the current quarter (the board's default period) when possible.
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)

    def ago(days: int) -> datetime:
        return max(today - timedelta(days=days), quarter_start)

    made: list[Petition] = []
    with _at(ago(24)):
        late = _file(
            pc_a,
            "Chậm trả kết quả đăng ký khai sinh",
            "Hồ sơ đăng ký khai sinh của con tôi đã quá ngày hẹn nhưng chưa nhận được kết quả.",
            "Nguyễn Văn Phúc",
            "0901000001",
        )
        overdue = _file(
            pc_a,
            "Không được hướng dẫn đầy đủ",
            "Công chức không hướng dẫn đầy đủ thành phần hồ sơ, tôi phải đi lại ba lần.",
            "Trần Thị Mai",
            "0901000002",
        )
        made += [late, overdue]
    with _at(ago(6)):
        quick = _file(
            pc_a,
            "Đề nghị bố trí thêm ghế chờ",
            "Khu vực chờ của bộ phận một cửa thiếu ghế ngồi vào buổi sáng thứ Hai.",
            "Lê Minh Khoa",
            "0901000003",
        )
        forwarded = _file(
            pc_a,
            "Phản ánh về cấp giấy phép xây dựng",
            "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ giải quyết chậm tại Sở Xây dựng.",
            "Phạm Thu Hạnh",
            "0901000004",
        )
        made += [quick, forwarded]
    with _at(ago(5)):
        actions.do_accept_petition(quick, acting_user=specialist)
        actions.do_answer_petition(
            quick,
            answer="Bộ phận một cửa đã bổ sung 10 ghế chờ từ ngày hôm nay. Cảm ơn ông đã góp ý.",
            acting_user=specialist,
        )
        actions.do_record_response(quick, satisfied=True, token=make_token(quick.pk))
        actions.do_mark_not_competent(
            forwarded,
            reason="Thủ tục cấp giấy phép xây dựng thuộc thẩm quyền của Sở Xây dựng",
            forwarded_to="Sở Xây dựng",
            acting_user=specialist,
        )
    with _at(ago(1)):
        if actions.late_complaint_allowed(overdue, ago(1).date()):
            actions.do_complain_late(overdue, token=make_token(overdue.pk))
        actions.do_answer_petition(
            late,
            answer="Hồ sơ đã có kết quả, mời bà đến Trung tâm Phục vụ hành chính công phường "
            "để nhận. Chúng tôi xin lỗi vì sự chậm trễ.",
            acting_user=specialist,
        )
        actions.do_record_response(late, satisfied=False, token=make_token(late.pk))
    made.append(
        _file(
            pc_a,
            "Đề nghị niêm yết lệ phí rõ hơn",
            "Bảng niêm yết lệ phí tại quầy chữ nhỏ, khó đọc; đề nghị in to và rõ hơn.",
            "Võ Ngọc Lan",
            "0901000005",
        )
    )
    made.append(
        _file(
            pc_b,
            "Thời gian chờ lâu",
            "Buổi sáng phải chờ hơn một giờ mới đến lượt nộp hồ sơ tại phường.",
            "Đỗ Hữu Nam",
            "0901000006",
        )
    )
    return len(made)
