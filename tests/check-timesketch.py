#!/usr/bin/env python3
# check-timesketch.py FILE: whether FILE imports into Timesketch as a JSONL timeline, read the way
# Timesketch reads one (timesketch/lib/utils.py, read_and_validate_jsonl()), and whether it holds
# what cascade promises on top. Prints the first problem and exits 1; exits 0 when every line passes.
#
# Timesketch, per line: json.loads() must give an object; message, datetime and timestamp_desc are
# mandatory (a missing timestamp it derives from datetime, in µs since the epoch); tag is read as a
# list of tags (a list as is, else "[...]" as JSON, "-" as none, else split at commas), empty tags
# dropped; the keys _id, _type, _index, _source and __ts_timeline_id are OpenSearch's and removed.
# Its upload also wants the file name to end in .jsonl (checked by the caller, not here).
#
# cascade, on top: datetime RFC 3339 UTC to the µs with Z; timestamp an integer, the same instant;
# tag already a list of strings; node a string; none of the keys Timesketch would remove.
import datetime
import json
import re
import sys

MANDATORY = ("message", "datetime", "timestamp_desc")
SCRUBBED = ("_id", "_type", "_index", "_source", "__ts_timeline_id")
RFC3339_UTC_USEC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def timesketch_tags(value):
    """Timesketch's _parse_tag_field() followed by its filter of empty tags."""
    if isinstance(value, (list, tuple)):
        tags = value
    else:
        value = str(value)
        if value.startswith("[") and value.endswith("]"):
            tags = json.loads(value)
        elif value == "-":
            tags = []
        elif "," in value:
            tags = value.split(",")
        else:
            tags = [value]
    return [t for t in tags if t]


def usec(dt):
    delta = dt - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def check_line(lineno, line):
    event = json.loads(line)
    if not isinstance(event, dict):
        return "line %d: not a JSON object" % lineno
    missing = [f for f in MANDATORY if f not in event]
    if missing:
        return "line %d: missing field(s) %s" % (lineno, ",".join(missing))
    for f in MANDATORY:
        if not isinstance(event[f], str) or (f != "message" and not event[f]):
            return "line %d: %s is not a non-empty string: %r" % (lineno, f, event[f])
    if not RFC3339_UTC_USEC.match(event["datetime"]):
        return "line %d: datetime is not RFC 3339 UTC to the µs: %r" % (lineno, event["datetime"])
    when = datetime.datetime.fromisoformat(event["datetime"].replace("Z", "+00:00"))
    ts = event.get("timestamp")
    if not isinstance(ts, int) or isinstance(ts, bool) or ts != usec(when):
        return "line %d: timestamp %r is not datetime in µs (%d)" % (lineno, ts, usec(when))
    tags = event.get("tag")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        return "line %d: tag is not a list of tags: %r" % (lineno, tags)
    if timesketch_tags(tags) != tags:
        return "line %d: Timesketch would read tag %r otherwise" % (lineno, tags)
    if not isinstance(event.get("node"), str) or not event["node"]:
        return "line %d: no node" % lineno
    scrubbed = [f for f in SCRUBBED if f in event]
    if scrubbed:
        return "line %d: keys Timesketch removes: %s" % (lineno, ",".join(scrubbed))
    return None


def main():
    n = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.endswith("\n"):
                print("line %d: not ended by a line feed" % n)
                return 1
            try:
                problem = check_line(n, line)
            except ValueError as e:
                problem = "line %d: %s" % (n, e)
            if problem:
                print(problem)
                return 1
    if n == 0:
        print("no event")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
