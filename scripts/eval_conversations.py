"""
Play the multi-turn conversation suite (tests/conversations/*.yml) and check every expectation.

Starts the three processes on free ports (scripts/stack.py, as the end-to-end tests do), plays
each conversation through Rasa's REST webhook with a new sender id, checks each user turn's
expectations (tests/conversations/README.md), prints the figures and writes them to their own
section of docs/evaluation.md (the rest of that file is left alone).

    .venvs/directory/bin/python scripts/eval_conversations.py [--floor 0.9] [--no-report]
        [-k pattern] [--rasa-url URL --directory-url URL]   # the last two: a running stack
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import MODELS, Stack, free_port  # noqa: E402

SUITE = ROOT / "tests" / "conversations"
REPORT = ROOT / "docs" / "evaluation.md"
START, END = "<!-- conversation-suite:start -->", "<!-- conversation-suite:end -->"
CONCURRENCY = 3  # conversations played at once (a shared 2-core machine)
# The suite chats from one address, fast: the chat limits must not answer instead of the bot.
CHAT_LIMITS = {
    "CHAT_MESSAGES_PER_MINUTE": "100000",
    "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "100000",
}

# Function words that tell English from French (entry names, in French, avoid most of them).
EN_WORDS = set("the you your here is are with for can we this that near found would like please "
               "hello hi thanks there which what when our will it be have has not any".split())
FR_WORDS = set("vous votre vos voici est pour pas avec je nous une dans qui que sont pouvez "
               "souhaitez merci bonjour trouve aucun aucune peux ici ou cette ces".split())


def norm(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: what 'accent- and case-insensitive' means."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def found(needle: str, haystack: str) -> bool:
    """`needle` in the visible text; a phone number is compared on its digits alone."""
    if re.fullmatch(r"[\d\s.+]{8,}", needle):
        return re.sub(r"\D", "", needle) in re.sub(r"\D", "", haystack)
    needle = norm(needle)
    return f" {needle} " in f" {haystack} " if len(needle) <= 3 else needle in haystack


def alternatives(item: Any) -> list[str]:
    return [str(x) for x in item] if isinstance(item, list) else [str(item)]


def short(text: str, width: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Reply:
    """What the bot answered to one message, as a newcomer would see it."""

    messages: list[dict[str, Any]]
    text: str = ""
    lists: list[dict[str, Any]] = field(default_factory=list)
    handoffs: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        texts = []
        for message in self.messages:
            if message.get("text"):
                texts.append(message["text"])
            texts += [b.get("title", "") for b in message.get("buttons") or []]
            custom = message.get("custom") or {}
            if custom.get("type") == "directory_results":
                self.lists.append(custom)
            elif custom.get("type") == "handoff":
                self.handoffs.append(custom)
        self.text = "\n".join(texts)

    @property
    def results(self) -> list[dict[str, Any]]:
        return self.lists[-1].get("results") or [] if self.lists else []

    def visible(self) -> str:
        """The text, the buttons and the cards (names and communes), normalised."""
        cards = [f"{r.get('name', '')} {r.get('commune', '')}" for lst in self.lists
                 for r in lst.get("results") or []]
        return norm(" ".join([self.text, *cards]))

    def signature(self) -> str:
        return repr(self.messages)

    def summary(self) -> str:
        parts = []
        if self.text:
            parts.append(f"«{short(self.text, 90)}»")
        for lst in self.lists:
            first = (lst.get("results") or [{}])[0]
            near = (lst.get("near") or {}).get("name")
            parts.append(f"[{lst.get('topic')}: {len(lst.get('results') or [])} results, first "
                         f"{short(first.get('name', '-'), 40)} ({first.get('kind', '?')}, "
                         f"{first.get('commune', '-')}); near {near}]")
        if self.handoffs:
            parts.append("[handoff]")
        return " ".join(parts) or "(nothing)"


class Directory:
    """Entries' kinds and communes (the payload names an entry; the directory knows its kind)."""

    def __init__(self, session: aiohttp.ClientSession, url: str):
        self.session, self.url = session, url
        self.entries: dict[str, dict[str, Any]] = {}
        self.contacts: dict[str, dict[str, str]] = {}

    async def load_territories(self) -> None:
        async with self.session.get(f"{self.url}/api/v1/territories") as response:
            body = await response.json()
        items = body["items"] if isinstance(body, dict) else body
        self.contacts = {t["slug"]: t.get("welcome_contact") or {} for t in items}

    async def complete(self, reply: Reply) -> None:
        """Add `kind` and the commune's name to each result that lacks them."""
        for lst in reply.lists:
            for result in lst.get("results") or []:
                entry = await self.entry(str(result.get("id")))
                result.setdefault("kind", entry.get("kind"))
                if re.fullmatch(r"\d[\dAB]\d{3}", str(result.get("commune", ""))):
                    result["commune"] = entry.get("commune_name") or result["commune"]

    async def entry(self, entry_id: str) -> dict[str, Any]:
        if entry_id not in self.entries:
            async with self.session.get(f"{self.url}/api/v1/services/{entry_id}") as response:
                self.entries[entry_id] = await response.json() if response.status == 200 else {}
        return self.entries[entry_id]


