"""Support conversation exports (one row per message: thread or in-reply-to, author, time) as tickets: one ticket
per thread, opened at its first message, first response = the first message of another author (an agent) after
the customer's, resolved at the last agent message when the agent had the last word.

Who is the customer: an author column with role words (customer, buyer, 买家, agent, 客服, ...) says so; with
names instead, the author of a thread's first message is its customer and every other author answers."""

from __future__ import annotations

import pandas as pd

_AGENT_WORDS = ("agent", "staff", "support", "admin", "seller", "operator", "bot", "assistant", "service", "客服",
                "商家", "卖家", "店小二", "客服人员", "机器人")
_CUSTOMER_WORDS = ("customer", "buyer", "user", "client", "requester", "end-user", "end user", "consumer", "买家",
                   "顾客", "客户", "用户", "消费者")
#: Replies followed up a chain of at most this many messages (a longer chain is cut there).
_MAX_DEPTH = 64


def thread_ids(message_id: pd.Series, in_reply_to: pd.Series) -> pd.Series:
    """The first message of each message's reply chain (its thread), following in_reply_to; a message that
    replies to nothing known is its own thread."""
    parents = pd.Series(in_reply_to.to_numpy(), index=message_id.to_numpy())
    parents = parents[~parents.index.duplicated(keep="first") & parents.index.notna()].dropna()
    root = message_id.copy()
    for _ in range(_MAX_DEPTH):
        up = root.map(parents)
        known = up.notna() & up.isin(parents.index.union(message_id.dropna()))
        if not known.any():
            break
        root = root.where(~known, up)
    return root


def agent_messages(thread: pd.Series, author: pd.Series) -> pd.Series:
    """Whether each message (in time order within its thread) is an agent's."""
    words = author.astype("str").str.strip().str.lower()
    agent = words.isin(_AGENT_WORDS)
    customer = words.isin(_CUSTOMER_WORDS)
    if (agent | customer).mean() >= 0.8:
        return agent.astype(bool)
    first_author = author.groupby(thread.to_numpy()).transform("first")
    return (author != first_author).fillna(False).astype(bool)


def tickets_from_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """messages (thread, at, author; optional customer_id, store_id, channel) -> one row per thread:
    ticket_id, created_at, first_response_at, resolved_at, status (resolved/open), customer_id, store_id,
    channel, messages. Rows without a thread or a time are left out."""
    frame = messages.dropna(subset=["thread", "at"]).sort_values(["thread", "at"], kind="stable")
    frame = frame.assign(agent=agent_messages(frame["thread"], frame["author"]).to_numpy())
    grouped = frame.groupby("thread", sort=False)
    opened = grouped["at"].min()
    customer_at = frame[~frame["agent"]].groupby("thread")["at"].min().reindex(opened.index).fillna(opened)
    replies = frame[frame["agent"]]
    answered = replies["at"].to_numpy() >= customer_at.reindex(replies["thread"]).to_numpy()
    first_response = replies[answered].groupby("thread")["at"].min()
    last_agent = frame["agent"].groupby(frame["thread"]).last()
    last_at = grouped["at"].max()
    resolved = last_at.where(last_agent.reindex(last_at.index).fillna(False).astype(bool))
    out = pd.DataFrame({"ticket_id": opened.index.astype("str"), "created_at": opened.to_numpy(),
                        "first_response_at": first_response.reindex(opened.index).to_numpy(),
                        "resolved_at": resolved.to_numpy(),
                        "messages": grouped.size().reindex(opened.index).to_numpy()})
    out["status"] = out["resolved_at"].notna().map({True: "resolved", False: "open"})
    customers = frame[~frame["agent"]].groupby("thread")["author"].first()
    out["customer_id"] = (grouped["customer_id"].first() if "customer_id" in frame else customers).reindex(
        opened.index).to_numpy()
    for name in ("store_id", "channel"):
        if name in frame:
            out[name] = grouped[name].first().reindex(opened.index).to_numpy()
    return out.reset_index(drop=True)
