"""Public verification of signed documents (the QR printed on every result and receipt).

Anyone holding the document may check it: the page shows its status, title, issuing unit,
signing time and SHA-256, never the person's data, and accepts an uploaded PDF to compare.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core.errors import NotFound
from motcua.documents import ca
from motcua.documents.selectors import check_upload, document_by_token

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 20 MB).")
        return upload


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        document = document_by_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    check = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        check = check_upload(document, form.cleaned_data["file"].read())
    return render(
        request,
        "documents/verify.html",
        {"document": document, "form": form, "check": check},
    )


def root_certificate(request: HttpRequest) -> HttpResponse:
    """The demo root certificate, to add as a trust anchor in a PDF reader."""
    response = HttpResponse(ca.root_certificate_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="motcua-demo-root-ca.pem"'
    return response
