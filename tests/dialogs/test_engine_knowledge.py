"""Consultation answers from the real retrieval index over the shipped knowledge
base, and how the engine uses them (defect: wrong answers from one shared word)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from classifier.retrieval import Entry, KnowledgeIndex
from classifier.tokenize import tokenize
from dialogs.ports import KnowledgeAnswer
from tests.dialogs.chat import Chat
from tests.dialogs.fakes import FakePorts, shipped_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    entries = [
        Entry(str(e["id"]), str(e["question"]), str(e["answer"]), tuple(e["keywords"]))
        for e in shipped_knowledge()
    ]
    return KnowledgeIndex(entries, tokenize)


@pytest.mark.parametrize(
    "question",
    [
        "小区停车收费合理吗？",  # shares 收费 with "反映问题收费吗？"
        "办理居住证需要什么材料？",  # shares 材料 with 补充材料
        "停水了什么时候来水？",  # shares 什么时候 with the reply time limit
        "停电了什么时候来电？",
        "医院几点上班？",  # shares 几点/上班 with the hotline's hours
        "孩子上学需要什么材料？",
        "养老金什么时候发？",
    ],
)
def test_questions_the_knowledge_base_does_not_cover_get_no_answer(index, question):
    assert index.answer(question) is None


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("能反映什么问题？", "what-to-report"),
        ("怎么投诉？", "how-to-report"),
        ("多久能回复？", "reply-time"),
        ("多长时间能答复？", "reply-time"),
        ("反映问题收费吗？", "cost"),
        ("投诉要收费吗？", "cost"),
        ("怎么补充材料？", "supplement"),
        ("可以匿名吗？", "anonymous"),
        ("不满意怎么办？", "unsatisfied"),
        ("着火了怎么办？", "emergency"),
        ("什么时间可以反映？", "hours"),
        ("没填完的还能继续吗？", "resume"),
    ],
)
def test_questions_it_covers_keep_their_answer(index, question, entry):
    match = index.answer(question)
    assert match is not None and match.entry.id == entry


@dataclass
class IndexPorts(FakePorts):
    """FakePorts answering from the real index, as the bot does."""

    index: KnowledgeIndex | None = None

    async def answer_question(self, text: str) -> KnowledgeAnswer | None:
        assert self.index is not None
        match = self.index.answer(text)
        return (
            None
            if match is None
            else KnowledgeAnswer(match.entry.question, match.entry.answer, match.score)
        )


@dataclass
class KnowItAllPorts(FakePorts):
    """A knowledge base that answers everything: the engine must still keep a
    description it asked for."""

    async def answer_question(self, text: str) -> KnowledgeAnswer | None:
        return KnowledgeAnswer("?", "一般诉求 7 天内答复。", 0.9)


async def test_an_unknown_question_is_not_answered_with_another_entry(index):
    chat = Chat(ports=IndexPorts(index=index))
    reply = await chat.say("小区停车收费合理吗？")
    assert "不收费" not in reply
    assert "登记" in reply  # offered to staff instead
    chat = Chat(ports=IndexPorts(index=index))
    reply = await chat.say("办理居住证需要什么材料？")
    assert "补充" not in reply and "登记咨询" in reply
    await chat.say("登记咨询")
    [draft] = chat.ports.registered
    assert "居住证" in draft.description


async def test_a_problem_asked_as_a_question_mid_form_is_the_description(index):
    for ports in (IndexPorts(index=index), KnowItAllPorts()):
        chat = Chat(ports=ports)
        chat.suggest("城乡建设")
        await chat.click("COMPLAIN")
        reply = await chat.say("停水了什么时候来水？")
        assert "7 天" not in reply
        assert chat.session.slots.get("description") == "停水了什么时候来水？"
        assert chat.session.requested == "location"


async def test_a_service_question_mid_form_is_still_answered(index):
    chat = Chat(ports=IndexPorts(index=index))
    await chat.click("COMPLAIN")
    reply = await chat.say("可以匿名吗？")
    assert "匿名" in reply and "请描述" in reply
    assert "description" not in chat.session.slots


def test_a_filed_consultation_has_the_same_id_on_every_instance():
    # Python salts str hashes per process: an id built with hash() differed between two
    # instances, so a 登记咨询 retried on the other one filed a second ticket
    script = (
        "from datetime import datetime, UTC\n"
        "from dialogs.engine import offer_draft_id\n"
        "from dialogs.session import Session\n"
        "s = Session(openid='o_same', last_active_at=datetime(2026, 11, 29, 8, tzinfo=UTC))\n"
        "print(offer_draft_id('consult', s, '办居住证要什么材料'))\n"
    )
    ids = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }  # fmt: skip
    assert len(ids) == 1 and ids.pop().startswith("consult-")