def check_turn(expect: dict[str, Any], reply: Reply, previous: Optional[Reply],
               shown: list[dict[str, Any]], contact: dict[str, str]) -> list[str]:
    """Every expectation of one turn that the reply does not meet, in words."""
    failed: list[str] = []
    visible = reply.visible()
    if not reply.messages:
        return ["an answer (got nothing)"]
    topics = alternatives(expect.get("topic", []))
    got_topics = [lst.get("topic") for lst in reply.lists]
    if topics and sorted(set(got_topics)) != sorted(set(topics)):
        failed.append(f"topic {'+'.join(topics)} (got {'+'.join(got_topics) or 'no list'})")
    main = next((lst for lst in reply.lists if lst.get("topic") in topics), None)
    if main is None and reply.lists:
        main = reply.lists[0]
    results = (main or {}).get("results") or []
    if "kind" in expect:
        kinds = alternatives(expect["kind"])
        first_kind = results[0].get("kind") if results else None
        if first_kind not in kinds:
            failed.append(f"kind {'|'.join(kinds)} first (got {first_kind})")
        elif expect.get("kind_first"):
            seq = [r.get("kind") in kinds for r in results]
            if False in seq and any(seq[seq.index(False):]):
                failed.append(f"kind first: all {'|'.join(kinds)} before others (got "
                              f"{', '.join(str(r.get('kind')) for r in results)})")
    if "first_result" in expect:
        name = results[0].get("name", "") if results else ""
        if not any(norm(a) in norm(name) for a in alternatives(expect["first_result"])):
            failed.append(f"first result «{expect['first_result']}» (got «{short(name, 50)}»)")
    if "place" in expect:
        place = norm(expect["place"])
        first_commune = norm(results[0].get("commune", "")) if results else ""
        near = norm(((main or {}).get("near") or {}).get("name", ""))
        if place not in (first_commune, near) and place not in norm(reply.text):
            failed.append(f"place {expect['place']} (first in {first_commune or '-'}, "
                          f"near {near or '-'})")
    if "near" in expect:
        near = ((main or {}).get("near") or {}).get("name", "")
        if norm(near) != norm(expect["near"]):
            failed.append(f"searched near {expect['near']} (got {near or 'none'})")
    if expect.get("no_list") and reply.lists:
        failed.append(f"no list (got {'+'.join(got_topics)})")
    if expect.get("one_entry") and any(len(lst.get("results") or []) > 1 for lst in reply.lists):
        failed.append("about one entry, not a list again")
    if expect.get("handoff"):
        welcome = [contact.get("phone"), contact.get("email")]
        if not reply.handoffs and not any(w and found(w, visible) for w in welcome):
            failed.append("handoff or the welcome contact")
    for item in expect.get("text_contains") or []:
        if not any(found(a, visible) for a in alternatives(item)):
            failed.append(f"text with {' | '.join(alternatives(item))}")
    for item in expect.get("text_not_contains") or []:
        hits = [a for a in alternatives(item) if found(a, visible)]
        if hits:
            failed.append(f"text without {hits[0]}")
    if expect.get("language"):
        words = norm(reply.text).split()
        en = sum(w in EN_WORDS for w in words)
        fr = sum(w in FR_WORDS for w in words)
        if (en <= fr) if expect["language"] == "en" else (fr < en or not words):
            failed.append(f"answered in {expect['language']} (en {en} / fr {fr} words)")
    if expect.get("not_same_as_previous") and previous and (
            reply.signature() == previous.signature()):
        failed.append("not the previous answer again")
    if "picks" in expect:
        n = int(expect["picks"])
        if len(shown) < n:
            failed.append(f"the entry n°{n} (only {len(shown)} shown before)")
        elif not found(shown[n - 1].get("name", ""), norm(reply.text)):
            failed.append(f"about n°{n}, «{short(shown[n - 1].get('name', ''), 50)}»")
    if expect.get("new_results"):
        before = {r.get("id") for r in shown}
        if not results or results[0].get("id") in before:
            failed.append("other entries than those shown")
    return failed


