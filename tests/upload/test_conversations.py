"""The conversations kind: a support conversation export (one row per message) whose threads become tickets with
first-response and resolution times, validated and written within the user's stores; and its quick analysis.
Files written here in a help desk's documented layout (conversation id or in-reply-to, author, time)."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import schema
from data_access.ingest import service
from data_access.ingest.analysis import analyse
from data_access.ingest.detect import detect
from data_access.ingest.errors import IngestError
from data_access.ingest.read import read_file
from tests.conftest import BACKENDS

# Chinese export with role words: C1 answered after 30 minutes and closed by the agent; C2 never answered.
ROLES = ("会话ID,发送方,发送时间,消息内容,店铺\n"
         "C1,买家,2025-05-01 09:00:00,请问什么时候发货,S1\n"
         "C1,客服,2025-05-01 09:30:00,今天下午发货,S1\n"
         "C1,买家,2025-05-01 09:40:00,好的,S1\n"
         "C1,客服,2025-05-01 10:00:00,不客气,S1\n"
         "C2,买家,2025-05-02 12:00:00,在吗,S1\n")
# Reply chains without a conversation id, authors by name: the first author of a thread is its customer.
CHAINS = ("message_id,in_reply_to,author,sent_at,body\n"
          "m1,,ann@example.com,2025-05-03 08:00,Where is my parcel?\n"
          "m2,m1,Bo (support),2025-05-03 10:00,On its way.\n"
          "m3,m2,ann@example.com,2025-05-03 11:00,Thanks\n"
          "m4,,cy@example.com,2025-05-04 09:00,Refund?\n")


@pytest.fixture(params=BACKENDS)
def engine(request, fresh_engine):
    return fresh_engine(request.param)


def _tickets(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.tickets).order_by(schema.tickets.c.ticket_id)).all()
    return pd.DataFrame(rows, columns=[c.name for c in schema.tickets.columns])


def test_threads_become_tickets_with_response_and_resolution_times(engine):
    outcome = service.ingest(engine, ROLES.encode("gbk"), "会话记录.csv", username="ana")
    assert outcome.prepared.kind == "conversations" and outcome.prepared.validation.ok
    tickets = _tickets(engine)
    assert tickets["ticket_id"].tolist() == ["C1", "C2"] and set(tickets["store_id"]) == {"S1"}
    first = tickets.iloc[0]
    assert (first["first_response_at"] - first["created_at"]) == pd.Timedelta(minutes=30)
    assert (first["resolved_at"] - first["created_at"]) == pd.Timedelta(hours=1) and first["status"] == "resolved"
    assert pd.isna(tickets.iloc[1]["first_response_at"]) and tickets.iloc[1]["status"] == "open"
    assert not service.ingest(engine, ROLES.encode("gbk"), "会话记录.csv", username="ana").result.changed


def test_reply_chains_without_roles_make_threads_and_the_analysis_agrees():
    raw = read_file(CHAINS.encode(), "messages.csv")
    found = detect(raw)
    assert found.kind == "conversations"
    analysis = analyse(raw, found.kind, found.mapping)
    assert analysis.metrics["tickets"] == 2 and analysis.metrics["messages"] == 4
    assert analysis.metrics["first_response_time"] == pytest.approx(2.0)  # m1 08:00 -> m2 10:00
    prepared = service.prepare(None, CHAINS.encode(), "messages.csv", constants={"store_id": "S1"})
    tickets = prepared.validation.tables["tickets"].set_index("ticket_id")
    assert list(tickets.index) == ["m1", "m4"] and tickets.loc["m1", "customer_id"] == "ann@example.com"
    # The customer had the last word on m1: answered, not resolved.
    assert tickets.loc["m1", "status"] == "open" and pd.isna(tickets.loc["m4", "first_response_at"])


def test_a_scoped_user_cannot_write_another_stores_conversations(engine):
    service.ingest(engine, ROLES.encode("gbk"), "会话记录.csv", username="admin")
    moved = ROLES.replace(",S1\n", ",S2\n")
    with pytest.raises(IngestError):
        service.ingest(engine, moved.encode("gbk"), "会话记录.csv", username="lily", stores=("S2",),
                       role="manager")
    assert set(_tickets(engine)["store_id"]) == {"S1"}
