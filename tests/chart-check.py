#!/usr/bin/env python3
# chart-check.py REPORT.md [SECTION~TEXT ...]: the Mermaid membership charts of a postmortem
# (analyzer/report-chart.c), checked as tests/test-report-md.c's chart_problem() does: only lines
# the chart writes, each section (row) once, task names without ':' '#' ';', milestones without a
# length, and in every section the bars (milestones aside) in time order, each starting where or
# after the one before it ended: no two bars of a row overlap. Then each SECTION~TEXT: the first
# chart's section SECTION has a line holding TEXT ("SECTION!~TEXT": has none).
# Prints what is wrong; exits 1 when anything is. Used by the e2e scripts (not a test itself).
import re
import sys

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
TAGS = {"active", "crit", "milestone"}


def charts(text):
    return re.findall(r"^```mermaid\n(.*?)^```$", text, re.S | re.M)


def problems(chart):
    lines = chart.rstrip("\n").split("\n")
    if lines[:3] == ["---", "displayMode: compact", "---"]:
        lines = lines[3:]
    sections = {}
    current = None
    last_end = None
    for line in lines:
        if line == "gantt" or line.startswith("    title ") or line in (
                "    dateFormat YYYY-MM-DDTHH:mm:ss", "    axisFormat %H:%M:%S"):
            continue
        if line.startswith("    section "):
            current = line[12:]
            if not current or current in sections:
                yield "a section twice or without a name: %r" % line
            sections[current] = []
            last_end = None
            continue
        name, colon, data = line.partition(":")
        if current is None or not line.startswith("    ") or not colon or not name.strip() or re.search("[#;]", line):
            yield "not a task of a section: %r" % line
            continue
        sections[current].append(line)
        parts = [p.strip() for p in data.split(",")]
        if len(parts) < 3 or not set(parts[:-2]) <= TAGS or not all(TIME.match(p) for p in parts[-2:]):
            yield "not 'name :tags, START, END': %r" % line
            continue
        start, end = parts[-2:]
        if "milestone" in parts[:-2]:
            if start != end:
                yield "a milestone with a length: %r" % line
            continue
        if start >= end:
            yield "a bar that ends before it starts: %r" % line
        if last_end is not None and start < last_end:
            yield "a bar overlapping the one before it in section %r: %r" % (current, line)
        last_end = end
    if not sections:
        yield "no section at all"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        found = charts(f.read())
    bad = [] if found else ["no mermaid chart"]
    for i, chart in enumerate(found):
        bad += ["chart %d: %s" % (i + 1, p) for p in problems(chart)]
    for spec in sys.argv[2:]:
        negate = "!~" in spec
        section, _, want = spec.partition("!~" if negate else "~")
        rows = re.search(r"^    section %s\n((?:    (?!section ).*\n)*)" % re.escape(section), found[0] if found else "", re.M)
        has = rows is not None and any(want in row for row in rows.group(1).split("\n"))
        if rows is None:
            bad.append("no section %r" % section)
        elif has == negate:
            bad.append("section %r %s a line with %r" % (section, "has" if negate else "lacks", want))
    for p in bad:
        print(p)
    if bad and found:
        print(found[0])
    return 1 if bad else 0


sys.exit(main())
