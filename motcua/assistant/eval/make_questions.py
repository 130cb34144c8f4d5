"""Build ``questions.jsonl``, the assistant's evaluation set (see docs/assistant.md).

    python -m motcua.assistant.eval.make_questions

Two parts, both kept in the repository:

* ``handwritten.jsonl`` — questions written by hand the way citizens write them: colloquial names
  ("sổ đỏ", "cccd", "bằng lái"), with and without diacritics, typos, questions that need a choice
  (``clarify``) and out-of-scope ones (a court case, a police matter, a private dispute,
  chit-chat), each with its expected behaviour and the acceptable codes;
* generated questions — a fixed random sample (seed 15) of the seed catalogue
  (``motcua/catalog/data/procedures.csv``), each procedure's name as a citizen would type it:
  lower case, the "Thủ tục" prefix and the level suffix dropped, long names cut to their first
  words, a question frame around it ("… cần giấy tờ gì", "làm … ở đâu"), half of them without
  diacritics and one in five with a typo (two neighbouring letters swapped). The acceptable codes
  are every procedure whose name reads the same once cut (a name published at two levels, or
  ten times, has several right answers).

The output is deterministic: running the script again gives the same file.
"""

from __future__ import annotations

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


def generated() -> list[dict[str, object]]:
    with SEED_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(15)  # noqa: S311 -- a reproducible sample, not a secret
    sample = rng.sample(rows, GENERATED)
    out: list[dict[str, object]] = []
    for index, row in enumerate(sample):
        typed = citizen_name(row["name_vi"])
        typed_core = fold(typed)
        # Every procedure whose (cut) name reads the same is a right answer.
        codes = sorted(
            {r["code"] for r in rows if core_name(r["name_vi"]).startswith(core_name(typed_core))}
            | {row["code"]}
        )
        frame = FRAMES[index % len(FRAMES)]
        question = frame.format(q=typed)
        if index % 2 == 1:
            question = unaccent(question)
        if index % 5 == 2:
            question = typo(question, rng)
        out.append(
            {
                "question": question,
                "behaviour": "answer",
                "codes": codes,
                "source": "generated",
            }
        )
    return out


def main() -> None:
    lines = (HERE / "handwritten.jsonl").read_text(encoding="utf-8").splitlines()
    items = [dict(json.loads(line), source="handwritten") for line in lines if line.strip()]
    items += generated()
    with (HERE / "questions.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} questions → {HERE / 'questions.jsonl'}")  # noqa: T201


if __name__ == "__main__":
    main()