async def play(conversation: dict[str, Any], session: aiohttp.ClientSession, rasa_url: str,
               directory: Directory) -> list[dict[str, Any]]:
    """One conversation, turn by turn; returns one record per user turn."""
    sender, territory = uuid.uuid4().hex, conversation.get("territory")
    contact = directory.contacts.get(territory or "", {})
    previous: Optional[Reply] = None
    shown: list[dict[str, Any]] = []
    records = []
    for number, turn in enumerate(conversation["turns"], 1):
        body: dict[str, Any] = {"sender": sender, "message": turn["user"]}
        if territory:
            body["metadata"] = {"territory": territory}
        expect = dict(turn.get("expect") or {})
        if conversation.get("language", "fr") != "fr":
            expect.setdefault("language", conversation["language"])
        try:
            async with session.post(f"{rasa_url}/webhooks/rest/webhook", json=body) as response:
                messages = await response.json() if response.status == 200 else []
            reply = Reply(messages)
            await directory.complete(reply)
            failed = check_turn(expect, reply, previous, shown, contact)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            reply, failed = Reply([]), [f"an answer ({type(error).__name__})"]
        records.append({"turn": number, "user": turn["user"], "failed": failed,
                        "got": reply.summary(), "text": reply.text})
        previous = reply
        if len(reply.results) > 1:  # a list, not one entry's details: what "le 2" refers to
            shown = reply.results
    return records


def load_suite(selector: Optional[str]) -> list[dict[str, Any]]:
    conversations = []
    for path in sorted(SUITE.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            conversation["file"] = path.stem
            for turn in conversation["turns"]:
                if not isinstance(turn["user"], str):
                    raise ValueError(f"{path.name}/{conversation['id']}: quote {turn['user']!r}")
            if selector and selector not in conversation["pattern"] and (
                    selector not in conversation["id"]):
                continue
            conversations.append(conversation)
    return conversations


async def run_all(conversations: list[dict[str, Any]], rasa_url: str, directory_url: str):
    timeout = aiohttp.ClientTimeout(total=90)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        directory = Directory(session, directory_url)
        await directory.load_territories()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(conversation):
            async with gate:
                return await play(conversation, session, rasa_url, directory)

        return await asyncio.gather(*(one(c) for c in conversations))


def summarise(conversations: list[dict[str, Any]], outcomes: list[list[dict[str, Any]]],
              model: str) -> str:
    """The report section in Markdown (also what the terminal shows)."""
    turns = [r for records in outcomes for r in records]
    turns_ok = sum(not r["failed"] for r in turns)
    whole_ok = sum(all(not r["failed"] for r in records) for records in outcomes)
    by_pattern: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for conversation, records in zip(conversations, outcomes, strict=True):
        row = by_pattern[conversation["pattern"]]
        row[0] += all(not r["failed"] for r in records)
        row[1] += 1
        row[2] += sum(not r["failed"] for r in records)
        row[3] += len(records)
    rate = turns_ok / max(1, len(turns))
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Conversation suite (`make eval-conversations`)",
        "",
        f"Run {when}, model `{model}`: {len(conversations)} conversations, {len(turns)} user "
        "turns from `tests/conversations/` (written without reading the training data; format "
        "in its README), played through the REST webhook against the three processes.",
        "",
        "| | right | of | rate |",
        "| --- | ---: | ---: | ---: |",
        f"| turns | {turns_ok} | {len(turns)} | {rate:.1%} |",
        f"| whole conversations | {whole_ok} | {len(conversations)} | "
        f"{whole_ok / max(1, len(conversations)):.1%} |",
        "",
        "By pattern, worst first:",
        "",
        "| pattern | conversations right | turns right | turn rate |",
        "| --- | ---: | ---: | ---: |",
    ]
    for pattern, (c_ok, c_all, t_ok, t_all) in sorted(
            by_pattern.items(), key=lambda item: (item[1][2] / item[1][3], item[0])):
        lines.append(f"| {pattern} | {c_ok}/{c_all} | {t_ok}/{t_all} | {t_ok / t_all:.0%} |")
    failing = [(c, r) for c, records in zip(conversations, outcomes, strict=True) for r in records
               if r["failed"]]
    lines += ["", f"Failing turns ({len(failing)}):", ""]
    for conversation, record in failing:
        lines.append(
            f"- `{conversation['file']}/{conversation['id']}` #{record['turn']} "
            f"«{short(record['user'], 70)}» — expected {'; '.join(record['failed'])} — got "
            f"{short(record['got'], 160)}".replace("|", "/"))
    return "\n".join(lines) + "\n"


