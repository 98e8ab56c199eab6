#!/usr/bin/env python3
"""measure.py: run one command, print its wall time and peak RSS (GNU time may be missing).

  measure.py [--stdout FILE] [--stderr FILE] -- COMMAND [ARG...]

Prints one line on stdout:
  seconds=12.345 maxrss_mib=41.2 anon_mib=30.1 file_mib=11.0 status=0

maxrss_mib is getrusage(RUSAGE_CHILDREN).ru_maxrss after the child was waited for: the largest
resident set of the command, in MiB (what ps and top call MB). It counts file-backed pages too,
so a program that mmaps its input (sd-journal maps journal files) shows the mapped pages it touched.
anon_mib / file_mib are the largest RssAnon / RssFile+RssShmem of the command's /proc/PID/status,
sampled every 10 ms (a peak shorter than that can be missed; 0 when never sampled). They split
maxrss into memory the program allocated and page cache it mapped.

Floor: Linux starts a child's ru_maxrss with the high-water RSS of the address space it had before
exec, and subprocess forks (vfork) from this Python process, so no maxrss is below Python's own RSS
(~10-15 MiB); `measure.py -- true` shows the floor. Commands well above it (cascade) are measured
exactly; a small one (grep) reads as "at most the floor". The sampled anon/file figures have no floor.

Exit status: the command's (128 + signal when it was killed).
"""
import argparse
import resource
import subprocess
import sys
import time


def sample(pid):
        """(RssAnon, RssFile + RssShmem) of pid in KiB, None when it is gone."""
        anon = file = 0
        try:
                with open("/proc/%d/status" % pid, "rb") as f:
                        for line in f:
                                if line.startswith(b"RssAnon:"):
                                        anon = int(line.split()[1])
                                elif line.startswith((b"RssFile:", b"RssShmem:")):
                                        file += int(line.split()[1])
        except (OSError, ValueError, IndexError):
                return None
        return anon, file


def main():
        ap = argparse.ArgumentParser(description="Print wall seconds and peak RSS of one command.")
        ap.add_argument("--stdout", help="send the command's standard output to FILE (default: inherited)")
        ap.add_argument("--stderr", help="send the command's standard error to FILE (default: inherited)")
        ap.add_argument("command", nargs=argparse.REMAINDER)
        args = ap.parse_args()
        cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not cmd:
                ap.error("no COMMAND given")

        out = open(args.stdout, "wb") if args.stdout else None
        err = open(args.stderr, "wb") if args.stderr else None
        anon = file = 0
        try:
                t0 = time.monotonic()
                p = subprocess.Popen(cmd, stdout=out, stderr=err)
                while True:
                        try:
                                rc = p.wait(timeout=0.01)
                                break
                        except subprocess.TimeoutExpired:
                                pass
                        s = sample(p.pid)
                        if s:
                                anon, file = max(anon, s[0]), max(file, s[1])
                seconds = time.monotonic() - t0
        except OSError as e:
                sys.exit("measure.py: cannot run %s: %s" % (cmd[0], e.strerror))
        finally:
                for f in (out, err):
                        if f:
                                f.close()
        kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # KiB on Linux
        status = rc if rc >= 0 else 128 - rc
        print("seconds=%.3f maxrss_mib=%.1f anon_mib=%.1f file_mib=%.1f status=%d" %
              (seconds, kb / 1024, anon / 1024, file / 1024, status))
        sys.exit(status)


if __name__ == "__main__":
        main()
