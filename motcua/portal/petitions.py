"""Citizens' feedback and petitions (phản ánh, kiến nghị): the form, the confirmation with the
reference code, the public lookup (code + last four digits of the phone), the signed response
link, and a logged-in citizen's own petitions. Thin views over ``petitions.actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.agencies.selectors import in_reading_order, unit_of_address
from motcua.core import idempotency, limits
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError, ValidationFailed
from motcua.petitions import selectors
from motcua.petitions.actions import (
    PetitionContent,
    do_complain_late,
    do_record_response,
    late_complaint_allowed,
)
from motcua.petitions.intake import do_file_petition_with_photos
from motcua.petitions.models import Petition, PetitionKind, PetitionResponse, PetitionState
from motcua.petitions.open311.board import DEFAULT_CENTRE, tile_url
from motcua.petitions.tokens import BadToken, make_token, read_token
from motcua.portal.models import VneidIdentity

WINDOW_SECONDS = 15 * 60
FILED_KEY = "petitions_filed"  # the codes this browser filed: their confirmation pages
STATE_VI = {
    PetitionState.RECEIVED: "Đã tiếp nhận, chờ xử lý",
    PetitionState.IN_PROGRESS: "Đang xử lý",
    PetitionState.ANSWERED: "Đã trả lời",
    PetitionState.NOT_COMPETENT: "Không thuộc thẩm quyền của đơn vị, đã hướng dẫn hoặc chuyển",
}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos (or, with ``accept``, PDF files) in one input (issue #18); checked and
    cleaned by ``petitions.intake``."""

    def __init__(self, accept: str = "image/jpeg,image/png", **kwargs: Any) -> None:
        attrs = {"accept": accept}
        if accept.startswith("image/"):
            attrs["capture"] = "environment"  # a phone opens its camera
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PetitionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Bạn muốn gửi"),
        choices=PetitionKind.choices,
        widget=forms.RadioSelect,
        initial=PetitionKind.FEEDBACK,
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị được phản ánh, kiến nghị"),
        required=False,  # the competent unit of the dossier when a dossier code is given
        widget=forms.Select(attrs={"data-searchable": "1"}),  # web/choices.js (issue #14 item 4)
    )
    dossier_code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ liên quan (nếu có, in trên Giấy tiếp nhận)"),
        required=False,
        max_length=60,
    )
    subject = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động (để nhận trả lời và tra cứu)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử (không bắt buộc)"),
        required=False,
        error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử chưa đúng.")},
    )
    # Issue #18: the place and photos (both optional).
    address = forms.CharField(
        label=gettext_lazy("Địa điểm (số nhà, đường, xã/phường — không bắt buộc)"),
        max_length=255,
        required=False,
    )
    photos = PhotosField(
        label=gettext_lazy("Ảnh chụp (tối đa 3 ảnh, không bắt buộc)"), required=False
    )
    documents = PhotosField(
        accept="application/pdf",
        label=gettext_lazy("Tệp PDF kèm theo (văn bản, giấy tờ; tối đa 3 tệp, không bắt buộc)"),
        required=False,
    )
    # Set by tapping the map (petitions/pick.js) where a tile source is configured.
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=10,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Vị trí trên bản đồ chưa đủ; hãy chọn lại trên bản đồ."))
        return data

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", _("— Chọn cơ quan, đơn vị —")), *units]
        for field in self.fields.values():
            field.error_messages["required"] = _("Hãy điền thông tin này.")


def _units() -> dict[str, Any]:
    """The units, provincial first then in Vietnamese alphabetical order (issue #14 item 4)."""
    units = selectors.petition_units(settings.MOTCUA_PROVINCE_CODE).select_related("commune")
    return {str(u.pk): u for u in in_reading_order(units, by_kind=True)}


