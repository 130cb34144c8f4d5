"""The only writers of dossiers. Each action is one transaction, appends one event per state
change, and writes its outbox rows in the same transaction (DESIGN §4, STYLE "Transactions")."""

from __future__ import annotations

from motcua.dossiers.actions.closing import (
    do_extend_deadline,
    do_return_result,
    do_stop_dossier,
    do_withdraw_dossier,
)
from motcua.dossiers.actions.digitize import do_digitize_component
from motcua.dossiers.actions.processing import (
    do_answer_consultation,
    do_approve_dossier,
    do_assign_dossier,
    do_forward_dossier,
    do_record_interagency_result,
    do_record_payment,
    do_refuse_after_appraisal,
    do_request_consultation,
    do_request_payment,
    do_send_back,
    do_send_interagency,
    do_submit_for_approval,
    write_recorded_payment,
)
from motcua.dossiers.actions.receive import (
    Receipt,
    do_create_dossier,
    do_provide_supplement,
    do_receive_dossier,
    do_refuse_at_receipt,
    do_register_and_receive,
    do_request_supplement,
    write_created_dossier,
)
from motcua.dossiers.filing import Applicant, ComponentInput, Filing

__all__ = [
    "Applicant",
    "ComponentInput",
    "Filing",
    "Receipt",
    "do_answer_consultation",
    "do_approve_dossier",
    "do_assign_dossier",
    "do_create_dossier",
    "do_digitize_component",
    "do_extend_deadline",
    "do_forward_dossier",
    "do_provide_supplement",
    "do_receive_dossier",
    "do_record_interagency_result",
    "do_record_payment",
    "do_refuse_after_appraisal",
    "do_refuse_at_receipt",
    "do_register_and_receive",
    "do_request_consultation",
    "do_request_payment",
    "do_request_supplement",
    "do_return_result",
    "do_send_back",
    "do_send_interagency",
    "do_stop_dossier",
    "do_submit_for_approval",
    "do_withdraw_dossier",
    "write_created_dossier",
    "write_recorded_payment",
]
