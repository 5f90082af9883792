"""Drives `studentsucces advise --format jsonl -` through a subprocess, as a portal or
dashboard in any language would: one long-running process, one assessment written per
line, its advice (or an error line) read back before the next is written.

    python3 examples/advise_pipe.py ASSESSMENTS [--binary PATH]

ASSESSMENTS is a JSON array or JSON Lines file of assessments (`examples/programmes.json`);
a line that is not an assessment gets an error line back and the pipe goes on. The
binary is `target/release/studentsucces` when it exists, else `studentsucces` on the
PATH. Exits 0 when every assessment was advised, 3 when some were not (as `advise`).
"""

import argparse
import json
import pathlib
import subprocess
import sys

SCHEMA_VERSION = 3


class AdvisePipe:
    """One `advise -` process; `ask` writes one line and returns the one line it gives."""

    def __init__(self, binary, *args):
        self.process = subprocess.Popen(
            [binary, "advise", "--format", "jsonl", *args, "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8",
        )

    def ask(self, line):
        self.process.stdin.write(line.replace("\n", " ") + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"advise ended without answering (exit {self.process.wait()})")
        return json.loads(answer)

    def close(self):
        """Closes stdin; the exit code of `advise`."""
        self.process.stdin.close()
        return self.process.wait()


def lines_of(path):
    """The assessments as lines: each element of a JSON array, or each non-blank line."""
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return [json.dumps(item, ensure_ascii=False) for item in json.loads(text)]
    return [line for line in text.splitlines() if line.strip()]


def describe(advice):
    """One line about an advice: programme, cycle 1 and its focus, questions left open."""
    assert advice["schema_version"] == SCHEMA_VERSION, advice["schema_version"]
    name = advice.get("meta", {}).get("name", advice["programme"])
    now = sum(1 for tip in advice["tips"] if tip["cycle"] == 1)
    focus = ", ".join(advice["focus"]) or "-"
    return (f"{name}: {now} tips this cycle, {len(advice['to_establish'])} to establish; "
            f"focus {focus}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assessments")
    release = pathlib.Path(__file__).resolve().parents[1] / "target/release/studentsucces"
    parser.add_argument("--binary", default=str(release) if release.exists() else "studentsucces")
    args = parser.parse_args()

    pipe = AdvisePipe(args.binary)
    lines = lines_of(args.assessments)
    failed = 0
    for number, line in enumerate(lines, start=1):
        answer = pipe.ask(line)
        if "error" in answer:
            failed += 1
            print(f"line {number}: not advised: {answer['error']['message']}")
        else:
            print(f"line {number}: {describe(answer)}")
    code = pipe.close()
    print(f"{len(lines) - failed} of {len(lines)} advised; advise exited with {code}")
    expected = 3 if failed else 0
    if code != expected:
        sys.exit(f"advise exited with {code}, expected {expected}")
    return code


if __name__ == "__main__":
    sys.exit(main())
