#!/usr/bin/env python3
"""The pattern library's regexes as POSIX extended regexes for `grep -cE -f` (bench baseline).

Usage: ere-patterns.py PATTERN_DIR > FILE    (prints how many were converted on stderr)

PCRE-only syntax is rewritten where grep -E has an equivalent: (?:...), (?<name>...) and (?P<name>...) become
plain groups, lazy quantifiers greedy ones (a line matches or not either way), \\d becomes [0-9]
(GNU grep -E knows \\s \\S \\w \\b itself), escapes in classes their POSIX forms, and a leading ^
(the message's start) ': '. Regexes with lookarounds or \\S-like escapes inside classes have no ERE
form and are left out; the count says how many.
"""
import glob
import os
import re
import sys

LOOKAROUND = re.compile(r"\(\?(?:=|!|<=|<!)")


def bracket_end(rx, i):
    """Index just past the bracket expression starting at rx[i] == '['."""
    j = i + 1
    if j < len(rx) and rx[j] == "^":
        j += 1
    if j < len(rx) and rx[j] == "]":
        j += 1
    while j < len(rx) and rx[j] != "]":
        j += 1
    return j + 1


BRACKET_ESCAPES = {"d": "0-9", "s": "[:space:]", "w": "[:alnum:]_"}


def convert_bracket(body):
    """A PCRE class body as a POSIX bracket expression: ']' first, '-' last, no escapes."""
    negate = body.startswith("^")
    if negate:
        body = body[1:]
    items, rbracket, dash, i = [], False, False, 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in BRACKET_ESCAPES:
                items.append(BRACKET_ESCAPES[nxt])
            elif nxt.isalnum():
                return None              # \S \W \D \t ...: no bracket form
            elif nxt == "]":
                rbracket = True
            elif nxt == "-":
                dash = True
            else:
                items.append(nxt)
            i += 2
        else:
            items.append(c)
            i += 1
    return "[" + ("^" if negate else "") + ("]" if rbracket else "") + "".join(items) + ("-" if dash else "") + "]"


def convert(rx):
    # The library matches the message; grep sees the whole line, where the message follows ": ".
    if rx.startswith("^"):
        rx = ": " + rx[1:]
    if LOOKAROUND.search(rx):
        return None
    out, i = [], 0
    while i < len(rx):
        c = rx[i]
        if c == "[":
            end = bracket_end(rx, i)
            body = convert_bracket(rx[i + 1:end - 1])
            if body is None:
                return None
            out.append(body)
            i = end
        elif c == "\\" and i + 1 < len(rx):
            nxt = rx[i + 1]
            out.append("[0-9]" if nxt == "d" else c + nxt)
            i += 2
        elif rx.startswith("(?:", i):
            out.append("(")
            i += 3
        elif rx.startswith("(?<", i) or rx.startswith("(?P<", i):
            out.append("(")
            i = rx.index(">", i) + 1
        elif c in "*+?}" and i + 1 < len(rx) and rx[i + 1] == "?":
            out.append(c)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    regexes = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.patterns"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("match "):
                    regexes.append(line[len("match "):].strip())
    converted = [c for c in map(convert, regexes) if c is not None]
    for c in converted:
        print(c)
    print(f"{len(converted)} of {len(regexes)} regexes converted to ERE", file=sys.stderr)


if __name__ == "__main__":
    main()