def _form_context(form: PetitionForm, key: str) -> dict[str, Any]:
    """The form, and the map to pick the place on where a tile source is configured (issue
    #18); without it (or without JavaScript) the address alone says where."""
    return {"form": form, "tile_url": tile_url(), "centre": DEFAULT_CENTRE, "key": key}


@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest) -> HttpResponse:
    units = _units()
    choices = [(k, u.name) for k, u in units.items()]
    user = request.user if isinstance(request.user, User) else None
    if request.method != "POST":
        initial = {"dossier_code": request.GET.get("ho-so", "")[:60]}
        if user is not None and not user.is_officer:
            initial.update(name=user.full_name, phone=user.phone, email=user.email)
            # The unit of the citizen's own commune, named in their VNeID address, preselected.
            identity = VneidIdentity.objects.filter(user=user).first()
            home = unit_of_address(units.values(), identity.address) if identity else None
            if home is not None:
                initial["unit"] = str(home.pk)
        form = PetitionForm(units=choices, initial=initial)
        return render(
            request, "portal/petitions/form.html", _form_context(form, idempotency.new_key())
        )
    form = PetitionForm(request.POST, request.FILES, units=choices)
    # One key per showing of the form (issue #12): a double click or a browser's resend files
    # one petition and lands on its confirmation again. Kept across a failed attempt (nothing
    # was filed under it).
    posted_key = request.POST.get(idempotency.FORM_FIELD, "")
    key = posted_key or idempotency.new_key()
    if form.is_valid():
        data = form.cleaned_data
        citizen = user if user is not None and not user.is_officer else None
        photos = [(f.name or "", f.read()) for f in data["photos"]]
        documents = [(f.name or "", f.read()) for f in data["documents"]]
        try:
            petition, _replayed = idempotency.once(
                actor=f"user:{citizen.pk}" if citizen is not None else "anonymous",
                scope="portal.petition",
                key=posted_key or None,
                body={
                    "post": {
                        k: request.POST.getlist(k)
                        for k in sorted(request.POST)
                        if k not in ("csrfmiddlewaretoken", idempotency.FORM_FIELD)
                    },
                    "photos": [(name, len(content)) for name, content in photos],
                    "documents": [(name, len(content)) for name, content in documents],
                },
                create=lambda: do_file_petition_with_photos(
                    PetitionContent(
                        unit=units.get(data["unit"] or ""),
                        kind=data["kind"],
                        subject=data["subject"],
                        content=data["content"],
                        name=data["name"],
                        phone=data["phone"],
                        email=data["email"] or "",
                        dossier_code=data["dossier_code"],
                        latitude=data.get("latitude"),
                        longitude=data.get("longitude"),
                        address=data["address"],
                    ),
                    photos=photos,
                    documents=documents,
                    acting_user=citizen,
                ),
                object_id=lambda filed: filed.pk,
                replay=lambda pk: Petition.objects.get(pk=pk),
            )
        except idempotency.KeyReused as exc:
            form.add_error(None, exc.message)
        except ValidationFailed as exc:
            form.add_error(exc.details.get("field") or None, exc.message)
        except MotcuaError as exc:
            form.add_error(None, exc.message)
        else:
            earlier = [c for c in request.session.get(FILED_KEY, []) if c != petition.code]
            filed = [*earlier[-9:], petition.code]
            request.session[FILED_KEY] = filed
            return redirect("portal:petition_done", code=petition.code)
    return render(request, "portal/petitions/form.html", _form_context(form, key), status=422)


