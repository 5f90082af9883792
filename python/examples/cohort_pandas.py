"""Advise a cohort and look at it with pandas, as in a notebook.

    python examples/cohort_pandas.py [cohort.jsonl | programmes.json]

Without an argument it reads the repository's examples/programmes.json. A synthetic
cohort comes from `studentsucces generate --programmes 200 --out cohort.jsonl`.
"""

import json
import pathlib
import sys

import pandas as pd

import studentsucces

default = pathlib.Path(__file__).resolve().parents[2] / "examples" / "programmes.json"
path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default
text = path.read_text(encoding="utf-8")
if path.suffix == ".jsonl":
    assessments = [json.loads(line) for line in text.splitlines() if line.strip()]
else:
    assessments = json.loads(text)

ruleset = studentsucces.RuleSet.roadmap()
advice = ruleset.advise_many(assessments)  # parallel, in input order

# One row per programme and plan tip.
tips = pd.DataFrame(
    {"programme": a["programme"], "tip": t["id"], "cycle": t["cycle"], "priority": t["priority"]}
    for a in advice
    for t in a["tips"]
)
tips["section"] = tips["tip"].str.split(".").str[0]

print(f"{len(advice)} programmes advised with {ruleset.name} {ruleset.version}")
print("\nTips most often in cycle 1 ('Deze cyclus'), number of programmes:")
print(tips[tips["cycle"] == 1].value_counts("tip").head(10).to_string())
print("\nPlan tips per section and cycle, over all programmes:")
print(pd.crosstab(tips["section"], tips["cycle"]).to_string())

# Section scores: programmes × sections.
scores = pd.DataFrame(
    {s["id"]: s["mean"] for s in a["sections"]} | {"programme": a["programme"]} for a in advice
).set_index("programme")
print("\nMean section score over the programmes:")
print(scores.mean().round(2).sort_values().head(5).to_string())