def write_report(section: str) -> None:
    """Replace this suite's section of docs/evaluation.md (or append it), nothing else."""
    block = f"{START}\n{section}{END}\n"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Evaluation\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    REPORT.write_text(text, encoding="utf-8")


def start_stack() -> Stack:
    var = Path(tempfile.mkdtemp(prefix="eval-conversations-"))
    stack = Stack(directory_port=free_port(), actions_port=free_port(), rasa_port=free_port(),
                  var_dir=var, log_dir=var / "logs")
    stack.extra_env.update(CHAT_LIMITS, DIRECTORY_DATABASE=str(var / "directory.sqlite3"),
                           RASA_TRACKER_DB=str(var / "conversations.sqlite3"))
    print(f"Starting the three processes (logs in {stack.log_dir})…", flush=True)
    try:
        stack.start(timeout_s=600)
    except Exception:
        for log in sorted(stack.log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    return stack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floor", type=float, help="exit 1 when the turn rate is below it")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/evaluation.md")
    parser.add_argument("-k", dest="selector", help="only conversations whose pattern or id "
                        "contains this")
    parser.add_argument("-v", dest="verbose", action="store_true",
                        help="print every turn's whole answer")
    parser.add_argument("--rasa-url", help="a running Rasa (with --directory-url): no start")
    parser.add_argument("--directory-url", help="the running directory service")
    args = parser.parse_args()

    conversations = load_suite(args.selector)
    if not conversations:
        print("No conversation selected.", file=sys.stderr)
        return 2
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    model = models[-1].name if models else "?"
    stack = None if args.rasa_url else start_stack()
    try:
        rasa_url = args.rasa_url or stack.rasa_url
        directory_url = args.directory_url or stack.directory_url
        outcomes = asyncio.run(run_all(conversations, rasa_url, directory_url))
    finally:
        if stack is not None:
            stack.stop()

    if args.verbose:
        for conversation, records in zip(conversations, outcomes, strict=True):
            print(f"=== {conversation['file']}/{conversation['id']} ({conversation['territory']})")
            for r in records:
                print(f"> {r['user']}\n{r['text']}\n  {r['got']}\n  {r['failed'] or 'ok'}")
    section = summarise(conversations, outcomes, model)
    print(section)
    if not args.no_report and not args.selector:
        write_report(section)
        print(f"Written to {REPORT.relative_to(ROOT)}.")
    turns = [r for records in outcomes for r in records]
    rate = sum(not r["failed"] for r in turns) / max(1, len(turns))
    floor = args.floor / 100 if args.floor and args.floor > 1 else args.floor
    if floor is not None and rate < floor:
        print(f"Turn rate {rate:.1%} is below the floor {floor:.0%}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