def petition_done(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation: only for the browser that filed it (the code alone shows nothing)."""
    if code not in request.session.get(FILED_KEY, []):
        raise Http404
    petition = Petition.objects.select_related("unit").filter(code=code).first()
    if petition is None:
        raise Http404
    return render(request, "portal/petitions/done.html", {"petition": petition})


def _detail_context(petition: Petition) -> dict[str, Any]:
    return {
        "petition": petition,
        "state_label": STATE_VI[PetitionState(petition.state)],
        "can_respond": petition.state == PetitionState.ANSWERED
        and petition.response == PetitionResponse.NONE,
        "can_complain": late_complaint_allowed(petition, local_today()),
        "response_label": PetitionResponse(petition.response).label,
    }


@require_http_methods(["GET", "POST"])
def petition_lookup(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("ma") or request.GET.get("ma") or "").strip().upper()[:24]
    digits = (request.POST.get("so") or "").strip()[-4:]
    context: dict[str, Any] = {"code": code}
    if request.method != "POST":
        return render(request, "portal/petitions/lookup.html", context)
    if not limits.take(
        "pakn-lookup",
        request,
        limit=settings.MOTCUA_TRACKING_ATTEMPTS,
        window_seconds=WINDOW_SECONDS,
    ):
        context["error"] = _("Bạn đã tra cứu sai quá nhiều lần. Hãy thử lại sau 15 phút.")
        return render(request, "portal/petitions/lookup.html", context, status=429)
    petition = selectors.lookup(code, digits)
    if petition is None:
        context["error"] = _(
            "Không tìm thấy phản ánh, kiến nghị với mã và 4 số cuối điện thoại này. Hãy kiểm "
            "tra lại."
        )
        return render(request, "portal/petitions/lookup.html", context, status=404)
    limits.give_back("pakn-lookup", request, window_seconds=WINDOW_SECONDS)
    context.update(_detail_context(petition))
    # Who proved the phone digits may respond, like the holder of the signed link.
    context["token"] = make_token(petition.pk)
    return render(request, "portal/petitions/lookup.html", context)


def _act(
    request: HttpRequest, petition: Petition, *, user: User | None, token: str
) -> tuple[str, str]:
    """Apply the petitioner's POST; (message, error)."""
    what = request.POST.get("y-kien", "")
    comment = request.POST.get("gop-y", "")[:1000]
    try:
        if what in ("hai-long", "khong-hai-long"):
            do_record_response(
                petition,
                satisfied=what == "hai-long",
                comment=comment,
                acting_user=user,
                token=token,
            )
            return _("Cảm ơn bạn đã cho ý kiến về kết quả xử lý."), ""
        if what == "cham":
            do_complain_late(petition, comment=comment, acting_user=user, token=token)
            return _("Đã ghi nhận khiếu nại của bạn về việc xử lý chậm."), ""
    except MotcuaError as exc:
        return "", exc.message
    return "", _("Hãy chọn hài lòng hoặc không hài lòng.")


@require_http_methods(["GET", "POST"])
def petition_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link sent with the answer: see it and respond without logging in."""
    try:
        petition = Petition.objects.select_related("unit").filter(pk=read_token(token)).first()
    except BadToken:
        petition = None
    if petition is None:
        return render(
            request,
            "portal/petitions/detail.html",
            {"error": _("Đường dẫn không hợp lệ hoặc đã hết hạn.")},
            status=404,
        )
    message = error = ""
    if request.method == "POST":
        message, error = _act(request, petition, user=None, token=token)
        petition.refresh_from_db()
    context = {**_detail_context(petition), "message": message, "error": error, "token": token}
    return render(request, "portal/petitions/detail.html", context, status=409 if error else 200)


def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect(f"/dang-nhap/?next={request.path}")
    rows = selectors.of_citizen(user).order_by("-received_at")[:100]
    return render(request, "portal/petitions/mine.html", {"rows": rows, "state_vi": STATE_VI})


@require_http_methods(["GET", "POST"])
def mine_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect(f"/dang-nhap/?next={request.path}")
    petition = selectors.of_citizen(user).filter(code=code).first()
    if petition is None:
        raise Http404
    message = error = ""
    if request.method == "POST":
        message, error = _act(request, petition, user=user, token="")
        petition.refresh_from_db()
    context = {**_detail_context(petition), "message": message, "error": error}
    return render(request, "portal/petitions/detail.html", context, status=409 if error else 200)
