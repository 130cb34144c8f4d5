"""Build ``questions.jsonl``, the assistant's evaluation set (see docs/assistant.md).

    python -m motcua.assistant.eval.make_questions            # re-derive the set (deterministic)
    python -m motcua.assistant.eval.make_questions --resample # a NEW generated sample (see below)

Three parts, all kept in the repository:

* ``handwritten.jsonl`` — questions written by hand the way citizens write them: colloquial names
  ("sổ đỏ", "cccd", "bằng lái"), with and without diacritics, typos, questions that need a choice
  (``clarify``) and out-of-scope ones (a court case, a police matter, a private dispute,
  chit-chat), each with its expected behaviour and the acceptable codes;
* ``added.jsonl`` — the same, written later (session 6) *before* the retrieval changes of that
  session were tried on them, so they were not tuned for;
* ``generated.jsonl`` — a fixed random sample (seed 15) of the seed catalogue as it was when the
  set was made (commit 09b3d51), each procedure's name as a citizen would type it (``typed``):
  lower case, the "Thủ tục" prefix and the level suffix dropped, long names cut to their first
  words, a question frame around it ("… cần giấy tờ gì", "làm … ở đâu"), half of them without
  diacritics and one in five with a typo (two neighbouring letters swapped).

The questions of the sample are frozen; their acceptable codes are **re-derived from the current
catalogue** (``motcua/catalog/data/procedures.csv``) every time this script runs, by the rule the
sample was made with: every procedure whose name (without "Thủ tục" and the level suffix) starts
with the typed name. A question whose procedure has left the catalogue (no code reads the same
any more) expects ``out_of_scope``. ``--resample`` draws a new sample from the current catalogue
(new questions: do it only with a note in docs/assistant.md, figures are then not comparable).

The output is deterministic: running the script again gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from motcua.assistant.retrieval import core_name
from motcua.core.text import fold, unaccent

HERE = Path(__file__).resolve().parent
SEED_CSV = HERE.parents[1] / "catalog" / "data" / "procedures.csv"
GENERATED = 230
MAX_WORDS = 9
FRAMES = (
    "{q}",
    "{q} cần giấy tờ gì",
    "làm {q} ở đâu",
    "thủ tục {q} như thế nào",
    "cho hỏi {q} mất bao lâu",
    "{q} nộp ở đâu ạ",
    "muốn {q} thì làm sao",
    "{q} lệ phí bao nhiêu",
)
_LEVEL = re.compile(r"\s*\((?:thực hiện|Thực hiện)[^)]*\)\s*$")


def citizen_name(name: str) -> str:
    text = _LEVEL.sub("", name).strip().rstrip(".")
    text = re.sub(r"^(?:Thủ tục|thủ tục)\s+", "", text)
    words = text.split()
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
    return " ".join(words).lower().rstrip(",;:")


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def read_catalogue(path: Path = SEED_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sample(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A new sample of the catalogue ``rows``: question, typed name, source code."""
    rng = random.Random(15)  # noqa: S311 -- a reproducible sample, not a secret
    out: list[dict[str, str]] = []
    for index, row in enumerate(rng.sample(rows, GENERATED)):
        typed = citizen_name(row["name_vi"])
        question = FRAMES[index % len(FRAMES)].format(q=typed)
        if index % 2 == 1:
            question = unaccent(question)
        if index % 5 == 2:
            question = typo(question, rng)
        out.append({"question": question, "typed": typed, "from": row["code"]})
    return out


def acceptable_codes(typed: str, rows: list[dict[str, str]]) -> list[str]:
    """Every procedure whose name reads as ``typed`` once cut (a name published at two levels,
    or ten times, has several right answers)."""
    typed_core = core_name(fold(typed))
    return sorted({r["code"] for r in rows if core_name(r["name_vi"]).startswith(typed_core)})


def generated(rows: list[dict[str, str]], frozen: list[dict[str, str]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in frozen:
        codes = acceptable_codes(item["typed"], rows)
        out.append(
            {
                "question": item["question"],
                "behaviour": "answer" if codes else "out_of_scope",
                "codes": codes,
                "source": "generated",
            }
        )
    return out


def read_jsonl(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m motcua.assistant.eval.make_questions")
    parser.add_argument("--resample", action="store_true", help="draw a new generated sample")
    options = parser.parse_args(argv)
    rows = read_catalogue()
    if options.resample:
        with (HERE / "generated.jsonl").open("w", encoding="utf-8") as out:
            for drawn in sample(rows):
                out.write(json.dumps(drawn, ensure_ascii=False) + "\n")
    frozen = [{k: str(v) for k, v in item.items()} for item in read_jsonl(HERE / "generated.jsonl")]
    items: list[dict[str, object]] = [
        {**item, "source": "handwritten"} for item in read_jsonl(HERE / "handwritten.jsonl")
    ]
    items += [{**item, "source": "added"} for item in read_jsonl(HERE / "added.jsonl")]
    items += generated(rows, frozen)
    with (HERE / "questions.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} questions → {HERE / 'questions.jsonl'}")  # noqa: T201


if __name__ == "__main__":
    main()
