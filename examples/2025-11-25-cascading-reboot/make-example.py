#!/usr/bin/env python3
"""Write the bundled example incident of 2025-11-25 (two clean reboots in a
three-node Proxmox VE 9 cluster) as journal export streams, rsyslog files and
the cluster's corosync.conf.

Everything is derived from the tables below and a fixed random seed, so two
runs produce byte-identical files.  Python 3 standard library only.

    python3 make-example.py            # writes next to this script
    python3 make-example.py OUTDIR     # writes into OUTDIR

Layout of this file:
  1. cluster facts (nodes, hardware, boots, daemon PIDs)
  2. the story as data tables (reboots, HA moves, membership changes, ...)
  3. the log model (processes, boots, entries)
  4. building blocks (corosync, pmxcfs, HA, systemd, ssh, guests, ...)
  5. noise generators
  6. writers (journal export, rsyslog files, corosync.conf)
"""

import base64
import datetime
import hashlib
import os
import random
import sys

SEED = 20251125

# ---------------------------------------------------------------------------
# 1. cluster facts
# ---------------------------------------------------------------------------

CLUSTER_NAME = "homelab-cluster"
CONFIG_VERSION = 3
ADMIN_IP = "192.168.1.50"
WINDOW_START = "07:30:00.000"
WINDOW_END = "08:30:00.000"

NODES = {
    "proxmox":  dict(nodeid=1, ip="192.168.1.137", hw="t330"),
    "proxmox2": dict(nodeid=2, ip="192.168.1.125", hw="n100"),
    "proxmox3": dict(nodeid=3, ip="192.168.1.140", hw="n100"),
}
NODE_ORDER = ["proxmox", "proxmox2", "proxmox3"]

# where each HA guest runs at 07:30 (the HA resources config)
GUESTS = {
    "vm:100": dict(name="influxdb", node="proxmox"),
    "ct:102": dict(name="traefik", node="proxmox"),
    "vm:101": dict(name="postgresql", node="proxmox2"),
    "ct:104": dict(name="zigbee2mqtt", node="proxmox2"),
    "ct:103": dict(name="adguard", node="proxmox3"),
    "ct:105": dict(name="mqtt-prod", node="proxmox3"),
}

KERNEL_VERSION = "6.8.12-4-pve"
LINUX_BANNER = ("Linux version 6.8.12-4-pve (build@proxmox) (gcc (Debian 12.2.0-14) 12.2.0, "
                "GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 "
                "(2024-11-06T15:04Z) ()")
RSYSLOG_VERSION = "8.2302.0"
COROSYNC_VERSION = "3.1.9"

# Long-lived daemon PIDs per boot.  "t0" is the realtime of monotonic 0 of
# that boot (UTC); boots that started before the window give a full date.
BOOTS = {
    "proxmox": [
        dict(t0="2025-11-21 06:41:09.118", pid_anchor=2071455, pid_rate=11.3, session=1187,
             pids=dict(journald=389, udevadm=643, qmeventd=855, smartd=858, watchdog_mux=857,
                       zed=863, rsyslogd=866, logind=873, chronyd=901, sshd=1034, cron=1049,
                       pmxcfs=1101, corosync=1188, qmgr=1264, pve_firewall=1252, pvestatd=1257,
                       pvedaemon=1283, pveproxy=1297, spiceproxy=1303, pve_ha_crm=1314,
                       pve_ha_lrm=1326, pvescheduler=1343),
             workers=dict(pvedaemon=[2012217, 2041780, 2063119], pveproxy=[2058804, 2066731, 2069922],
                          spiceproxy=[1840276])),
        dict(t0="08:16:39.204", pid_anchor=1420, pid_rate=14.2, session=1,
             pids=dict(journald=392, udevadm=649, qmeventd=848, watchdog_mux=851, smartd=853,
                       zed=856, rsyslogd=858, logind=860, chronyd=905, sshd=933, pmxcfs=1097,
                       corosync=1141, cron=1149, qmgr=1183, pve_firewall=1190, pvestatd=1195,
                       pvedaemon=1214, pve_ha_crm=1225, pveproxy=1233, spiceproxy=1240,
                       pve_ha_lrm=1249, pvescheduler=1262),
             workers=dict(pvedaemon=[1215, 1216, 1217], pveproxy=[1234, 1235, 1236],
                          spiceproxy=[1241])),
    ],
    "proxmox2": [
        dict(t0="2025-11-18 22:05:33.872", pid_anchor=2893117, pid_rate=9.2, session=904,
             pids=dict(journald=371, udevadm=629, qmeventd=829, smartd=831, watchdog_mux=833,
                       zed=836, rsyslogd=838, logind=842, chronyd=889, sshd=917, pmxcfs=937,
                       corosync=1062, cron=1070, qmgr=1151, pve_firewall=1163, pvestatd=1168,
                       pvedaemon=1180, pve_ha_crm=1191, pveproxy=1198, spiceproxy=1205,
                       pve_ha_lrm=1214, pvescheduler=1229),
             workers=dict(pvedaemon=[2846630, 2870112, 2885402], pveproxy=[2880131, 2888216, 2890044],
                          spiceproxy=[2399518])),
        dict(t0="08:11:01.043", pid_anchor=1310, pid_rate=13.6, session=1,
             pids=dict(journald=383, udevadm=636, qmeventd=836, smartd=838, watchdog_mux=840,
                       zed=843, logind=846, rsyslogd=849, chronyd=896, sshd=925, pmxcfs=943,
                       corosync=1052, cron=1061, qmgr=1158, pve_firewall=1170, pvestatd=1175,
                       pvedaemon=1196, pve_ha_crm=1207, pveproxy=1213, spiceproxy=1221,
                       pve_ha_lrm=1230, pvescheduler=1246),
             workers=dict(pvedaemon=[1197, 1198, 1199], pveproxy=[1214, 1215, 1216],
                          spiceproxy=[1222])),
    ],
    "proxmox3": [
        dict(t0="2025-11-23 13:22:41.506", pid_anchor=897224, pid_rate=12.1, session=318,
             pids=dict(journald=377, udevadm=632, qmeventd=832, smartd=834, watchdog_mux=835,
                       zed=839, rsyslogd=841, logind=845, chronyd=893, sshd=921, pmxcfs=1095,
                       corosync=1137, cron=1143, qmgr=1161, pve_firewall=1169, pvestatd=1174,
                       pvedaemon=1181, pve_ha_crm=1187, pveproxy=1196, spiceproxy=1203,
                       pve_ha_lrm=1212, pvescheduler=1228),
             workers=dict(pvedaemon=[870345, 884519, 893760], pveproxy=[889120, 894233, 896011],
                          spiceproxy=[610442])),
    ],
}

# ---------------------------------------------------------------------------
# 2. the story
# ---------------------------------------------------------------------------

# Clean reboots requested by root over ssh from the admin workstation.
REBOOTS = [
    dict(node="proxmox2", login="08:09:31.412", port=52814, request="08:09:52.187",
         lrm_exit="08:10:42.913", corosync_stop="08:10:47.951", journal_stop="08:10:51.322",
         next_t0="08:11:01.043"),
    dict(node="proxmox", login="08:14:31.208", port=53190, request="08:14:55.391",
         lrm_exit="08:15:35.128", corosync_stop="08:15:37.402", journal_stop="08:15:40.617",
         next_t0="08:16:39.204"),
]

# How the rebooted node comes back (offsets are absolute times on that node).
REJOINS = [
    dict(node="proxmox2", pmxcfs_start="08:11:17.312", corosync_start="08:11:18.581",
         singleton="08:11:19.047", links_up="08:11:19.284", merged="08:11:19.812",
         pmxcfs_connect="08:11:23.391", ha_start="08:11:24.962", lrm_active="08:11:45.004",
         startup=dict(firmware=7.104, loader=1.893, kernel=3.912, userspace=26.388)),
    dict(node="proxmox", pmxcfs_start="08:17:11.553", corosync_start="08:17:12.627",
         singleton="08:17:13.069", links_up="08:17:13.301", merged="08:17:13.843",
         pmxcfs_connect="08:17:17.604", ha_start="08:17:20.088", lrm_active="08:17:40.121",
         startup=dict(firmware=None, loader=None, kernel=4.377, userspace=40.211)),
]

# Totem rings.  Before the window everybody is in ring 1.1e2.
RINGS = dict(initial=0x1e2)

# HA service moves, all driven by the CRM master on proxmox3.
#   decide = CRM round that changes the state, start/end = source LRM worker
#   task, done = CRM round that sets 'started' on the target.
MOVES = [
    # proxmox2 goes into maintenance (shutdown_policy=migrate)
    dict(sid="vm:101", src="proxmox2", dst="proxmox", why="maintenance",
         decide="08:09:58.214", start="08:10:02.871", end="08:10:35.903", done="08:10:38.216"),
    dict(sid="ct:104", src="proxmox2", dst="proxmox3", why="maintenance",
         decide="08:09:58.216", start="08:10:02.894", end="08:10:09.317", done="08:10:18.215",
         ct_start="08:10:20.633"),
    # proxmox2 is back: services return to it
    dict(sid="ct:104", src="proxmox3", dst="proxmox2", why="back",
         decide="08:11:28.219", start="08:11:30.641", end="08:11:37.986", done="08:11:38.214",
         ct_start="08:11:45.031"),
    dict(sid="vm:101", src="proxmox", dst="proxmox2", why="back",
         decide="08:11:28.221", start="08:11:31.552", end="08:12:22.748", done="08:12:28.219"),
    # proxmox goes into maintenance
    dict(sid="vm:100", src="proxmox", dst="proxmox2", why="maintenance",
         decide="08:14:58.213", start="08:15:05.127", end="08:15:27.951", done="08:15:28.214"),
    dict(sid="ct:102", src="proxmox", dst="proxmox3", why="maintenance",
         decide="08:14:58.215", start="08:15:05.149", end="08:15:12.604", done="08:15:18.217",
         ct_start="08:15:20.637"),
    # proxmox is back
    dict(sid="ct:102", src="proxmox3", dst="proxmox", why="back",
         decide="08:17:28.216", start="08:17:30.644", end="08:17:37.902", done="08:17:38.213",
         ct_start="08:17:40.158"),
    dict(sid="vm:100", src="proxmox2", dst="proxmox", why="back",
         decide="08:17:28.218", start="08:17:34.998", end="08:17:59.412", done="08:18:08.215"),
]

# Node state changes logged by the CRM master.
NODE_STATES = [
    ("08:09:58.213", "proxmox2", "online", "maintenance"),
    ("08:11:28.218", "proxmox2", "maintenance", "online"),
    ("08:14:58.212", "proxmox", "online", "maintenance"),
    ("08:17:28.215", "proxmox", "maintenance", "online"),
]

# Gotify is unreachable from 08:11 to 08:14:30 (10 s ureq global timeout each).
NOTIFY_FAILURES = [
    ("proxmox3", "pve-ha-crm", "08:11:02.337"),
    ("proxmox", "pvescheduler", "08:11:11.604"),
    ("proxmox3", "pve-ha-crm", "08:11:48.912"),
    ("proxmox", "pvescheduler", "08:12:11.873"),
    ("proxmox3", "pve-ha-crm", "08:12:39.205"),
    ("proxmox", "pvescheduler", "08:13:12.091"),
    ("proxmox3", "pve-ha-crm", "08:13:31.760"),
    ("proxmox", "pvescheduler", "08:14:12.455"),
    ("proxmox3", "pve-ha-crm", "08:14:22.118"),
]
NOTIFY_TARGET = "gotify"

# pvestatd on proxmox is slow while the migrations saturate the LAN.
PVESTATD_SLOW = [
    ("proxmox", "08:11:47.118", 7.214),
    ("proxmox", "08:12:29.455", 11.032),
    ("proxmox", "08:13:18.902", 6.377),
    ("proxmox", "08:14:08.233", 8.905),
    ("proxmox2", "07:51:14.620", 5.118),   # an unrelated NFS hiccup earlier on
]

# systemctl run by guest clean-up helpers of a shutting-down node after dbus is gone
# (pve-guests' own one is placed by reboot()).
BUS_ERRORS = [
    ("proxmox2", "08:10:06.811", "pve-ha-lrm.service"),
    ("proxmox2", "08:10:34.607", "pve-ha-lrm.service"),
    ("proxmox", "08:15:09.233", "pve-ha-lrm.service"),
    ("proxmox", "08:15:26.722", "pve-ha-lrm.service"),
]

RETRANSMITS = [
    ("08:10:21.553", ["proxmox", "proxmox3"], "3c4d"),
    ("08:12:03.118", ["proxmox", "proxmox2", "proxmox3"], "4a17"),
]

# ---------------------------------------------------------------------------
# 3. log model
# ---------------------------------------------------------------------------

UTC = datetime.timezone.utc
DAY = datetime.datetime(2025, 11, 25, tzinfo=UTC)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def T(s):
    """'08:10:48.062' (on 2025-11-25) or 'YYYY-MM-DD HH:MM:SS.mmm' -> µs since epoch."""
    if " " in s:
        d, s = s.split(" ")
        y, mo, da = (int(x) for x in d.split("-"))
        base = datetime.datetime(y, mo, da, tzinfo=UTC)
    else:
        base = DAY
    hh, mm, ss = s.split(":")
    sec, _, frac = ss.partition(".")
    frac = (frac + "000000")[:6]
    dt = base + datetime.timedelta(hours=int(hh), minutes=int(mm), seconds=int(sec),
                                   microseconds=int(frac))
    return (dt - EPOCH) // datetime.timedelta(microseconds=1)


def S(sec):
    """seconds -> µs"""
    return int(round(sec * 1_000_000))


def rng_for(*parts):
    return random.Random("%d:%s" % (SEED, ":".join(str(p) for p in parts)))


def hexid(*parts, n=32):
    return hashlib.sha256(("%d:" % SEED + ":".join(str(p) for p in parts)).encode()).hexdigest()[:n]


def id128(*parts):
    h = list(hexid(*parts))
    h[12] = "4"
    h[16] = "89ab"[int(h[16], 16) & 3]
    return "".join(h)


def utc(t):
    return EPOCH + datetime.timedelta(microseconds=t)


def syslog_stamp(t):
    d = utc(t)
    return "%s %2d %02d:%02d:%02d" % (MONTHS[d.month - 1], d.day, d.hour, d.minute, d.second)


class Proc:
    """A process that logs: how journald would describe it."""

    def __init__(self, ident, pid, comm, exe, cmdline, unit=None, facility=3,
                 transport="syslog", uid=0, slice_=None, cgroup=None, syslog_pid=True):
        self.ident, self.pid, self.comm, self.exe, self.cmdline = ident, pid, comm, exe, cmdline
        self.unit, self.facility, self.transport, self.uid = unit, facility, transport, uid
        self.slice, self.cgroup, self.syslog_pid = slice_, cgroup, syslog_pid

    def fork(self, pid, **kw):
        p = Proc(self.ident, pid, self.comm, self.exe, self.cmdline, self.unit, self.facility,
                 self.transport, self.uid, self.slice, self.cgroup, self.syslog_pid)
        for k, v in kw.items():
            setattr(p, k, v)
        return p


PERL = "/usr/bin/perl"

# name -> (ident, comm, exe, cmdline, unit, facility, transport)
PROC_TABLE = {
    "systemd": ("systemd", "systemd", "/usr/lib/systemd/systemd", "/sbin/init", "init.scope", 3, "journal"),
    "journald": ("systemd-journald", "systemd-journal", "/usr/lib/systemd/systemd-journald",
                 "/lib/systemd/systemd-journald", "systemd-journald.service", 3, "driver"),
    "logind": ("systemd-logind", "systemd-logind", "/usr/lib/systemd/systemd-logind",
               "/lib/systemd/systemd-logind", "systemd-logind.service", 4, "journal"),
    "rsyslogd": ("rsyslogd", "rsyslogd", "/usr/sbin/rsyslogd", "/usr/sbin/rsyslogd -n -iNONE",
                 "rsyslog.service", 5, "journal"),
    "sshd": ("sshd", "sshd", "/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
             "ssh.service", 4, "syslog"),
    "cron": ("cron", "cron", "/usr/sbin/cron", "/usr/sbin/cron -f", "cron.service", 9, "syslog"),
    "chronyd": ("chronyd", "chronyd", "/usr/sbin/chronyd", "/usr/sbin/chronyd -F 1", "chrony.service", 3, "syslog"),
    "smartd": ("smartd", "smartd", "/usr/sbin/smartd", "/usr/sbin/smartd -n", "smartmontools.service", 3, "syslog"),
    "zed": ("zed", "zed", "/usr/sbin/zed", "/usr/sbin/zed -F", "zfs-zed.service", 3, "syslog"),
    "qmeventd": ("qmeventd", "qmeventd", "/usr/sbin/qmeventd", "/usr/sbin/qmeventd /var/run/qmeventd.sock",
                 "qmeventd.service", 3, "stdout"),
    "watchdog_mux": ("watchdog-mux", "watchdog-mux", "/usr/sbin/watchdog-mux", "/usr/sbin/watchdog-mux",
                     "watchdog-mux.service", 3, "stdout"),
    "qmgr": ("postfix/qmgr", "qmgr", "/usr/lib/postfix/sbin/qmgr", "qmgr -l -t unix -u",
             "postfix@-.service", 2, "syslog"),
    "udevadm": ("udevadm", "udevadm", "/usr/bin/udevadm", "udevadm settle", "systemd-udev-settle.service", 3,
                "journal"),
    "pmxcfs": ("pmxcfs", "pmxcfs", "/usr/bin/pmxcfs", "/usr/bin/pmxcfs", "pve-cluster.service", 3, "syslog"),
    "corosync": ("corosync", "corosync", "/usr/sbin/corosync", "/usr/sbin/corosync -f", "corosync.service", 3, "syslog"),
    "pve_firewall": ("pve-firewall", "pve-firewall", PERL, "pve-firewall", "pve-firewall.service", 3, "syslog"),
    "pvestatd": ("pvestatd", "pvestatd", PERL, "pvestatd", "pvestatd.service", 3, "syslog"),
    "pvedaemon": ("pvedaemon", "pvedaemon", PERL, "pvedaemon", "pvedaemon.service", 3, "syslog"),
    "pveproxy": ("pveproxy", "pveproxy", PERL, "pveproxy", "pveproxy.service", 3, "syslog"),
    "spiceproxy": ("spiceproxy", "spiceproxy", PERL, "spiceproxy", "spiceproxy.service", 3, "syslog"),
    "pve_ha_crm": ("pve-ha-crm", "pve-ha-crm", PERL, "pve-ha-crm", "pve-ha-crm.service", 3, "syslog"),
    "pve_ha_lrm": ("pve-ha-lrm", "pve-ha-lrm", PERL, "pve-ha-lrm", "pve-ha-lrm.service", 3, "syslog"),
    "pvescheduler": ("pvescheduler", "pvescheduler", PERL, "pvescheduler", "pvescheduler.service", 3, "syslog"),
}
WORKER_COMM = {"pvedaemon": ("pvedaemon worke", "pvedaemon worker"),
               "pveproxy": ("pveproxy worker", "pveproxy worker"),
               "spiceproxy": ("spiceproxy work", "spiceproxy worker")}


def unit_cgroup(unit, slice_):
    if unit == "init.scope":
        return "/init.scope"
    if slice_ == "user-0.slice":
        return "/user.slice/user-0.slice/" + unit
    return "/system.slice/" + unit


class Boot:
    def __init__(self, node, idx, spec):
        self.node, self.idx = node, idx
        self.t0 = T(spec["t0"])
        self.start = self.t0
        self.end = None
        self.boot_id = id128(node.name, "boot", idx)
        self.pid_anchor_t = T(WINDOW_START) if idx == 0 else self.t0 + S(30)
        self.pid_anchor, self.pid_rate = spec["pid_anchor"], spec["pid_rate"]
        self.session_next = spec["session"]
        self.used_pids = set()
        self.audit_serial = 1400 if idx == 0 else 60
        self.bridge_ports = {}
        self.loops = {}
        self.procs = {}
        for key, pid in spec["pids"].items():
            self.used_pids.add(pid)
            if key in PROC_TABLE:
                ident, comm, exe, cmdline, unit, fac, tr = PROC_TABLE[key]
                self.procs[key] = Proc(ident, pid, comm, exe, cmdline, unit, fac, tr)
        ident, comm, exe, cmdline, unit, fac, tr = PROC_TABLE["systemd"]
        self.procs["systemd"] = Proc(ident, 1, comm, exe, cmdline, unit, fac, tr)
        self.workers = {k: list(v) for k, v in spec["workers"].items()}
        self.initial_workers = {k: list(v) for k, v in spec["workers"].items()}
        for v in self.workers.values():
            self.used_pids.update(v)

    def mono(self, t):
        return t - self.t0

    def newpid(self, t, salt=""):
        """PIDs grow with time, like a real pid counter (pid_rate forks per second)."""
        pid = self.pid_anchor + int(self.pid_rate * (t - self.pid_anchor_t) / 1e6)
        pid = max(pid, 300)
        while pid in self.used_pids:
            pid += 1
        self.used_pids.add(pid)
        return pid

    def invocation(self, unit, gen=0):
        return id128(self.node.name, self.boot_id, "inv", unit, gen)

    def bridge_port(self, dev):
        if dev not in self.bridge_ports:
            used = set(self.bridge_ports.values())
            n = 1
            while n in used:
                n += 1
            self.bridge_ports[dev] = n
        return self.bridge_ports[dev]

    def bridge_release(self, dev):
        return self.bridge_ports.pop(dev)


class Node:
    def __init__(self, name):
        self.name = name
        info = NODES[name]
        self.nodeid, self.ip, self.hw = info["nodeid"], info["ip"], info["hw"]
        self.machine_id = id128(name, "machine-id")
        self.seqnum_id = id128(name, "seqnum-id")
        self.seqnum0 = {"proxmox": 4318227, "proxmox2": 7112904, "proxmox3": 1604377}[name]
        self.boots = [Boot(self, i, spec) for i, spec in enumerate(BOOTS[name])]
        for a, b in zip(self.boots, self.boots[1:]):
            a.end = b.t0 - 1
        self.entries = []
        self.sessions = []
        self.rsyslog = []        # (start, stop) of rsyslogd per boot
        self.order = 0

    def boot_at(self, t):
        for b in self.boots:
            if b.t0 <= t and (b.end is None or t <= b.end):
                return b
        raise ValueError("%s: no boot at %s" % (self.name, utc(t)))

    def proc(self, t, key):
        return self.boot_at(t).procs[key]

    def add(self, e):
        self.order += 1
        e["order"] = self.order
        self.entries.append(e)
        return e


NODE = {n: Node(n) for n in NODE_ORDER}


def jit(node, t, salt="", lo=0, hi=999):
    """sub-millisecond jitter so that every timestamp has a realistic µs part."""
    return t + rng_for(node.name if isinstance(node, Node) else node, t, salt).randint(lo, hi)


def log(node, t, proc, msg, prio=6, facility=None, fields=None, ident=None):
    """One log record of a user-space process."""
    if isinstance(node, str):
        node = NODE[node]
    if isinstance(proc, str):
        proc = node.proc(t, proc)
    return node.add(dict(t=t, kind=proc.transport, proc=proc, msg=msg, prio=prio,
                         facility=proc.facility if facility is None else facility,
                         fields=fields or [], ident=ident or proc.ident))


def klog(node, t, msg, prio=6, printk=None):
    """One kernel ring buffer record; printk is its uptime stamp in µs."""
    if isinstance(node, str):
        node = NODE[node]
    b = node.boot_at(t)
    if printk is None:
        printk = b.mono(t) - rng_for(node.name, t, "printk").randint(20, 400)
    return node.add(dict(t=t, kind="kernel", proc=None, msg=msg, prio=prio, facility=0,
                         fields=[], ident="kernel", printk=printk))


def seq(t, step_ms=0.4, spread=0.3):
    """Generator of increasing times starting at t (µs), ~step_ms apart."""
    r = rng_for("seq", t, step_ms)
    cur = t
    while True:
        yield cur
        cur += S(step_ms / 1000.0 * (1 - spread + 2 * spread * r.random())) + 1


# ---------------------------------------------------------------------------
# 4. building blocks
# ---------------------------------------------------------------------------

# --- systemd -----------------------------------------------------------------

MID = dict(starting="7d4958e842da4a758f6c1cdc7b36dcc5", started="39f53479d3a045ac8e11786248231fbf",
           stopping="de5b426a63be47a7b6ac3eaac82e2f6f", stopped="9d1aaa27d60140bd96365438aad20286",
           success="7ad2d189f7e94e70a38c781354912448", resources="ae8f7b866b0347b9af31fe1c80b127c0",
           startup="b07a249cd024414a82dd00cd181378ff", journal_start="f77379a8490b408bbe5f6940505a777b",
           journal_stop="d93fb3c9c24d451a97cea615ce59c00b", session_start="8d45620c1a4348dbb17410da57c60c66",
           session_stop="3354939424b4456d9802ca8333ed424a", shutdown="98268866d1d54a499c4e98921d93bc40",
           shutdown_scheduled="9e7066279dc8403da79ce4b1a69064b2",
           user_startup="eed00a68ffd84e31882105fd973abdd1")

UNIT_DESC = {
    "pve-cluster.service": "The Proxmox VE cluster filesystem",
    "corosync.service": "Corosync Cluster Engine",
    "pve-ha-lrm.service": "PVE Local HA Resource Manager Daemon",
    "pve-ha-crm.service": "PVE Cluster HA Resource Manager Daemon",
    "watchdog-mux.service": "Proxmox VE watchdog multiplexer",
    "pve-guests.service": "PVE guests",
    "pvedaemon.service": "PVE API Daemon",
    "pveproxy.service": "PVE API Proxy Server",
    "spiceproxy.service": "PVE SPICE Proxy Server",
    "pvestatd.service": "PVE Status Daemon",
    "pve-firewall.service": "Proxmox VE firewall",
    "pvescheduler.service": "Proxmox VE scheduler",
    "pve-lxc-syscalld.service": "Proxmox VE LXC Syscall Daemon",
    "qmeventd.service": "PVE Qemu Event Daemon",
    "pvebanner.service": "Proxmox VE Login Banner",
    "pvenetcommit.service": "Commit Proxmox VE network changes",
    "pvefw-logger.service": "Proxmox VE firewall logger",
    "rrdcached.service": "LSB: start or stop rrdcached",
    "lxc.service": "LXC Container Initialization and Autoboot Code",
    "lxc-monitord.service": "LXC Container Monitoring Daemon",
    "lxcfs.service": "FUSE filesystem for LXC",
    "lxc-net.service": "LXC network bridge setup",
    "ksmtuned.service": "Kernel Samepage Merging (KSM) Tuning Daemon",
    "zfs-zed.service": "ZFS Event Daemon (zed)",
    "zfs-import-cache.service": "Import ZFS pools by cache file",
    "zfs-mount.service": "Mount ZFS filesystems",
    "zfs-share.service": "ZFS file system shares",
    "smartmontools.service": "Self Monitoring and Reporting Technology (SMART) Daemon",
    "postfix@-.service": "Postfix Mail Transport Agent (instance -)",
    "postfix.service": "Postfix Mail Transport Agent",
    "cron.service": "Regular background program processing daemon",
    "ssh.service": "OpenBSD Secure Shell server",
    "rsyslog.service": "System Logging Service",
    "chrony.service": "chrony, an NTP client/server",
    "systemd-logind.service": "User Login Management",
    "dbus.service": "D-Bus System Message Bus",
    "networking.service": "Network initialization",
    "rpcbind.service": "RPC bind portmap service",
    "getty@tty1.service": "Getty on tty1",
    "systemd-journal-flush.service": "Flush Journal to Persistent Storage",
    "systemd-tmpfiles-clean.service": "Cleanup of Temporary Directories",
    "systemd-update-utmp.service": "Record System Boot/Shutdown in UTMP",
    "systemd-update-utmp-runlevel.service": "Record Runlevel Change in UTMP",
    "systemd-random-seed.service": "Load/Save Random Seed",
    "systemd-timesyncd.service": "Network Time Synchronization",
    "apt-daily.service": "Daily apt download activities",
    "pve-daily-update.service": "Daily PVE download activities",
    "user@0.service": "User Manager for UID 0",
    "user-runtime-dir@0.service": "User Runtime Directory /run/user/0",
    "mnt-pve-nas.mount": "/mnt/pve/nas",
    "systemd-reboot.service": "System Reboot",
    "proxmox-boot-cleanup.service": "Clean up bootloader next-boot setting",
    "open-iscsi.service": "Login to default iSCSI targets",
    "iscsid.service": "iSCSI initiator daemon (iscsid)",
    "nfs-blkmap.service": "pNFS block layout mapping daemon",
    "blk-availability.service": "Availability of block devices",
    "lvm2-monitor.service": "Monitoring of LVM2 mirrors, snapshots etc. using dmeventd or progress polling",
    "systemd-udev-settle.service": "Wait for udev To Complete Device Initialization",
}
TARGET_DESC = {
    "multi-user.target": "Multi-User System", "graphical.target": "Graphical Interface",
    "getty.target": "Login Prompts", "timers.target": "Timer Units",
    "pve-storage.target": "PVE Storage Target", "network-online.target": "Network is Online",
    "network.target": "Network", "remote-fs.target": "Remote File Systems",
    "local-fs.target": "Local File Systems", "sysinit.target": "System Initialization",
    "basic.target": "Basic System", "sockets.target": "Socket Units",
    "paths.target": "Path Units", "shutdown.target": "System Shutdown",
    "final.target": "Late Shutdown Services", "reboot.target": "System Reboot",
    "zfs-import.target": "ZFS pool import target", "zfs.target": "ZFS startup target",
    "time-set.target": "System Time Set", "nss-lookup.target": "Host and Network Name Lookups",
    "rpcbind.target": "RPC Port Mapper", "cryptsetup.target": "Local Encrypted Volumes",
    "swap.target": "Swaps", "slices.target": "Slice Units", "umount.target": "Unmount All Filesystems",
    "nfs-client.target": "NFS client services", "remote-fs-pre.target": "Preparation for Remote File Systems",
    "network-pre.target": "Preparation for Network", "time-sync.target": "System Time Synchronized",
}


def unit_name(unit):
    d = UNIT_DESC.get(unit) or TARGET_DESC.get(unit)
    if unit.startswith("pve-container@"):
        d = "PVE LXC Container: " + unit[len("pve-container@"):-len(".service")]
    return "%s - %s" % (unit, d) if d else unit


def sd(node, t, msg, unit=None, mid=None, prio=6):
    fields = []
    if mid:
        fields.append(("MESSAGE_ID", MID[mid]))
    if unit:
        fields.append(("UNIT", unit))
    return log(node, t, "systemd", msg, prio, fields=fields)


def sd_starting(node, t, unit):
    sd(node, t, "Starting %s..." % unit_name(unit), unit, "starting")


def sd_started(node, t, unit, verb="Started"):
    sd(node, t, "%s %s." % (verb, unit_name(unit)), unit, "started")


def sd_start(node, t, unit, dur=0.05, verb="Started"):
    sd_starting(node, t, unit)
    sd_started(node, t + S(dur), unit, verb)


def sd_target(node, t, target, verb="Reached"):
    sd(node, t, "%s target %s." % (verb, unit_name(target)), target)


def fmt_cpu(sec):
    """systemd format_timespan() with msec accuracy, e.g. '2h 41min 3.118s'."""
    ms = int(round(sec * 1000))
    d, ms = divmod(ms, 86400000)
    h, ms = divmod(ms, 3600000)
    m, ms = divmod(ms, 60000)
    s, ms = divmod(ms, 1000)
    parts = []
    if d:
        parts.append("%dd" % d)
    if h:
        parts.append("%dh" % h)
    if m:
        parts.append("%dmin" % m)
    if s or ms or not parts:
        parts.append(("%d.%03ds" % (s, ms)).replace(".000s", "s"))
    return " ".join(parts)


def sd_stopping(node, t, unit):
    sd(node, t, "Stopping %s..." % unit_name(unit), unit, "stopping")


def sd_stopped(node, t, unit, cpu=None):
    it = seq(t, 0.05)
    sd(node, next(it), "%s: Deactivated successfully." % unit, unit, "success")
    sd(node, next(it), "Stopped %s." % unit_name(unit), unit, "stopped")
    if cpu is not None:
        sd(node, next(it), "%s: Consumed %s CPU time." % (unit, fmt_cpu(cpu)), unit, "resources")


def sd_stop(node, t, unit, dur=0.02, cpu=None):
    sd_stopping(node, t, unit)
    sd_stopped(node, t + S(dur), unit, cpu)


def systemctl_bus_error(node, t, unit):
    """systemctl run from a unit while dbus is already gone during shutdown."""
    b = NODE[node].boot_at(t)
    p = Proc("systemctl", b.newpid(t, "systemctl"), "systemctl", "/usr/bin/systemctl",
             "systemctl", unit, 3, "journal")
    log(node, t, p, "Failed to connect to system bus: Broken pipe", 3,
        fields=[("ERRNO", "32")])


# --- perl daemons, tasks ---------------------------------------------------------

def upid(node, t, pid, dtype, gid=""):
    b = NODE[node].boot_at(t)
    pstart = b.mono(t) // 10000        # jiffies (USER_HZ 100)
    return "UPID:%s:%08X:%08X:%08X:%s:%s:root@pam:" % (node, pid, pstart, t // 1_000_000, dtype, gid)


CFG_DELAY = 0.0712      # corosync.service ExecStop (cfgtool -H) -> '[CFG] Node N was shut down'


def in_cpg(node, t):
    """Is pmxcfs on this node a member of the cluster CPG groups at t?
    It leaves when corosync goes away under it and is back once it reconnected."""
    for rb, rj in zip(REBOOTS, REJOINS):
        if rb["node"] == node and T(rb["corosync_stop"]) + S(CFG_DELAY + 0.007) <= t < T(rj["pmxcfs_connect"]):
            return False
    return True


def cluster_log_echo(node, t):
    """A cluster log entry written on `node` is delivered to all other pmxcfs."""
    if not in_cpg(node, t):
        return
    for other in NODE_ORDER:
        if other != node and in_cpg(other, t):
            log(other, jit(other, t + S(0.0012), "rlog", 0, 2600), "pmxcfs", "[status] notice: received log", 5)


def task_start(node, t, proc, upid_s):
    log(node, t, proc, "<root@pam> starting task %s" % upid_s)
    cluster_log_echo(node, t)


def task_end(node, t, proc, upid_s, status="OK"):
    log(node, t, proc, "<root@pam> end task %s %s" % (upid_s, status))
    cluster_log_echo(node, t)


def spawn(node, t, key, salt="", **kw):
    """A short-lived process with the identity of daemon `key` (a forked worker)."""
    b = NODE[node].boot_at(t)
    ident, comm, exe, cmdline, unit, fac, tr = PROC_TABLE[key]
    p = Proc(ident, b.newpid(t, salt or key), comm, exe, cmdline, unit, fac, tr)
    for k, v in kw.items():
        setattr(p, k, v)
    return p


def daemon_start(node, t, key, workers=0):
    b = NODE[node].boot_at(t)
    it = seq(t, 1.5)
    p = b.procs[key]
    log(node, next(it), p, "starting server")
    if workers:
        log(node, next(it), p, "starting %d worker(s)" % workers)
        for w in b.initial_workers[key][:workers]:
            log(node, next(it), p, "worker %d started" % w)


def daemon_stop(node, t, key, workers=True, dur=0.35):
    b = NODE[node].boot_at(t)
    p = b.procs[key]
    it = seq(t, 0.8)
    log(node, next(it), p, "received signal TERM")
    log(node, next(it), p, "server closing")
    if workers and key in b.workers:
        comm, cmdline = WORKER_COMM[key]
        for w in b.workers[key]:
            log(node, next(it), p.fork(w, comm=comm, cmdline=cmdline), "worker exit")
        it = seq(t + S(dur), 0.6)
        for w in b.workers[key]:
            log(node, next(it), p, "worker %d finished" % w)
    log(node, next(it), p, "server stopped")


# --- corosync -------------------------------------------------------------------

def cs(node, t, subsys, msg, prio=5):
    log(node, t, "corosync", "  [%-6s] %s" % (subsys, msg), prio)


def ring(seq_no, rep):
    return "%x.%x" % (rep, seq_no)


def corosync_startup(node, t_start, t_singleton, t_links, t_merged, ring_single, ring_merged):
    me = NODE[node].nodeid
    peers = [NODE[n].nodeid for n in NODE_ORDER if n != node]
    it = seq(t_start, 1.1)
    cs(node, next(it), "MAIN", "Corosync Cluster Engine %s starting up" % COROSYNC_VERSION)
    cs(node, next(it), "MAIN", "Corosync built-in features: dbus monitoring watchdog systemd xmlconf "
                               "vqsim nozzle snmp pie relro bindnow", 6)
    cs(node, next(it), "TOTEM", "Initializing transport (Kronosnet).")
    it = seq(next(it) + S(0.21), 0.9)
    cs(node, next(it), "TOTEM", "totemknet initialized", 6)
    cs(node, next(it), "KNET", "common: crypto_nss.so has been loaded from "
                               "/usr/lib/x86_64-linux-gnu/kronosnet/crypto_nss.so", 6)
    for i, (name, q) in enumerate([("corosync configuration map access [0]", "cmap"),
                                   ("corosync configuration service [1]", "cfg"),
                                   ("corosync cluster closed process group service v1.01 [2]", "cpg")]):
        cs(node, next(it), "SERV", "Service engine loaded: " + name)
        cs(node, next(it), "QB", "server name: " + q, 6)
    cs(node, next(it), "SERV", "Service engine loaded: corosync profile loading service [4]")
    cs(node, next(it), "SERV", "Service engine loaded: corosync resource monitoring service [6]")
    cs(node, next(it), "WD", "Watchdog not enabled by configuration", 4)
    cs(node, next(it), "WD", "resource load_15min missing a recovery key.", 4)
    cs(node, next(it), "WD", "resource memory_used missing a recovery key.", 4)
    cs(node, next(it), "WD", "no resources configured.", 6)
    cs(node, next(it), "SERV", "Service engine loaded: corosync watchdog service [7]")
    cs(node, next(it), "QUORUM", "Using quorum provider corosync_votequorum")
    cs(node, next(it), "SERV", "Service engine loaded: corosync vote quorum service v1.0 [5]")
    cs(node, next(it), "QB", "server name: votequorum", 6)
    cs(node, next(it), "SERV", "Service engine loaded: corosync cluster quorum service v0.1 [3]")
    cs(node, next(it), "QB", "server name: quorum", 6)
    cs(node, next(it), "TOTEM", "Configuring link 0", 6)
    cs(node, next(it), "TOTEM", "Configured link number 0: local addr: %s, port=5405" % NODE[node].ip, 6)
    cs(node, next(it), "KNET", "link: Resetting MTU for link 0 because host %d joined" % me, 6)
    for p in peers:
        for pri in (0, 1):
            cs(node, next(it), "KNET", "host: host: %d (passive) best link: 0 (pri: %d)" % (p, pri), 6)
            cs(node, next(it), "KNET", "host: host: %d has no active links" % p, 4)
    # the node forms its own one-member ring first ...
    it = seq(t_singleton - S(0.0009), 0.3)
    cs(node, next(it), "QUORUM", "Sync members[1]: %d" % me)
    cs(node, next(it), "QUORUM", "Sync joined[1]: %d" % me)
    cs(node, next(it), "TOTEM", "A new membership (%s) was formed. Members joined: %d" % (ring_single, me))
    cs(node, next(it), "QUORUM", "Members[1]: %d" % me)
    cs(node, next(it), "MAIN", "Completed service synchronization, ready to provide service.")
    sd_started(node, next(it) + S(0.0021), "corosync.service")
    # ... then the knet links come up and the full ring forms
    it = seq(t_links, 2.3)
    for p in sorted(peers, reverse=True):
        cs(node, next(it), "KNET", "rx: host: %d link: 0 is up" % p, 6)
        cs(node, next(it), "KNET", "link: Resetting MTU for link 0 because host %d joined" % p, 6)
        cs(node, next(it), "KNET", "host: host: %d (passive) best link: 0 (pri: 1)" % p, 6)
    it = seq(t_links + S(0.118), 1.7)
    for p in sorted(peers, reverse=True):
        cs(node, next(it), "KNET", "pmtud: PMTUD link change for host: %d link: 0 from 469 to 1397" % p, 6)
    cs(node, next(it), "KNET", "pmtud: Global data MTU changed to: 1397", 6)
    allm = sorted(peers + [me])
    it = seq(t_merged - S(0.0011), 0.25)
    cs(node, next(it), "QUORUM", "Sync members[3]: %s" % " ".join(map(str, allm)))
    cs(node, next(it), "QUORUM", "Sync joined[2]: %s" % " ".join(map(str, peers)))
    cs(node, next(it), "TOTEM", "A new membership (%s) was formed. Members joined: %s"
       % (ring_merged, " ".join(map(str, peers))))
    cs(node, next(it), "QUORUM", "This node is within the primary component and will provide service.")
    cs(node, next(it), "QUORUM", "Members[3]: %s" % " ".join(map(str, allm)))
    cs(node, next(it), "MAIN", "Completed service synchronization, ready to provide service.")


def corosync_peer_joined(node, who, t_links, t_merged, ring_merged):
    nid = NODE[who].nodeid
    allm = sorted(NODE[n].nodeid for n in NODE_ORDER)
    it = seq(jit(node, t_links + S(0.009), "kup"), 0.6)
    cs(node, next(it), "KNET", "rx: host: %d link: 0 is up" % nid, 6)
    cs(node, next(it), "KNET", "link: Resetting MTU for link 0 because host %d joined" % nid, 6)
    cs(node, next(it), "KNET", "host: host: %d (passive) best link: 0 (pri: 1)" % nid, 6)
    cs(node, jit(node, t_links + S(0.131), "pmtu"), "KNET",
       "pmtud: PMTUD link change for host: %d link: 0 from 469 to 1397" % nid, 6)
    it = seq(jit(node, t_merged - S(0.0012), "sync", 0, 300), 0.25)
    cs(node, next(it), "QUORUM", "Sync members[3]: %s" % " ".join(map(str, allm)))
    cs(node, next(it), "QUORUM", "Sync joined[1]: %d" % nid)
    cs(node, next(it), "TOTEM", "A new membership (%s) was formed. Members joined: %d" % (ring_merged, nid))
    cs(node, next(it), "QUORUM", "Members[3]: %s" % " ".join(map(str, allm)))
    cs(node, next(it), "MAIN", "Completed service synchronization, ready to provide service.")


def corosync_shutdown(node, t):
    """Leaving node: ExecStop=corosync-cfgtool -H --force, then SIGTERM from systemd."""
    peers = [NODE[n].nodeid for n in NODE_ORDER if n != node]
    it = seq(t, 0.9)
    cs(node, next(it), "MAIN", "Node was shut down by a signal")
    cs(node, next(it), "SERV", "Unloading all Corosync service engines.")
    for name, qb in [("corosync vote quorum service v1.0", True),
                     ("corosync configuration map access", True),
                     ("corosync configuration service", True),
                     ("corosync cluster closed process group service v1.01", True),
                     ("corosync cluster quorum service v0.1", True),
                     ("corosync profile loading service", False),
                     ("corosync resource monitoring service", False),
                     ("corosync watchdog service", False)]:
        if qb:
            cs(node, next(it), "QB", "withdrawing server sockets", 6)
        cs(node, next(it), "SERV", "Service engine unloaded: " + name)
    it = seq(t + S(0.61), 0.7)
    for p in peers:
        cs(node, next(it), "KNET", "host: host: %d (passive) best link: 0 (pri: 0)" % p, 6)
        cs(node, next(it), "KNET", "host: host: %d has no active links" % p, 4)
    cs(node, t + S(0.672), "MAIN", "Corosync Cluster Engine exiting normally")


def corosync_peer_left(node, who, t_form, ring_s):
    nid = NODE[who].nodeid
    rest = sorted(NODE[n].nodeid for n in NODE_ORDER if n != who)
    it = seq(jit(node, t_form - S(0.0013), "left", 0, 300), 0.3)
    cs(node, next(it), "QUORUM", "Sync members[2]: %s" % " ".join(map(str, rest)))
    cs(node, next(it), "QUORUM", "Sync left[1]: %d" % nid)
    cs(node, next(it), "TOTEM", "A new membership (%s) was formed. Members left: %d" % (ring_s, nid))
    cs(node, next(it), "QUORUM", "Members[2]: %s" % " ".join(map(str, rest)))
    cs(node, next(it), "MAIN", "Completed service synchronization, ready to provide service.")
    # knet notices the silent link after its pong timeout
    it = seq(jit(node, t_form + S(2.147), "kdown"), 0.5)
    cs(node, next(it), "KNET", "link: host: %d link: 0 is down" % nid, 6)
    cs(node, next(it), "KNET", "host: host: %d (passive) best link: 0 (pri: 1)" % nid, 6)
    cs(node, next(it), "KNET", "host: host: %d has no active links" % nid, 4)


# --- pmxcfs ---------------------------------------------------------------------

def cfs(node, t, dom, prio, msg):
    log(node, t, "pmxcfs", "[%s] %s: %s" % (dom, prio, msg), 2 if prio == "crit" else 5)


def members_str(pairs):
    return ", ".join("%d/%d" % p for p in sorted(pairs))


def pmxcfs_sync(node, t, members, epoch, leader, synced, role, updates):
    """dfsm confchg + state exchange on one node.  role: leader|synced|joiner"""
    it = seq(t, 0.35)
    ms = members_str(members)
    cfs(node, next(it), "dcdb", "notice", "members: " + ms)
    cfs(node, next(it), "dcdb", "notice", "starting data syncronisation")
    cfs(node, next(it), "status", "notice", "members: " + ms)
    cfs(node, next(it), "status", "notice", "starting data syncronisation")
    it = seq(next(it) + S(0.0021), 0.4)
    cfs(node, next(it), "dcdb", "notice", "received sync request (epoch %d/%d/%08X)" % epoch)
    cfs(node, next(it), "status", "notice", "received sync request (epoch %d/%d/%08X)" % epoch)
    it = seq(next(it) + S(0.0016), 0.3)
    cfs(node, next(it), "dcdb", "notice", "received all states")
    cfs(node, next(it), "dcdb", "notice", "leader is %d/%d" % leader)
    cfs(node, next(it), "dcdb", "notice", "synced members: " + members_str(synced))
    if role == "leader":
        cfs(node, next(it), "dcdb", "notice", "start sending inode updates")
        cfs(node, next(it), "dcdb", "notice", "sent all (%d) updates" % updates)
        cfs(node, next(it), "dcdb", "notice", "all data is up to date")
    elif role == "synced":
        cfs(node, next(it), "dcdb", "notice", "all data is up to date")
    else:
        cfs(node, next(it), "dcdb", "notice", "waiting for updates from leader")
    cfs(node, next(it), "status", "notice", "received all states")
    cfs(node, next(it), "status", "notice", "all data is up to date")
    if role == "joiner":
        it = seq(next(it) + S(0.0052), 0.4)
        cfs(node, next(it), "dcdb", "notice", "update complete - trying to commit (got %d inode updates)" % updates)
        cfs(node, next(it), "dcdb", "notice", "all data is up to date")
    if updates or role != "joiner":
        cfs(node, next(it) + S(0.0011), "status", "notice",
            "dfsm_deliver_queue: queue length %d" % rng_for(node, t, "q").randint(3, 19))


def pmxcfs_lost_corosync(node, t):
    """corosync went away under pmxcfs (PVE 9: symbolic CS_ERR codes; cmap stays numeric)."""
    it = seq(t, 0.4)
    cfs(node, next(it), "confdb", "crit", "cmap_dispatch failed: 2")
    cfs(node, next(it), "status", "crit", "cpg_dispatch failed: CS_ERR_LIBRARY")
    cfs(node, next(it), "status", "crit", "cpg_leave failed: CS_ERR_LIBRARY")
    cfs(node, next(it), "dcdb", "crit", "cpg_dispatch failed: CS_ERR_LIBRARY")
    cfs(node, next(it), "dcdb", "crit", "cpg_leave failed: CS_ERR_LIBRARY")
    cfs(node, next(it), "quorum", "crit", "quorum_dispatch failed: CS_ERR_LIBRARY")


def pmxcfs_no_corosync(node, t):
    """pmxcfs (re)tries to connect while corosync is not (yet) running."""
    it = seq(t, 0.3)
    cfs(node, next(it), "quorum", "crit", "quorum_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)")
    cfs(node, next(it), "quorum", "crit", "can't initialize service")
    cfs(node, next(it), "confdb", "crit", "cmap_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)")
    cfs(node, next(it), "confdb", "crit", "can't initialize service")
    cfs(node, next(it), "dcdb", "notice", "start cluster connection")
    cfs(node, next(it), "dcdb", "crit", "cpg_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)")
    cfs(node, next(it), "dcdb", "crit", "can't initialize service")
    cfs(node, next(it), "status", "notice", "start cluster connection")
    cfs(node, next(it), "status", "crit", "cpg_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)")
    cfs(node, next(it), "status", "crit", "can't initialize service")


# --- ssh sessions (rendered later, so that logind ids and user@0 follow time order) ---

class Session:
    def __init__(self, node, t_open, t_close, src_ip, port, key, fp, killed=False):
        self.node, self.t_open, self.t_close = node, t_open, t_close
        self.src_ip, self.port, self.key, self.fp, self.killed = src_ip, port, key, fp, killed
        self.id = None

    def __str__(self):
        return "session-%d.scope" % self.id


def fingerprint(*parts):
    h = hashlib.sha256(("%d:" % SEED + ":".join(parts)).encode()).digest()
    return "SHA256:" + base64.b64encode(h).decode().rstrip("=")


CLUSTER_KEY = {n: fingerprint("cluster-rsa", n) for n in NODE_ORDER}
ADMIN_KEY = fingerprint("admin-ed25519", ADMIN_IP)


def ssh_session(node, t_open, t_close, src_ip, port=None, killed=False):
    r = rng_for(node, t_open, "port")
    port = port or r.randint(33000, 60999)
    if src_ip == ADMIN_IP:
        key, fp = "ED25519", ADMIN_KEY
    else:
        src = [n for n in NODE_ORDER if NODE[n].ip == src_ip][0]
        key, fp = "RSA", CLUSTER_KEY[src]
    s = Session(node, t_open, t_close, src_ip, port, key, fp, killed)
    NODE[node].sessions.append(s)
    return s


def session_proc(node, t, sess, comm, exe, cmdline):
    b = NODE[node].boot_at(t)
    return Proc(comm, b.newpid(t, comm), comm, exe, cmdline, sess, 3, "syslog",
                slice_="user-0.slice")


def render_sessions(node):
    n = NODE[node]
    sess = sorted(n.sessions, key=lambda s: s.t_open)
    mgr_until = None          # time the user manager is scheduled to stop
    mgr_proc = None
    for s in sess:
        b = n.boot_at(s.t_open)
        s.id = b.session_next
        b.session_next += 1
        sshd_pid = b.newpid(s.t_open, "sshd-%d" % s.port)
        sshd = Proc("sshd", sshd_pid, "sshd", "/usr/sbin/sshd", "sshd: root [priv]", "ssh.service", 4)
        it = seq(s.t_open, 2.1)
        log(node, next(it), sshd, "Accepted publickey for root from %s port %d ssh2: %s %s"
            % (s.src_ip, s.port, s.key, s.fp), 6, facility=4)
        log(node, next(it), sshd, "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)",
            6, facility=10)
        log(node, next(it), "logind", "New session %d of user root." % s.id,
            fields=[("MESSAGE_ID", MID["session_start"]), ("SESSION_ID", str(s.id)), ("USER_ID", "root"),
                    ("LEADER", str(sshd_pid))])
        t = next(it)
        if mgr_until is None or s.t_open > mgr_until:
            if mgr_until is not None and mgr_proc is not None:
                user_manager_stop(node, mgr_until, mgr_proc)
            mgr_proc = user_manager_start(node, t)
            t += S(0.121)
        sd(node, t, "Started %s - Session %d of User root." % (s, s.id), str(s), "started")
        if s.killed:
            # the node reboots under the session: stopped by systemd during shutdown
            it = seq(s.t_close, 3.0)
            sd(node, next(it), "Stopping %s - Session %d of User root..." % (s, s.id), str(s), "stopping")
            log(node, next(it), sshd, "pam_unix(sshd:session): session closed for user root", 6, facility=10)
            log(node, next(it), "logind", "Session %d logged out. Waiting for processes to exit." % s.id)
            sd(node, next(it), "%s: Deactivated successfully." % s, str(s), "success")
            sd(node, next(it), "Stopped %s - Session %d of User root." % (s, s.id), str(s), "stopped")
            log(node, next(it), "logind", "Removed session %d." % s.id,
                fields=[("MESSAGE_ID", MID["session_stop"]), ("SESSION_ID", str(s.id))])
            user_manager_stop(node, s.t_close + S(0.0314), mgr_proc, shutdown=True)
            mgr_until, mgr_proc = None, None
            continue
        it = seq(s.t_close, 1.4)
        log(node, next(it), sshd, "Received disconnect from %s port %d:11: disconnected by user"
            % (s.src_ip, s.port), 6, facility=4)
        log(node, next(it), sshd, "Disconnected from user root %s port %d" % (s.src_ip, s.port), 6, facility=4)
        log(node, next(it), sshd, "pam_unix(sshd:session): session closed for user root", 6, facility=10)
        sd(node, next(it), "%s: Deactivated successfully." % s, str(s), "success")
        log(node, next(it), "logind", "Session %d logged out. Waiting for processes to exit." % s.id)
        log(node, next(it), "logind", "Removed session %d." % s.id,
            fields=[("MESSAGE_ID", MID["session_stop"]), ("SESSION_ID", str(s.id))])
        mgr_until = max(mgr_until or 0, s.t_close + S(10.0))
    if mgr_until is not None and mgr_proc is not None and mgr_until < T(WINDOW_END):
        user_manager_stop(node, mgr_until, mgr_proc)


def user_manager_start(node, t):
    b = NODE[node].boot_at(t)
    it = seq(t, 2.0)
    sd(node, next(it), "Created slice user-0.slice - User Slice of UID 0.", "user-0.slice")
    sd_starting(node, next(it), "user-runtime-dir@0.service")
    sd_started(node, next(it), "user-runtime-dir@0.service", "Finished")
    sd_starting(node, next(it), "user@0.service")
    mpid = b.newpid(t, "user-manager")
    pam = Proc("(systemd)", mpid, "(systemd)", "/usr/lib/systemd/systemd", "(systemd)",
               "user@0.service", 10, "syslog", slice_="user-0.slice")
    log(node, next(it), pam, "pam_unix(systemd-user:session): session opened for user root(uid=0) by (uid=0)",
        6, facility=10)
    mgr = Proc("systemd", mpid, "systemd", "/usr/lib/systemd/systemd", "/lib/systemd/systemd --user",
               "user@0.service", 3, "journal", slice_="user-0.slice",
               cgroup="/user.slice/user-0.slice/user@0.service/init.scope")
    it = seq(next(it) + S(0.038), 1.6)
    for m in ["Queued start job for default target default.target.",
              "Created slice app.slice - User Application Slice.",
              "Reached target paths.target - Paths.",
              "Reached target timers.target - Timers.",
              "Listening on dirmngr.socket - GnuPG network certificate management daemon.",
              "Listening on gpg-agent-browser.socket - GnuPG cryptographic agent and passphrase cache (access for web browsers).",
              "Listening on gpg-agent-extra.socket - GnuPG cryptographic agent and passphrase cache (restricted).",
              "Listening on gpg-agent-ssh.socket - GnuPG cryptographic agent (ssh-agent emulation).",
              "Listening on gpg-agent.socket - GnuPG cryptographic agent and passphrase cache.",
              "Reached target sockets.target - Sockets.",
              "Reached target basic.target - Basic System.",
              "Reached target default.target - Main User Target."]:
        log(node, next(it), mgr, m)
    log(node, next(it), mgr, "Startup finished in %dms." % rng_for(node, t, "um").randint(71, 143),
        fields=[("MESSAGE_ID", MID["user_startup"])])
    sd_started(node, next(it), "user@0.service")
    return mgr


def user_manager_stop(node, t, mgr, shutdown=False):
    it = seq(t, 1.2)
    sd_stopping(node, next(it), "user@0.service")
    for m in ["Activating special unit exit.target...",
              "Stopped target default.target - Main User Target.",
              "Stopped target basic.target - Basic System.",
              "Stopped target paths.target - Paths.",
              "Stopped target sockets.target - Sockets.",
              "Stopped target timers.target - Timers.",
              "dirmngr.socket: Deactivated successfully.",
              "Closed dirmngr.socket - GnuPG network certificate management daemon.",
              "gpg-agent-browser.socket: Deactivated successfully.",
              "Closed gpg-agent-browser.socket - GnuPG cryptographic agent and passphrase cache (access for web browsers).",
              "gpg-agent-extra.socket: Deactivated successfully.",
              "Closed gpg-agent-extra.socket - GnuPG cryptographic agent and passphrase cache (restricted).",
              "gpg-agent-ssh.socket: Deactivated successfully.",
              "Closed gpg-agent-ssh.socket - GnuPG cryptographic agent (ssh-agent emulation).",
              "gpg-agent.socket: Deactivated successfully.",
              "Closed gpg-agent.socket - GnuPG cryptographic agent and passphrase cache.",
              "Removed slice app.slice - User Application Slice.",
              "Reached target shutdown.target - Shutdown.",
              "Finished systemd-exit.service - Exit the Session.",
              "Reached target exit.target - Exit the Session."]:
        log(node, next(it), mgr, m)
    t2 = next(it) + S(0.0042)
    sd_stopped(node, t2, "user@0.service", cpu=rng_for(node, t, "umcpu").uniform(0.08, 0.16))
    it = seq(t2 + S(0.0031), 1.1)
    sd_stopping(node, next(it), "user-runtime-dir@0.service")
    sd(node, next(it), "run-user-0.mount: Deactivated successfully.", "run-user-0.mount", "success")
    sd_stopped(node, next(it), "user-runtime-dir@0.service")
    sd(node, next(it), "Removed slice user-0.slice - User Slice of UID 0.", "user-0.slice")


# --- guests (kernel + systemd side effects) -----------------------------------------

def fs_uuid(*parts):
    h = hexid(*parts)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def audit_line(node, t, text):
    b = NODE[node].boot_at(t)
    b.audit_serial += rng_for(node, t, "aud").randint(1, 3)
    klog(node, t, "audit: type=1400 audit(%d.%03d:%d): %s"
         % (t // 1_000_000, (t // 1000) % 1000, b.audit_serial, text), 5)


def vm_tap_up(node, t, vmid):
    b = NODE[node].boot_at(t)
    dev = "tap%di0" % vmid
    port = b.bridge_port(dev)
    sd(node, t, "Started %d.scope." % vmid, "%d.scope" % vmid, "started")
    it = seq(t + S(0.61), 0.8)
    klog(node, next(it), "%s: entered promiscuous mode" % dev)
    klog(node, next(it), "vmbr0: port %d(%s) entered blocking state" % (port, dev))
    klog(node, next(it), "vmbr0: port %d(%s) entered disabled state" % (port, dev))
    klog(node, next(it), "%s: entered allmulticast mode" % dev)
    klog(node, next(it), "vmbr0: port %d(%s) entered blocking state" % (port, dev))
    klog(node, next(it), "vmbr0: port %d(%s) entered forwarding state" % (port, dev))


def vm_tap_down(node, t, vmid, cpu):
    b = NODE[node].boot_at(t)
    dev = "tap%di0" % vmid
    port = b.bridge_release(dev)
    it = seq(t, 0.9)
    klog(node, next(it), "%s: left allmulticast mode" % dev)
    klog(node, next(it), "vmbr0: port %d(%s) entered disabled state" % (port, dev))
    t2 = next(it) + S(0.0712)
    qe = b.procs["qmeventd"]
    sd(node, t2 + S(0.0009), "%d.scope: Deactivated successfully." % vmid, "%d.scope" % vmid, "success")
    sd(node, t2 + S(0.0013), "%d.scope: Consumed %s CPU time." % (vmid, fmt_cpu(cpu)), "%d.scope" % vmid, "resources")
    log(node, t2 + S(0.0392), qe, "Starting cleanup for %d" % vmid)
    log(node, t2 + S(1.0917), qe, "Finished cleanup for %d" % vmid)


def ct_loop(b, ctid):
    """loop device of a container's raw image on the NFS storage (lowest free number)."""
    if ctid not in b.loops:
        used = set(b.loops.values())
        k = 0
        while k in used:
            k += 1
        b.loops[ctid] = k
    return b.loops[ctid]


def ct_up(node, t, ctid):
    b = NODE[node].boot_at(t)
    dev = "veth%di0" % ctid
    loopn = ct_loop(b, ctid)
    port = b.bridge_port(dev)
    it = seq(t, 3.1)
    klog(node, next(it), "loop%d: detected capacity change from 0 to 16777216" % loopn)
    klog(node, next(it), "EXT4-fs (loop%d): mounted filesystem %s r/w with ordered data mode. Quota mode: none."
         % (loopn, fs_uuid("ct", ctid)))
    sd(node, next(it), "Started pve-container@%d.service - PVE LXC Container: %d." % (ctid, ctid),
       "pve-container@%d.service" % ctid, "started")
    audit_line(node, next(it), 'apparmor="STATUS" operation="profile_load" profile="/usr/bin/lxc-start" '
               'name="lxc-%d_</var/lib/lxc>" pid=%d comm="apparmor_parser"' % (ctid, b.newpid(t, "aa")))
    it = seq(next(it) + S(0.141), 0.7)
    klog(node, next(it), "vmbr0: port %d(%s) entered blocking state" % (port, dev))
    klog(node, next(it), "vmbr0: port %d(%s) entered disabled state" % (port, dev))
    klog(node, next(it), "%s: entered allmulticast mode" % dev)
    klog(node, next(it), "%s: entered promiscuous mode" % dev)
    klog(node, next(it), "eth0: renamed from veth%s" % hexid(node, t, "veth", n=6).upper()[:6])
    it = seq(next(it) + S(0.392), 0.5)
    klog(node, next(it), "vmbr0: port %d(%s) entered blocking state" % (port, dev))
    klog(node, next(it), "vmbr0: port %d(%s) entered forwarding state" % (port, dev))


def ct_down(node, t, ctid, cpu):
    b = NODE[node].boot_at(t)
    dev = "veth%di0" % ctid
    port = b.bridge_release(dev)
    it = seq(t, 0.6)
    klog(node, next(it), "vmbr0: port %d(%s) entered disabled state" % (port, dev))
    klog(node, next(it), "%s (unregistering): left allmulticast mode" % dev)
    klog(node, next(it), "%s (unregistering): left promiscuous mode" % dev)
    klog(node, next(it), "vmbr0: port %d(%s) entered disabled state" % (port, dev))
    t2 = next(it) + S(0.2218)
    audit_line(node, t2, 'apparmor="STATUS" operation="profile_remove" profile="/usr/bin/lxc-start" '
               'name="lxc-%d_</var/lib/lxc>" pid=%d comm="apparmor_parser"' % (ctid, b.newpid(t2, "aa")))
    klog(node, t2 + S(0.0317), "EXT4-fs (loop%d): unmounting filesystem %s." % (b.loops.pop(ctid),
                                                                               fs_uuid("ct", ctid)))
    unit = "pve-container@%d.service" % ctid
    sd_stopped(node, t2 + S(0.2841), unit, cpu)


VM_CPU = {"vm:100": 8233.5, "vm:101": 21470.2}
CT_CPU = {"ct:102": 811.9, "ct:104": 512.4}


# --- HA ---------------------------------------------------------------------------

CRM_NODE = "proxmox3"


def crm(t, msg, prio=6):
    log(CRM_NODE, t, "pve_ha_crm", msg, prio)


def lrm_worker(node, t, salt):
    return spawn(node, t, "pve_ha_lrm", salt)


def ha_move(m):
    sid, src, dst = m["sid"], m["src"], m["dst"]
    kind, gid = sid.split(":")
    gid = int(gid)
    vm = kind == "vm"
    state = "migrate" if vm else "relocate"
    td, ts, te, tdone = T(m["decide"]), T(m["start"]), T(m["end"]), T(m["done"])

    # CRM decides
    it = seq(jit(CRM_NODE, td, sid, 0, 400), 0.5)
    if m["why"] == "maintenance":
        crm(next(it), ("migrate service '%s' to node '%s' (running)" if vm else
                       "relocate service '%s' to node '%s'") % (sid, dst))
    else:
        crm(next(it), "moving service '%s' back to '%s', node came back from maintenance." % (sid, dst))
    crm(next(it), "service '%s': state changed from 'started' to '%s'  (node = %s, target = %s)"
        % (sid, state, src, dst))

    # source LRM worker runs the migration task
    w = lrm_worker(src, ts, sid)
    tpid = w.pid + rng_for(sid, ts).randint(1, 3)
    NODE[src].boot_at(ts).used_pids.add(tpid)
    u = upid(src, ts, tpid, "qmigrate" if vm else "vzmigrate", gid)
    t1 = jit(src, ts, "ts", 0, 900)
    task_start(src, t1, w, u)
    t_wait = t1 + S(5.0)
    while t_wait < te - S(0.4):
        log(src, jit(src, t_wait, "wait", 0, 400), w, "Task '%s' still active, waiting" % u)
        t_wait += S(5.0 + rng_for(src, t_wait).uniform(0.0, 0.02))
    if vm:
        # target: the source starts the VM in incoming mode over ssh and tunnels the memory
        sess = ssh_session(dst, ts + S(0.52), te - S(0.27), NODE[src].ip)
        qm = session_proc(dst, ts + S(1.2), sess, "qm", PERL, "/usr/bin/perl /usr/sbin/qm start %d "
                          "--migratedfrom %s --migration_type secure --stateuri unix --machine pc-i440fx-9.0+pve0 "
                          "--targetstorage 1" % (gid, src))
        qpid = qm.pid + 1
        NODE[dst].boot_at(ts).used_pids.add(qpid)
        uq = upid(dst, ts + S(1.2), qpid, "qmstart", gid)
        task_start(dst, jit(dst, ts + S(1.21), "qs"), qm, uq)
        vm_tap_up(dst, jit(dst, ts + S(1.83), "tap"), gid)
        task_end(dst, jit(dst, ts + S(2.64), "qe"), qm, uq)
        # source: after the switch-over the old kvm process exits
        vm_tap_down(src, te - S(1.31), gid, VM_CPU[sid])
        VM_CPU[sid] = rng_for(sid, te).uniform(12.0, 40.0)
    else:
        # restart mode: stop the container, move its config, the target LRM starts it
        ct_down(src, ts + S(0.61), gid, CT_CPU[sid])
        CT_CPU[sid] = rng_for(sid, te).uniform(2.0, 6.0)
        ssh_session(dst, te - S(2.31), te - S(0.58), NODE[src].ip)
    task_end(src, te, w, u)

    # CRM sees the result
    crm(jit(CRM_NODE, tdone, sid + "done", 0, 400),
        "service '%s': state changed from '%s' to 'started'  (node = %s)" % (sid, state, dst))
    if not vm:
        tcs = T(m["ct_start"])
        w2 = lrm_worker(dst, tcs, sid + "start")
        it = seq(jit(dst, tcs, "cts"), 1.3)
        log(dst, next(it), w2, "starting service %s" % sid)
        tpid2 = w2.pid + 1
        NODE[dst].boot_at(tcs).used_pids.add(tpid2)
        u2 = upid(dst, tcs, tpid2, "vzstart", gid)
        task_start(dst, next(it), w2, u2)
        ct_up(dst, tcs + S(0.48), gid)
        t_end = tcs + S(rng_for(sid, tcs).uniform(1.7, 2.4))
        task_end(dst, t_end, w2, u2)
        log(dst, t_end + S(0.0213), w2, "service status %s started" % sid)


# --- reboot of a node --------------------------------------------------------------

SHUTDOWN_WAVE1 = [
    # units stopped right away (no ordering against the PVE stack)
    "getty@tty1.service", "cron.service", "postfix@-.service", "smartmontools.service",
    "zfs-zed.service", "ksmtuned.service", "pve-lxc-syscalld.service", "lxc-monitord.service",
    "pvefw-logger.service", "chrony.service", "dbus.service",
]
STOPPED_TARGETS1 = ["graphical.target", "multi-user.target", "getty.target", "timers.target"]
TIMERS = [("apt-daily-upgrade.timer", "Daily apt upgrade and clean activities"),
          ("apt-daily.timer", "Daily apt download activities"),
          ("dpkg-db-backup.timer", "Daily dpkg database backup timer"),
          ("e2scrub_all.timer", "Periodic ext4 Online Metadata Check for All Filesystems"),
          ("fstrim.timer", "Discard unused blocks once a week"),
          ("logrotate.timer", "Daily rotation of log files"),
          ("man-db.timer", "Daily man-db regeneration"),
          ("pve-daily-update.timer", "Daily PVE download activities"),
          ("systemd-tmpfiles-clean.timer", "Daily Cleanup of Temporary Directories")]


def reboot(rb):
    node = rb["node"]
    n = NODE[node]
    b = n.boot_at(T(rb["request"]))
    tl, tr = T(rb["login"]), T(rb["request"])
    t_lrm, t_cs, t_js = T(rb["lrm_exit"]), T(rb["corosync_stop"]), T(rb["journal_stop"])
    b.end = t_js + S(0.5)

    # root logs in from the admin workstation and asks for a reboot
    ssh_session(node, tl, tr + S(0.2412), ADMIN_IP, rb["port"], killed=True)
    it = seq(tr, 1.7)
    log(node, next(it), "logind", "The system will reboot now!", 5,
        fields=[("MESSAGE_ID", MID["shutdown_scheduled"]), ("ACTION", "reboot")])
    log(node, next(it), "logind", "System is rebooting.", 5,
        fields=[("MESSAGE_ID", MID["shutdown"]), ("SHUTDOWN", "reboot")])

    # first wave: everything without ordering against the PVE stack
    it = seq(tr + S(0.0712), 0.6)
    sd(node, next(it), "Removed slice system-modprobe.slice - Slice /system/modprobe.", "system-modprobe.slice")
    for tg in STOPPED_TARGETS1:
        sd_target(node, next(it), tg, "Stopped")
    for tm, desc in TIMERS:
        sd(node, next(it), "%s: Deactivated successfully." % tm, tm, "success")
        sd(node, next(it), "Stopped %s - %s." % (tm, desc), tm, "stopped")
    for u in SHUTDOWN_WAVE1 + ["pve-guests.service"]:
        sd_stopping(node, next(it), u)
    t_w1 = next(it)
    rr = rng_for(node, "wave1")
    for i, u in enumerate(SHUTDOWN_WAVE1):
        tt = t_w1 + S(0.004 + 0.011 * i + rr.uniform(0, 0.03))
        if u == "chrony.service":
            log(node, tt - S(0.0008), b.procs["chronyd"], "chronyd exiting")
        if u == "zfs-zed.service":
            log(node, tt - S(0.0008), b.procs["zed"], "Exiting")
        if u == "smartmontools.service":
            log(node, tt - S(0.0009), b.procs["smartd"], "smartd received signal 15: Terminated")
            log(node, tt - S(0.0007), b.procs["smartd"], "smartd is exiting (exit status 0)")
        sd_stopped(node, tt, u, cpu=rr.uniform(0.01, 3.5) if u not in ("getty@tty1.service",) else None)

    sd_stop(node, tr + S(0.6114), "systemd-logind.service", 0.0123, cpu=rr.uniform(1, 9))

    # pve-guests: stopall (all guests are HA managed, so this is quick)
    t_g = tr + S(0.912)
    pg = spawn(node, t_g, "pvedaemon", "pve-guests", ident="pve-guests", comm="pve-guests",
               cmdline="/usr/bin/perl /usr/bin/pvesh --nooutput create /nodes/localhost/stopall",
               unit="pve-guests.service")
    gpid = pg.pid + 1
    b.used_pids.add(gpid)
    ug = upid(node, t_g, gpid, "stopall")
    task_start(node, t_g, pg, ug)
    systemctl_bus_error(node, t_g + S(0.3391), "pve-guests.service")
    task_end(node, t_g + S(1.2187), pg, ug)
    t_gs = t_g + S(1.4113)
    sd_stopped(node, t_gs, "pve-guests.service", cpu=1.512)

    # pve-ha-lrm: maintenance mode, waits until the CRM has moved every service away
    t_l = t_gs + S(0.0421)
    sd_stopping(node, t_l, "pve-ha-lrm.service")
    lrm = b.procs["pve_ha_lrm"]
    it = seq(t_l + S(0.0104), 0.9)
    log(node, next(it), lrm, "received signal TERM")
    log(node, next(it), lrm, "got shutdown request with shutdown policy 'migrate'")
    log(node, next(it), lrm, "reboot LRM, doing maintenance, removing this node from active list")
    it = seq(t_lrm, 1.1)
    log(node, next(it), lrm, "watchdog closed (disabled)")
    log(node, next(it), lrm, "server stopped")
    t_ls = next(it) + S(0.1712)
    sd_stopped(node, t_ls, "pve-ha-lrm.service", cpu=rr.uniform(150, 900))

    # the rest of the PVE stack
    t_p = t_ls + S(0.0382)
    it = seq(t_p, 0.4)
    for u in ["pve-ha-crm.service", "pvescheduler.service", "pvestatd.service", "pveproxy.service",
              "spiceproxy.service", "pve-firewall.service", "pvedaemon.service"]:
        sd_stopping(node, next(it), u)
    crm_p = b.procs["pve_ha_crm"]
    log(node, t_p + S(0.0511), crm_p, "received signal TERM")
    log(node, t_p + S(0.0519), crm_p, "server received shutdown request")
    t_crm_end = t_p + S(2.8731)
    log(node, t_crm_end, crm_p, "server stopped")
    sd_stopped(node, t_crm_end + S(0.1822), "pve-ha-crm.service", cpu=rr.uniform(100, 600))
    for k, u, d in [("pvescheduler", "pvescheduler.service", 0.21), ("pvestatd", "pvestatd.service", 0.35),
                    ("pve_firewall", "pve-firewall.service", 0.52), ("spiceproxy", "spiceproxy.service", 0.91),
                    ("pveproxy", "pveproxy.service", 1.62), ("pvedaemon", "pvedaemon.service", 1.74)]:
        t_k = jit(node, t_p + S(0.06 + 0.013 * len(k)), k, 0, 9000)
        daemon_stop(node, t_k, k, dur=d)
        sd_stopped(node, t_k + S(d + 0.21), u, cpu=rr.uniform(20, 900))
    t_wd = t_crm_end + S(0.2241)
    sd_stopping(node, t_wd, "watchdog-mux.service")
    wd = b.procs["watchdog_mux"]
    log(node, t_wd + S(0.0006), wd, "got terminate request")
    log(node, t_wd + S(0.0011), wd, "clean exit")
    sd_stopped(node, t_wd + S(0.0037), "watchdog-mux.service", cpu=rr.uniform(20, 90))

    # corosync leaves, pmxcfs loses it, then pmxcfs is stopped
    sd_stopping(node, t_cs, "corosync.service")
    t_cfg = t_cs + S(CFG_DELAY)
    me = NODE[node].nodeid
    for other in NODE_ORDER:
        cs(other, jit(other, t_cfg, "cfg", 0, 1500), "CFG", "Node %d was shut down by sysadmin" % me)
    corosync_shutdown(node, t_cfg + S(0.0094))
    pmxcfs_lost_corosync(node, t_cfg + S(0.0358))
    pmxcfs_no_corosync(node, t_cfg + S(0.5412))
    t_csx = t_cfg + S(0.74)
    sd_stopped(node, t_csx, "corosync.service", cpu=rr.uniform(4000, 12000))
    t_pc = t_csx + S(0.0413)
    sd_stopping(node, t_pc, "pve-cluster.service")
    cfs(node, t_pc + S(0.0182), "main", "notice", "teardown filesystem")
    sd(node, t_pc + S(0.0517), "etc-pve.mount: Deactivated successfully.", "etc-pve.mount", "success")
    cfs(node, t_pc + S(1.0129), "main", "notice", "exit proxmox configuration filesystem (0)")
    sd_stopped(node, t_pc + S(1.0391), "pve-cluster.service", cpu=rr.uniform(300, 1500))
    t_x = t_pc + S(1.0512)
    it = seq(t_x, 1.5)
    sd_stop(node, next(it), "rrdcached.service", 0.0411, cpu=rr.uniform(10, 60))
    t_rs = next(it) + S(0.0723)
    sd_stopping(node, t_rs, "rsyslog.service")
    rs = b.procs["rsyslogd"]
    log(node, t_rs + S(0.0011), rs, '[origin software="rsyslogd" swVersion="%s" x-pid="%d" '
        'x-info="https://www.rsyslog.com"] exiting on signal 15.' % (RSYSLOG_VERSION, rs.pid))
    n.rsyslog.append(("stop", t_rs + S(0.0011)))
    sd_stopped(node, t_rs + S(0.0081), "rsyslog.service", cpu=rr.uniform(5, 30))
    it = seq(t_rs + S(0.0511), 3.0)
    sd_target(node, next(it), "network-online.target", "Stopped")
    sd_target(node, next(it), "pve-storage.target", "Stopped")
    sd_target(node, next(it), "remote-fs.target", "Stopped")
    sd(node, next(it), "Unmounting mnt-pve-nas.mount - /mnt/pve/nas...", "mnt-pve-nas.mount", "stopping")
    t_um = next(it) + S(0.1123)
    sd(node, t_um, "mnt-pve-nas.mount: Deactivated successfully.", "mnt-pve-nas.mount", "success")
    sd(node, t_um + S(0.0004), "Unmounted mnt-pve-nas.mount - /mnt/pve/nas.", "mnt-pve-nas.mount", "stopped")
    sd_stopping(node, next(it), "networking.service")
    sd_stopped(node, next(it) + S(0.4301), "networking.service", cpu=rr.uniform(0.3, 1.2))
    t_n = next(it)
    sd_target(node, t_n, "network.target", "Stopped")
    sd_target(node, t_n + S(0.0012), "network-pre.target", "Stopped")
    # the final lines
    it = seq(t_js - S(0.3422), 2.0)
    sd_target(node, next(it), "local-fs.target", "Stopped")
    sd_target(node, next(it), "sysinit.target", "Stopped")
    sd_stop(node, next(it), "systemd-update-utmp.service", 0.0031)
    sd_stop(node, next(it), "systemd-random-seed.service", 0.0042)
    sd_target(node, next(it), "shutdown.target")
    sd_target(node, next(it), "final.target")
    sd(node, next(it), "systemd-reboot.service: Deactivated successfully.", "systemd-reboot.service", "success")
    sd_started(node, next(it), "systemd-reboot.service", "Finished")
    sd_target(node, next(it), "reboot.target")
    sd(node, next(it), "Shutting down.")
    it = seq(t_js - S(0.0612), 2.5)
    shut = Proc("systemd-shutdown", 1, "systemd-shutdow", "/usr/lib/systemd/systemd-shutdown",
                "/lib/systemd/systemd-shutdown reboot --timeout 90000000us --log-level 6 --log-target kmsg",
                None, 3, "kmsg")
    log(node, next(it), shut, "Syncing filesystems and block devices.")
    log(node, next(it), shut, "Sending SIGTERM to remaining processes...")
    it = seq(t_js - S(0.0021), 1.0)
    log(node, next(it), "journald", "Received SIGTERM from PID 1 (systemd-shutdown).")
    log(node, t_js, "journald", "Journal stopped", fields=[("MESSAGE_ID", MID["journal_stop"])])


# --- boot of a node -----------------------------------------------------------------

HW = {
    "t330": dict(
        dmi="Dell Inc. PowerEdge T330/0FTPP7, BIOS 2.19.0 03/07/2024",
        cmdline="BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet",
        cpu="Intel(R) Xeon(R) CPU E3-1240 v6 @ 3.70GHz (family: 0x6, model: 0x9e, stepping: 0x9)",
        ncpu=8, mhz="3696.000", mem="Memory: 32541208K/33415428K available (22528K kernel code, 4436K rwdata, "
                                     "14332K rodata, 4888K init, 6028K bss, 874220K reserved, 0K cma-reserved)",
        nic="eno1"),
    "n100": dict(
        dmi="Default string Default string/Default string, BIOS ADLNV106 05/12/2024",
        cmdline="initrd=\\EFI\\proxmox\\6.8.12-4-pve\\initrd.img-6.8.12-4-pve root=ZFS=rpool/ROOT/pve-1 boot=zfs",
        cpu="Intel(R) N100 (family: 0x6, model: 0xbe, stepping: 0x0)",
        ncpu=4, mhz="806.400", mem="Memory: 15913340K/16611692K available (22528K kernel code, 4436K rwdata, "
                                    "14332K rodata, 4888K init, 6028K bss, 463904K reserved, 0K cma-reserved)",
        nic="enp1s0"),
}


def kernel_boot_lines(node):
    """(printk seconds, prio, message) of an early boot."""
    hw = HW[NODE[node].hw]
    r = rng_for(node, "kboot")
    mac = ":".join("%02x" % x for x in [0x18 if hw["nic"] == "eno1" else 0x7c, 0x66 if hw["nic"] == "eno1" else 0x2b,
                                        0xda if hw["nic"] == "eno1" else 0xe1] + [r.randint(0, 255) for _ in range(3)])
    L = [
        (0.0, 5, LINUX_BANNER),
        (0.0, 6, "Command line: " + hw["cmdline"]),
        (0.0, 6, "KERNEL supported cpus:"),
        (0.0, 6, "  Intel GenuineIntel"),
        (0.0, 6, "  AMD AuthenticAMD"),
        (0.0, 6, "  Hygon HygonGenuine"),
        (0.0, 6, "  Centaur CentaurHauls"),
        (0.0, 6, "  zhaoxin   Shanghai  "),
        (0.0, 6, "BIOS-provided physical RAM map:"),
        (0.0, 6, "NX (Execute Disable) protection: active"),
        (0.0, 6, "SMBIOS 3.2.0 present."),
        (0.0, 6, "DMI: " + hw["dmi"]),
        (0.0, 6, "tsc: Detected %s MHz processor" % hw["mhz"]),
        (0.0, 6, "ACPI: Early table checksum verification disabled"),
        (0.021884, 5, "Kernel command line: " + hw["cmdline"]),
        (0.058114, 6, hw["mem"]),
        (0.112430, 6, "smpboot: CPU0: " + hw["cpu"]),
        (0.163388, 6, "smp: Brought up 1 node, %d CPUs" % hw["ncpu"]),
        (0.245101, 6, "ACPI: Interpreter enabled"),
        (0.512236, 6, "Freeing unused kernel image (initmem) memory: 4888K"),
        (0.533902, 6, "Run /init as init process"),
    ]
    if hw["nic"] == "eno1":
        L += [
            (1.116023, 6, "tg3 0000:02:00.0 eth0: Tigon3 [partno(BCM95720) rev 5720000] (PCI Express) MAC address " + mac),
            (1.116031, 6, "tg3 0000:02:00.0 eth0: attached PHY is 5720C (10/100/1000Base-T Ethernet) (WireSpeed[1], EEE[1])"),
            (1.163207, 6, "tg3 0000:02:00.0 eno1: renamed from eth0"),
            (1.402218, 6, "ata1: SATA link up 6.0 Gbps (SStatus 133 SControl 300)"),
            (1.402941, 5, "scsi 0:0:0:0: Direct-Access     ATA      Samsung SSD 870  2B6Q PQ: 0 ANSI: 5"),
            (1.410337, 5, "sd 0:0:0:0: [sda] 976773168 512-byte logical blocks: (500 GB/466 GiB)"),
            (1.410361, 5, "sd 0:0:0:0: [sda] Attached SCSI disk"),
            (2.918054, 6, "EXT4-fs (dm-1): mounted filesystem %s ro with ordered data mode. Quota mode: none." % fs_uuid(node, "root")),
            (3.651872, 6, "EXT4-fs (dm-1): re-mounted %s r/w. Quota mode: none." % fs_uuid(node, "root")),
        ]
    else:
        L += [
            (0.962117, 6, "nvme nvme0: pci function 0000:02:00.0"),
            (0.981243, 6, "nvme nvme0: 4/0/0 default/read/poll queues"),
            (0.987402, 6, " nvme0n1: p1 p2 p3"),
            (1.048311, 6, "igc 0000:01:00.0 (unnamed net_device) (uninitialized): PHC added"),
            (1.073119, 6, "igc 0000:01:00.0: 4.000 Gb/s available PCIe bandwidth (5.0 GT/s PCIe x1 link)"),
            (1.073127, 6, "igc 0000:01:00.0 eth0: MAC: " + mac),
            (1.102834, 6, "igc 0000:01:00.0 enp1s0: renamed from eth0"),
            (1.845322, 6, "ZFS: Loaded module v2.2.6-pve1, ZFS pool version 5000, ZFS filesystem version 5"),
        ]
    L += [
        (3.941204, 6, "softdog: initialized. soft_noboot=0 soft_margin=60 sec soft_panic=0 (nowayout=0)"),
        (3.941208, 6, "softdog:              soft_reboot_cmd=<not set> soft_active_on_boot=0"),
        (4.022741, 6, "RPC: Registered named UNIX socket transport module."),
        (4.022744, 6, "RPC: Registered udp transport module."),
        (4.022745, 6, "RPC: Registered tcp transport module."),
        (4.186336, 6, "bridge: filtering via arp/ip/ip6tables is no longer available by default. "
                      "Update your scripts to load br_netfilter if you need this."),
    ]
    if hw["nic"] == "eno1":
        L.append((4.613288, 6, "ZFS: Loaded module v2.2.6-pve1, ZFS pool version 5000, ZFS filesystem version 5"))
    return L


# Early userspace of a boot, seconds after monotonic 0.  The N100 boxes boot fast from
# NVMe/ZFS; the PowerEdge spends a long time in systemd-udev-settle (pulled in by
# zfs-import-cache) and importing its data pool.
BOOT_PLAN = {
    "n100": dict(journal=4.207, settle=(4.55, 5.71), zimport=(5.72, 6.31), zmount=6.33, localfs=6.47,
                 basic=6.62, services=6.66, network=(6.92, 10.12), nfs=(10.45, 11.83), ssh=10.36,
                 rrdcached=(14.91, 15.12)),
    "t330": dict(journal=4.702, settle=(4.95, 17.83), zimport=(17.85, 22.74), zmount=22.76, localfs=22.88,
                 basic=23.02, services=23.06, network=(23.41, 26.61), nfs=(26.93, 28.31), ssh=26.86,
                 rrdcached=(30.88, 31.09)),
}
EARLY_UNITS = [
    # (offset after plan['services'], unit, duration or None for 'Started' only, verb)
    (0.000, "qmeventd.service", None, "Started"),
    (0.004, "dbus.service", None, "Started"),
    (0.009, "smartmontools.service", 0.091, "Started"),
    (0.013, "watchdog-mux.service", None, "Started"),
    (0.017, "zfs-zed.service", None, "Started"),
    (0.021, "systemd-logind.service", 0.074, "Started"),
    (0.026, "rsyslog.service", 0.048, "Started"),
    (0.031, "lxcfs.service", 0.071, "Started"),
    (0.036, "ksmtuned.service", None, "Started"),
    (0.041, "pvebanner.service", 0.472, "Finished"),
    (0.046, "pvenetcommit.service", 0.041, "Finished"),
    (0.052, "pve-lxc-syscalld.service", 0.019, "Started"),
]


def boot(node, rj, boot_idx):
    """Everything a rebooting node logs from 'Linux version' up to corosync's start."""
    n = NODE[node]
    b = n.boots[boot_idx]
    hw = HW[n.hw]
    nic = hw["nic"]
    P = BOOT_PLAN[n.hw]

    def at(sec, salt=""):
        return jit(node, b.t0 + S(sec), "boot%s%.4f" % (salt, sec), 0, 900)

    for sec, prio, msg in kernel_boot_lines(node):
        klog(node, b.t0 + S(sec) + 7, msg, prio, printk=S(sec))

    # journald takes over
    jr = b.procs["journald"]
    t_j = at(P["journal"])
    log(node, t_j, jr, "Journal started", fields=[("MESSAGE_ID", MID["journal_start"])])
    log(node, t_j + S(0.0011), jr, "Runtime Journal (/run/log/journal/%s) is 8.0M, max %s, %s free."
        % ((n.machine_id,) + (("157.6M", "149.6M") if n.hw == "n100" else ("318.7M", "310.7M"))),
        fields=[("MESSAGE_ID", "ec387f577b844b8fa948f33cad9a75e6")])
    it = seq(t_j + S(0.0412), 3.0)
    sd_starting(node, next(it), "systemd-journal-flush.service")
    log(node, next(it) + S(0.031), jr, "Time spent on flushing to /var/log/journal/%s is %.3fms for %d entries."
        % (n.machine_id, rng_for(node, "flush").uniform(20, 60), rng_for(node, "flushn").randint(1100, 1400)))
    log(node, next(it) + S(0.031), jr, "System Journal (/var/log/journal/%s) is 1.1G, max 4.0G, 2.8G free."
        % n.machine_id, fields=[("MESSAGE_ID", "ec387f577b844b8fa948f33cad9a75e6")])
    sd_started(node, next(it) + S(0.031), "systemd-journal-flush.service", "Finished")
    if n.hw == "t330":
        sd_start(node, at(P["journal"] + 0.151), "lvm2-monitor.service", 0.2127, "Finished")

    # udev settle, ZFS, local file systems
    s0, s1 = P["settle"]
    sd_starting(node, at(s0), "systemd-udev-settle.service")
    log(node, at(s0 + 0.0083), "udevadm", "systemd-udev-settle.service is deprecated. Please fix zfs-import-cache.service, "
        "zfs-import-scan.service not to pull it in.", 4)
    sd_started(node, at(s1), "systemd-udev-settle.service", "Finished")
    z0, z1 = P["zimport"]
    sd_start(node, at(z0), "zfs-import-cache.service", z1 - z0, "Finished")
    sd_target(node, at(z1 + 0.004), "zfs-import.target")
    sd_start(node, at(P["zmount"]), "zfs-mount.service", 0.104, "Finished")
    sd_target(node, at(P["localfs"]), "local-fs.target")
    for i, tg in enumerate(["sysinit.target", "sockets.target", "basic.target"]):
        sd_target(node, at(P["basic"] + 0.011 * i), tg)

    # basic services
    base = P["services"]
    for off, unit, dur, verb in EARLY_UNITS:
        if dur is None:
            sd_started(node, at(base + off), unit, verb)
        else:
            sd_start(node, at(base + off), unit, dur, verb)
    log(node, at(base + 0.0142), b.procs["watchdog_mux"], "Watchdog driver 'Software Watchdog', version 0")
    rs = b.procs["rsyslogd"]
    t_rs = at(base + 0.0655)
    log(node, t_rs, rs, "imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.  [v%s]"
        % RSYSLOG_VERSION)
    log(node, t_rs + S(0.0009), rs, '[origin software="rsyslogd" swVersion="%s" x-pid="%d" '
        'x-info="https://www.rsyslog.com"] start' % (RSYSLOG_VERSION, rs.pid))
    n.rsyslog.append(("start", t_rs))
    sm = b.procs["smartd"]
    it = seq(at(base + 0.0191), 4.0)
    dev = "/dev/sda [SAT]" if nic == "eno1" else "/dev/nvme0"
    for m in ["smartd 7.3 2022-02-28 r5338 [x86_64-linux-%s] (local build)" % KERNEL_VERSION,
              "Copyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org",
              "Opened configuration file /etc/smartd.conf",
              "Drive: DEVICESCAN, implied '-a' Directive on line 21 of file /etc/smartd.conf",
              "Configuration file /etc/smartd.conf was parsed, found DEVICESCAN, scanning devices",
              "Device: %s, opened" % dev,
              "Device: %s, is SMART capable. Adding to \"monitor\" list." % dev,
              ("Monitoring 2 ATA/SATA, 0 SCSI/SAS and 0 NVMe devices" if nic == "eno1"
               else "Monitoring 0 ATA/SATA, 0 SCSI/SAS and 1 NVMe devices")]:
        log(node, next(it), sm, m)

    # network: the bridge and its uplink
    w0, w1 = P["network"]
    sd_starting(node, at(w0), "networking.service")
    drv = "igc 0000:01:00.0" if nic == "enp1s0" else "tg3 0000:02:00.0"
    it = seq(at(w0 + 0.131), 1.0)
    klog(node, next(it), "vmbr0: port 1(%s) entered blocking state" % nic)
    klog(node, next(it), "vmbr0: port 1(%s) entered disabled state" % nic)
    klog(node, next(it), "%s %s: entered allmulticast mode" % (drv, nic))
    klog(node, next(it), "%s %s: entered promiscuous mode" % (drv, nic))
    b.bridge_port(nic)
    t_l = at(w1 - 0.162)
    if nic == "enp1s0":
        klog(node, t_l, "igc 0000:01:00.0 enp1s0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX")
    else:
        klog(node, t_l, "tg3 0000:02:00.0 eno1: Link is up at 1000 Mbps, full duplex")
        klog(node, t_l + S(0.00002), "tg3 0000:02:00.0 eno1: Flow control is on for TX and on for RX")
        klog(node, t_l + S(0.00003), "tg3 0000:02:00.0 eno1: EEE is disabled")
    klog(node, t_l + S(0.0011), "vmbr0: port 1(%s) entered blocking state" % nic)
    klog(node, t_l + S(0.0013), "vmbr0: port 1(%s) entered forwarding state" % nic)
    sd_started(node, at(w1), "networking.service", "Finished")
    sd_target(node, at(w1 + 0.004), "network.target")
    sd_target(node, at(w1 + 0.009), "network-online.target")

    # time, ssh, storage
    tc = at(w1 + 0.021)
    sd_start(node, tc, "chrony.service", 0.061)
    c = b.procs["chronyd"]
    it = seq(tc + S(0.011), 1.1)
    log(node, next(it), c, "chronyd version 4.3 starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER "
                           "+SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)")
    log(node, next(it), c, "Frequency %.3f +/- %.3f ppm read from /var/lib/chrony/chrony.drift"
        % (rng_for(node, "ppm").uniform(-9, 9), rng_for(node, "ppm2").uniform(0.05, 0.4)))
    log(node, next(it), c, "Using right/UTC timezone to obtain leap second data")
    log(node, next(it), c, "Loaded seccomp filter (level 1)")
    log(node, tc + S(6.4127), c, "Selected source 162.159.200.1 (2.debian.pool.ntp.org)")
    log(node, tc + S(6.4131), c, "System clock TAI offset set to 37 seconds")
    sd_target(node, at(w1 + 0.093), "time-sync.target")
    sd_start(node, at(P["ssh"]), "ssh.service", 0.071)
    log(node, at(P["ssh"] + 0.0641), b.procs["sshd"], "Server listening on 0.0.0.0 port 22.")
    log(node, at(P["ssh"] + 0.0643), b.procs["sshd"], "Server listening on :: port 22.")
    sd_start(node, at(w1 + 0.151), "rpcbind.service", 0.041)
    f0, f1 = P["nfs"]
    sd(node, at(f0), "Mounting mnt-pve-nas.mount - /mnt/pve/nas...", "mnt-pve-nas.mount")
    sd(node, at(f1), "Mounted mnt-pve-nas.mount - /mnt/pve/nas.", "mnt-pve-nas.mount", "started")
    sd_target(node, at(f1 + 0.003), "remote-fs.target")
    sd_target(node, at(f1 + 0.006), "pve-storage.target")
    r0, r1 = P["rrdcached"]
    sd_start(node, at(r0), "rrdcached.service", r1 - r0)

    # pve-cluster and corosync come at fixed, story-given times
    tp, tcs = T(rj["pmxcfs_start"]), T(rj["corosync_start"])
    assert at(r1) < tp - S(1.1), (node, utc(at(r1)))
    sd_starting(node, tp - S(1.0712), "pve-cluster.service")
    cfs(node, tp, "main", "notice", "resolved node name '%s' to '%s' for default node IP address" % (node, n.ip))
    pmxcfs_no_corosync(node, tp + S(0.0192))
    sd_started(node, tp + S(1.0114), "pve-cluster.service")
    sd_starting(node, tcs - S(0.0121), "corosync.service")
    return b


def rejoin(rj, ring_single, ring_merged, epoch, old_pairs):
    """A rebooted node comes back: corosync + pmxcfs + PVE daemons, seen from all nodes."""
    node = rj["node"]
    n = NODE[node]
    b = n.boots[1]
    corosync_startup(node, T(rj["corosync_start"]), T(rj["singleton"]), T(rj["links_up"]),
                     T(rj["merged"]), ring_single, ring_merged)
    for other in NODE_ORDER:
        if other != node:
            corosync_peer_joined(other, node, T(rj["links_up"]), T(rj["merged"]), ring_merged)

    # pmxcfs of the joiner connects on its next retry, then the three-way sync
    tcn = T(rj["pmxcfs_connect"])
    cfs(node, tcn, "status", "notice", "update cluster info (cluster name  %s, version = %d)"
        % (CLUSTER_NAME, CONFIG_VERSION))
    cfs(node, tcn + S(0.0004), "status", "notice", "node has quorum")
    pairs = old_pairs + [(n.nodeid, b.procs["pmxcfs"].pid)]
    leader = min(old_pairs)
    updates = 9 if node == "proxmox2" else 14
    for other in NODE_ORDER:
        t_o = jit(other, tcn + S(0.0011), "cfsj", 0, 1400)
        role = "joiner" if other == node else ("leader" if NODE[other].nodeid == leader[0] else "synced")
        pmxcfs_sync(other, t_o, pairs, epoch, leader, old_pairs, role, updates)

    # PVE daemons start once /etc/pve is there
    tha = T(rj["ha_start"])
    order = [("pve-firewall.service", "pve_firewall", 0), ("pvestatd.service", "pvestatd", 0),
             ("pvedaemon.service", "pvedaemon", 3), ("pve-ha-crm.service", "pve_ha_crm", 0),
             ("pveproxy.service", "pveproxy", 3), ("spiceproxy.service", "spiceproxy", 1),
             ("pve-ha-lrm.service", "pve_ha_lrm", 0), ("pvescheduler.service", "pvescheduler", 0)]
    t_unit = T(rj["merged"]) + S(0.512)
    for i, (unit, key, workers) in enumerate(order):
        if key == "pve_ha_crm":
            t_u = tha - S(0.9411)
        elif key == "pve_ha_lrm":
            t_u = tha - S(0.0212)
        else:     # spread over the time until the HA daemons start
            t_u = t_unit + (tha - t_unit) * i // len(order) + S(0.0813 * i)
        sd_starting(node, t_u, unit)
        daemon_start(node, t_u + S(0.6121), key, workers)
        if key == "pve_ha_crm":
            log(node, t_u + S(0.6192), b.procs[key], "status change startup => wait_for_quorum")
        if key == "pve_ha_lrm":
            log(node, t_u + S(0.6188), b.procs[key], "status change startup => wait_for_agent_lock")
        sd_started(node, t_u + S(0.6402), unit)
    t_crm = tha - S(0.9411) + S(0.6192) + S(10.0023)
    log(node, t_crm, b.procs["pve_ha_crm"], "status change wait_for_quorum => slave")

    # pve-guests: startall skips HA managed guests
    t_g = tha + S(1.212)
    sd_starting(node, t_g, "pve-guests.service")
    pg = spawn(node, t_g + S(0.611), "pvedaemon", "pve-guests", ident="pve-guests", comm="pve-guests",
               cmdline="/usr/bin/perl /usr/bin/pvesh --nooutput create /nodes/localhost/startall",
               unit="pve-guests.service")
    gpid = pg.pid + 1
    b.used_pids.add(gpid)
    ug = upid(node, t_g + S(0.611), gpid, "startall")
    task_start(node, t_g + S(0.6118), pg, ug)
    task_end(node, t_g + S(1.4016), pg, ug)
    sd_started(node, t_g + S(1.6124), "pve-guests.service", "Finished")
    st = rj["startup"]
    t_done = b.t0 + S(st["kernel"] + st["userspace"])
    assert t_done > t_g + S(1.7), node
    it = seq(t_done - S(0.0212), 1.8)
    sd_target(node, next(it), "multi-user.target")
    sd_target(node, next(it), "graphical.target")
    sd_starting(node, next(it), "systemd-update-utmp-runlevel.service")
    sd(node, next(it), "systemd-update-utmp-runlevel.service: Deactivated successfully.",
       "systemd-update-utmp-runlevel.service", "success")
    sd_started(node, next(it), "systemd-update-utmp-runlevel.service", "Finished")
    parts = []
    if st["firmware"]:
        parts += ["%.3fs (firmware)" % st["firmware"], "%.3fs (loader)" % st["loader"]]
    parts += ["%.3fs (kernel)" % st["kernel"], "%.3fs (userspace)" % st["userspace"]]
    total = sum(v for v in st.values() if v)
    sd(node, t_done, "Startup finished in %s = %.3fs." % (" + ".join(parts), total), None, "startup")

    # the LRM gets work (its services come back) and becomes active
    tla = T(rj["lrm_active"])
    lrm = b.procs["pve_ha_lrm"]
    log(node, tla, lrm, "successfully acquired lock 'ha_agent_%s_lock'" % node)
    log(node, tla + S(0.0011), lrm, "watchdog active")
    log(node, tla + S(0.0016), lrm, "status change wait_for_agent_lock => active")

    # the postfix/cron/ssh side of a fresh boot
    cron = b.procs["cron"]
    t_cr = T(rj["merged"]) + S(0.2114)
    sd_started(node, t_cr, "cron.service")
    log(node, t_cr + S(0.0031), cron, "(CRON) INFO (pidfile fd = 3)")
    log(node, t_cr + S(0.0047), cron, "(CRON) INFO (Running @reboot jobs)")
    t_pf = T(rj["merged"]) + S(1.3313)
    sd_starting(node, t_pf, "postfix@-.service")
    pm = Proc("postfix", b.procs["qmgr"].pid - 2, "master", "/usr/lib/postfix/sbin/master", "/usr/lib/postfix/sbin/master -w",
              "postfix@-.service", 2)
    log(node, t_pf + S(0.3911), pm, "daemon started -- version 3.7.11, configuration /etc/postfix")
    sd_started(node, t_pf + S(0.4102), "postfix@-.service")
    sd_start(node, t_pf + S(0.4188), "postfix.service", 0.0021)


# ---------------------------------------------------------------------------
# 5. noise
# ---------------------------------------------------------------------------

def is_up(node, t):
    """Is the node's userland up and running normally (not shutting down or booting)?"""
    for rb, rj in zip(REBOOTS, REJOINS):
        st = rj["startup"]
        back = T(rb["next_t0"]) + S(st["kernel"] + st["userspace"] + 2.0)
        if rb["node"] == node and T(rb["request"]) <= t < back:
            return False
    return True


def guest_node(sid, t):
    """Where an HA guest runs at t, following MOVES."""
    where = GUESTS[sid]["node"]
    for m in MOVES:
        if m["sid"] == sid and T(m["start"]) <= t:
            where = m["dst"] if t >= T(m.get("ct_start", m["end"])) else None
    return where


def cron_running(node, t):
    """cron is stopped in the first shutdown wave and started right after pve-cluster."""
    for rb, rj in zip(REBOOTS, REJOINS):
        if rb["node"] == node and T(rb["request"]) <= t < T(rj["merged"]) + S(0.25):
            return False
    return True


def noise_cron(node):
    """/etc/crontab hourly run-parts, the zfs-auto-snapshot 'frequent' job, a UPS script."""
    r = rng_for(node, "cron")
    t = T("07:30:00")
    while t < T(WINDOW_END):
        hh, mm = utc(t).hour, utc(t).minute
        jobs = []
        if mm == 17:
            jobs.append("cd / && run-parts --report /etc/cron.hourly")
        if node != "proxmox" and mm % 15 == 0:
            jobs.append("which zfs-auto-snapshot > /dev/null || exit 0 ; zfs-auto-snapshot --quiet --syslog "
                        "--label=frequent --keep=4 //")
        if node == "proxmox" and mm % 5 == 0:
            jobs.append("/usr/local/sbin/ups-status.sh > /dev/null 2>&1")
        if node == "proxmox3" and hh == 8 and mm == 0:
            jobs.append("/root/scripts/check-backups.sh")
        for j, cmd in enumerate(jobs):
            ts = t + S(0.0121 + 0.0013 * j) + r.randint(0, 900)
            if not cron_running(node, ts):
                continue
            b = NODE[node].boot_at(ts)
            p = b.procs["cron"].fork(b.newpid(ts, "cron%d" % j), ident="CRON", cmdline="/usr/sbin/CRON -f")
            log(node, ts, p, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", facility=10)
            log(node, ts + S(0.0021), p, "(root) CMD (%s)" % cmd, facility=9)
            dur = 0.08
            if "zfs-auto-snapshot" in cmd or "cron.hourly" in cmd:
                dur = r.uniform(1.1, 2.4)
                label = "frequent" if "frequent" in cmd else "hourly"
                lg = Proc("zfs-auto-snap", b.newpid(ts, "logger"), "logger", "/usr/bin/logger",
                          "logger -t zfs-auto-snap -p daemon.notice", "cron.service", 3, syslog_pid=False)
                cnt = 7
                if node != "proxmox":
                    log(node, ts + S(dur - 0.05), lg, "@zfs-auto-snap_%s-%s, %d created, %d destroyed, 0 warnings."
                        % (label, utc(t).strftime("%Y-%m-%d-%H%M"), cnt, cnt), 5)
            if "check-backups" in cmd:
                dur = 1.37
                postfix_mail(node, ts + S(dur + 0.0412))
            log(node, ts + S(dur), p, "pam_unix(cron:session): session closed for user root", facility=10)
        t += S(60)


def postfix_mail(node, t):
    b = NODE[node].boot_at(t)
    qid = hexid(node, t, "qid", n=11).upper()
    it = seq(t, 12.0)
    mk = lambda name, cmd: Proc("postfix/" + name, b.newpid(t, name), name, "/usr/lib/postfix/sbin/" + name,
                                cmd, "postfix@-.service", 2)
    pick = mk("pickup", "pickup -l -t unix -u -c")
    clean = mk("cleanup", "cleanup -z -t unix -u -c")
    local = mk("local", "local -t unix")
    qm = b.procs["qmgr"]
    d = utc(t)
    log(node, next(it), pick, "%s: uid=0 from=<root>" % qid)
    log(node, next(it), clean, "%s: message-id=<%s.%s@%s.lan>" % (qid, d.strftime("%Y%m%d%H%M%S"), qid, node))
    log(node, next(it), qm, "%s: from=<root@%s.lan>, size=1187, nrcpt=1 (queue active)" % (qid, node))
    log(node, next(it) + S(0.1), local, "%s: to=<root@%s.lan>, orig_to=<root>, relay=local, delay=0.21, "
        "delays=0.06/0.02/0/0.13, dsn=2.0.0, status=sent (delivered to command: /usr/bin/proxmox-mail-forward)"
        % (qid, node))
    log(node, next(it) + S(0.1), qm, "%s: removed" % qid)


def noise_received_log(node):
    """cluster log traffic from elsewhere (GUI logins, API tokens of a dashboard, ...)"""
    r = rng_for(node, "rlog")
    t = T(WINDOW_START) + S(r.uniform(20, 200))
    while t < T(WINDOW_END):
        if in_cpg(node, t) and is_up(node, t):
            log(node, t, "pmxcfs", "[status] notice: received log", 5)
        t += S(r.uniform(90, 420))


def noise_workers(node):
    """pveproxy / pvedaemon workers are recycled after serving their requests."""
    for key, lo, hi in [("pveproxy", 240, 900) if node == "proxmox" else ("pveproxy", 600, 1500),
                        ("pvedaemon", 700, 2000)]:
        r = rng_for(node, "workers", key)
        t = T(WINDOW_START) + S(r.uniform(30, lo))
        while t < T(WINDOW_END):
            if is_up(node, t):
                b = NODE[node].boot_at(t)
                p = b.procs[key]
                old = b.workers[key].pop(0)
                new = b.newpid(t, key + "w")
                b.workers[key].append(new)
                it = seq(t, 0.3)
                log(node, next(it), p, "worker %d finished" % old)
                log(node, next(it), p, "starting 1 worker(s)")
                log(node, next(it), p, "worker %d started" % new)
            t += S(r.uniform(lo, hi))


def noise_chrony(node):
    r = rng_for(node, "chrony")
    srcs = ["162.159.200.1", "194.59.205.229", "185.232.69.65", "78.46.102.180", "5.9.121.211"]
    t = T(WINDOW_START) + S(r.uniform(300, 1500))
    while t < T(WINDOW_END):
        if is_up(node, t):
            c = NODE[node].proc(t, "chronyd")
            if r.random() < 0.5:
                a, bb = r.sample(srcs, 2)
                log(node, t, c, "Source %s replaced with %s (2.debian.pool.ntp.org)" % (a, bb))
            else:
                log(node, t, c, "Selected source %s (2.debian.pool.ntp.org)" % r.choice(srcs))
        t += S(r.uniform(1200, 2600))


def noise_smartd(node):
    if NODE[node].hw != "t330":
        return
    r = rng_for(node, "smartd")
    temp = {"/dev/sda": 29, "/dev/sdb": 31}
    t = T("07:41:12.317")
    while t < T(WINDOW_END):
        if is_up(node, t):
            for dev in ("/dev/sda", "/dev/sdb"):
                if r.random() < 0.7:
                    old = temp[dev]
                    temp[dev] += r.choice([-1, 1, 1])
                    log(node, t + S(0.003 if dev == "/dev/sdb" else 0), NODE[node].proc(t, "smartd"),
                        "Device: %s [SAT], SMART Usage Attribute: 190 Airflow_Temperature_Cel changed from %d to %d"
                        % (dev, 100 - old, 100 - temp[dev]))
        t += S(1800)


def noise_apparmor(node):
    """Debian 12 containers running systemd trip the lxc apparmor profile now and then
    (traefik on ct:102 is Alpine based and never does)."""
    r = rng_for(node, "apparmor")
    t = T(WINDOW_START) + S(r.uniform(60, 600))
    while t < T(WINDOW_END):
        cts = [int(sid[3:]) for sid in ("ct:103", "ct:104", "ct:105") if guest_node(sid, t) == node]
        if cts and is_up(node, t):
            ct = r.choice(cts)
            comm = r.choice(["(ostnamed)", "(resolved)", "(networkd)", "(sd-mkdcreds)"])
            b = NODE[node].boot_at(t)
            audit_line(node, t, 'apparmor="DENIED" operation="mount" class="mount" info="failed flags match" '
                       'error=-13 profile="lxc-%d_</var/lib/lxc>" name="/run/systemd/mount-rootfs/" pid=%d '
                       'comm="%s" srcname="/" flags="rw, rbind"' % (ct, b.newpid(t, "ct"), comm))
        t += S(r.uniform(420, 1300))


def noise_timers():
    # proxmox: daily PVE update check
    t = T("07:44:51.206")
    sd_starting("proxmox", t, "pve-daily-update.service")
    b = NODE["proxmox"].boot_at(t)
    pu = Proc("pveupdate", b.newpid(t, "pveupdate"), "pveupdate", PERL, "/usr/bin/perl /usr/bin/pveupdate",
              "pve-daily-update.service", 3)
    tp = pu.pid + 1
    b.used_pids.add(tp)
    u = upid("proxmox", t + S(1.21), tp, "aptupdate")
    task_start("proxmox", t + S(1.2118), pu, u)
    task_end("proxmox", t + S(7.9312), pu, u)
    sd_stopped("proxmox", t + S(8.1204), "pve-daily-update.service", cpu=5.381)
    sd("proxmox", t + S(8.1209), "Finished pve-daily-update.service - Daily PVE download activities.",
       "pve-daily-update.service", "started")
    # proxmox3: apt-daily
    t = T("07:58:13.519")
    sd_starting("proxmox3", t, "apt-daily.service")
    sd("proxmox3", t + S(2.9112), "apt-daily.service: Deactivated successfully.", "apt-daily.service", "success")
    sd_started("proxmox3", t + S(2.9118), "apt-daily.service", "Finished")
    sd("proxmox3", t + S(2.9121), "apt-daily.service: Consumed 1.923s CPU time.", "apt-daily.service", "resources")
    # proxmox2: tmpfiles-clean 15 minutes after boot
    t = NODE["proxmox2"].boots[1].t0 + S(15 * 60 + 12.118)
    sd_starting("proxmox2", t, "systemd-tmpfiles-clean.service")
    sd("proxmox2", t + S(0.0418), "systemd-tmpfiles-clean.service: Deactivated successfully.",
       "systemd-tmpfiles-clean.service", "success")
    sd_started("proxmox2", t + S(0.0423), "systemd-tmpfiles-clean.service", "Finished")


def noise_dcdb_verify():
    for node in NODE_ORDER:
        cfs(node, jit(node, T("07:46:27.804"), "verify", 0, 2500), "dcdb", "notice", "data verification successful")


# ---------------------------------------------------------------------------
# the whole story
# ---------------------------------------------------------------------------

def initial_state():
    """bridge ports and loop devices of the guests running at the start of the window."""
    for name in NODE_ORDER:
        b = NODE[name].boots[0]
        b.bridge_port(HW[NODE[name].hw]["nic"])
        for sid in sorted(GUESTS, key=lambda x: int(x.split(":")[1])):
            if GUESTS[sid]["node"] == name:
                kind, gid = sid.split(":")
                b.bridge_port(("tap%si0" if kind == "vm" else "veth%si0") % gid)
                if kind == "ct":
                    ct_loop(b, int(gid))


def story():
    initial_state()
    for node in NODE_ORDER:      # first, so that shutdown sees the current worker PIDs
        noise_workers(node)
    # 1. proxmox2 reboot, its services move to proxmox / proxmox3
    reboot(REBOOTS[0])
    r1 = RINGS["initial"] + 4
    t_form = T("08:10:48.402")
    for other in ("proxmox", "proxmox3"):
        corosync_peer_left(other, "proxmox2", jit(other, t_form, "form1", 0, 1800), ring(r1, 1))
    p1 = NODE["proxmox"].boots[0].procs["pmxcfs"].pid
    p3 = NODE["proxmox3"].boots[0].procs["pmxcfs"].pid
    for other, role in (("proxmox", "leader"), ("proxmox3", "synced")):
        pmxcfs_sync(other, jit(other, t_form + S(0.0017), "cfs1", 0, 900), [(1, p1), (3, p3)],
                    (1, p1, 8), (1, p1), [(1, p1), (3, p3)], role, 0)

    # 2. proxmox2 boots and rejoins (08:11:19)
    boot("proxmox2", REJOINS[0], 1)
    r2 = r1 + 4
    rejoin(REJOINS[0], ring(r1, 2), ring(r2, 1), (1, p1, 9), [(1, p1), (3, p3)])

    # 3. proxmox reboot
    reboot(REBOOTS[1])
    r3 = r2 + 4
    p2 = NODE["proxmox2"].boots[1].procs["pmxcfs"].pid
    t_form = T("08:15:37.884")
    for other in ("proxmox2", "proxmox3"):
        corosync_peer_left(other, "proxmox", jit(other, t_form, "form2", 0, 1800), ring(r3, 2))
    for other, role in (("proxmox2", "leader"), ("proxmox3", "synced")):
        pmxcfs_sync(other, jit(other, t_form + S(0.0019), "cfs2", 0, 900), [(2, p2), (3, p3)],
                    (2, p2, 1), (2, p2), [(2, p2), (3, p3)], role, 0)

    # 4. proxmox boots and rejoins (08:17:13)
    boot("proxmox", REJOINS[1], 1)
    r4 = r3 + 4
    p1b = NODE["proxmox"].boots[1].procs["pmxcfs"].pid
    rejoin(REJOINS[1], ring(r3, 1), ring(r4, 1), (1, p1b, 1), [(2, p2), (3, p3)])

    # HA: node states and service moves
    for t, node, old, new in NODE_STATES:
        crm(jit(CRM_NODE, T(t), "ns"), "node '%s': state changed from '%s' => '%s'" % (node, old, new))
    for m in MOVES:
        ha_move(m)
    for node, t, unit in BUS_ERRORS:
        systemctl_bus_error(node, T(t), unit)

    # the symptoms the admin saw
    for node, daemon, t in NOTIFY_FAILURES:
        b = NODE[node].boot_at(T(t))
        unit = daemon + ".service"
        if daemon == "pvescheduler":
            pid = b.newpid(T(t) - S(11), "sched-job")
            comm = "pvescheduler"
        else:
            pid, comm = b.procs["pve_ha_crm"].pid, "pve-ha-crm"
        p = Proc("perl", pid, comm, PERL, daemon, unit, None, "journal")
        log(node, jit(node, T(t)), p, "could not notify via target `%s`: could not notify via endpoint(s): "
            "%s: timeout: global" % (NOTIFY_TARGET, NOTIFY_TARGET), 3,
            fields=[("TARGET", "proxmox_notify")])
    for node, t, sec in PVESTATD_SLOW:
        log(node, jit(node, T(t)), "pvestatd", "status update time (%.3f seconds)" % sec)
    for t, nodes, hexseq in RETRANSMITS:
        for node in nodes:
            cs(node, jit(node, T(t), "rtr", 0, 2000), "TOTEM", "Retransmit List: %s " % hexseq)

    # background noise
    for node in NODE_ORDER:
        noise_cron(node)
        noise_received_log(node)
        noise_chrony(node)
        noise_smartd(node)
        noise_apparmor(node)
    noise_timers()
    noise_dcdb_verify()

    for node in NODE_ORDER:
        render_sessions(node)


# ---------------------------------------------------------------------------
# 6. writers
# ---------------------------------------------------------------------------

def finalize(node):
    """sort, drop what falls outside the window, make timestamps strictly increasing."""
    n = NODE[node]
    lo, hi = T(WINDOW_START), T(WINDOW_END)
    ents = [e for e in n.entries if lo <= e["t"] < hi]
    ents.sort(key=lambda e: (e["t"], e["order"]))
    last = 0
    for e in ents:
        if e["t"] <= last:
            e["t"] = last + 1
        last = e["t"]
    # times written as whole milliseconds in the tables get a µs part; never past the
    # next entry and never into the next second
    for i, e in enumerate(ents):
        if e["t"] % 1000 == 0 and e["kind"] != "kernel":
            nxt = ents[i + 1]["t"] if i + 1 < len(ents) else e["t"] + 1000
            room = min(999, nxt - e["t"] - 1, 999_999 - e["t"] % 1_000_000)
            if room > 0:
                e["t"] += rng_for(node, e["t"], e["msg"]).randint(0, room)
    for e in ents:
        e["boot"] = n.boot_at(e["t"])
    # nothing may fall into the gap between 'Journal stopped' and the next boot
    for b in n.boots[:-1]:
        stop = [e for e in ents if e["boot"] is b and e["msg"] == "Journal stopped"]
        assert stop, node
        late = [e for e in ents if e["boot"] is b and e["t"] > stop[0]["t"]]
        assert not late, (node, [(utc(e["t"]), e["msg"]) for e in late[:5]])
    return ents


def export_fields(n, e):
    b = e["boot"]
    p = e["proc"]
    F = []
    kind = e["kind"]
    mono = b.mono(e["t"])
    if kind == "kernel":
        F += [("_TRANSPORT", "kernel"), ("PRIORITY", e["prio"]), ("SYSLOG_FACILITY", 0),
              ("SYSLOG_IDENTIFIER", "kernel"), ("MESSAGE", e["msg"]),
              ("_SOURCE_MONOTONIC_TIMESTAMP", e["printk"])]
    elif kind == "kmsg":
        # systemd-shutdown logs to /dev/kmsg once the journal socket is gone
        F += [("_TRANSPORT", "kernel"), ("PRIORITY", e["prio"]), ("SYSLOG_FACILITY", 3),
              ("SYSLOG_IDENTIFIER", e["ident"]), ("SYSLOG_PID", 1), ("MESSAGE", e["msg"]), ("_PID", 1),
              ("_SOURCE_MONOTONIC_TIMESTAMP", mono - 180)]
    else:
        if kind == "syslog":
            F += [("_TRANSPORT", "syslog"), ("PRIORITY", e["prio"]), ("SYSLOG_FACILITY", e["facility"]),
                  ("SYSLOG_IDENTIFIER", e["ident"])]
            if p.syslog_pid:
                F.append(("SYSLOG_PID", p.pid))
            F += [("SYSLOG_TIMESTAMP", syslog_stamp(e["t"] - 90) + " "), ("MESSAGE", e["msg"])]
            F += e["fields"]
        elif kind == "stdout":
            F += [("_TRANSPORT", "stdout"), ("PRIORITY", e["prio"]), ("SYSLOG_FACILITY", 3),
                  ("SYSLOG_IDENTIFIER", e["ident"]), ("MESSAGE", e["msg"]),
                  ("_STREAM_ID", id128(n.name, b.boot_id, "stream", p.unit))]
        elif kind == "driver":
            F += [("PRIORITY", e["prio"]), ("_TRANSPORT", "driver"), ("SYSLOG_FACILITY", 3),
                  ("SYSLOG_IDENTIFIER", "systemd-journald"), ("MESSAGE", e["msg"])]
            F += e["fields"]
        else:   # native journal protocol
            F.append(("PRIORITY", e["prio"]))
            if e["facility"] is not None:
                F.append(("SYSLOG_FACILITY", e["facility"]))
            F += [("SYSLOG_IDENTIFIER", e["ident"]), ("MESSAGE", e["msg"])]
            F += e["fields"]
            if p.unit and p.ident == "systemd" and p.pid == 1 and any(k == "UNIT" for k, _ in e["fields"]):
                unit = [v for k, v in e["fields"] if k == "UNIT"][0]
                F.append(("INVOCATION_ID", b.invocation(unit)))
            F.append(("_TRANSPORT", "journal"))
        unit = str(p.unit) if p.unit is not None else None
        F += [("_PID", p.pid), ("_UID", p.uid), ("_GID", p.uid), ("_COMM", p.comm), ("_EXE", p.exe),
              ("_CMDLINE", p.cmdline)]
        if unit:
            slice_ = p.slice or ("-.slice" if unit == "init.scope" else "system.slice")
            F += [("_SYSTEMD_CGROUP", p.cgroup or unit_cgroup(unit, slice_)), ("_SYSTEMD_UNIT", unit),
                  ("_SYSTEMD_SLICE", slice_)]
            if slice_ == "user-0.slice":
                F.append(("_SYSTEMD_OWNER_UID", 0))
                if unit.startswith("session-"):
                    F.append(("_SYSTEMD_SESSION", unit[8:-6]))
            F.append(("_SYSTEMD_INVOCATION_ID", b.invocation(unit)))
        if kind == "journal":
            F.append(("_SOURCE_REALTIME_TIMESTAMP", e["t"] - 41))
    F += [("_MACHINE_ID", n.machine_id), ("_HOSTNAME", n.name)]
    return F


def write_export(node, ents, path):
    n = NODE[node]
    out = []
    seqnum = n.seqnum0
    for e in ents:
        b = e["boot"]
        mono = b.mono(e["t"])
        xor = hexid(n.name, e["t"], e["msg"], n=16).lstrip("0") or "1"
        cursor = "s=%s;i=%x;b=%s;m=%x;t=%x;x=%s" % (n.seqnum_id, seqnum, b.boot_id, mono, e["t"], xor)
        out.append("__CURSOR=%s\n__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n"
                   % (cursor, e["t"], mono, b.boot_id))
        for k, v in export_fields(n, e):
            v = str(v)
            assert "\n" not in v, (k, v)
            out.append("%s=%s\n" % (k, v))
        out.append("\n")
        seqnum += 1
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(out))
    return len(ents)


AUTH_FACILITIES = (4, 10)


def write_syslog(node, ents, path, auth_path):
    """rsyslog (Debian default rules, RSYSLOG_TraditionalFileFormat):
         auth,authpriv.*            /var/log/auth.log
         *.*;auth,authpriv.none    -/var/log/syslog
    imuxsock only sees what journald forwards while rsyslogd runs; imklog reads the whole
    kernel ring buffer at start-up, so early kernel lines carry the start-up time."""
    n = NODE[node]
    events = sorted(n.rsyslog, key=lambda x: x[1])
    running = []          # (start, stop)
    cur = T(WINDOW_START)  # rsyslogd was already running at the start of the window
    for kind, t in events:
        if kind == "stop":
            running.append((cur, t))
            cur = None
        else:
            cur = t
    if cur is not None:
        running.append((cur, T(WINDOW_END)))

    def window_of(t):
        for lo, hi in running:
            if lo <= t <= hi:
                return lo, hi
        return None

    lines, auth = [], []
    for e in ents:
        t = e["t"]
        if e["kind"] == "kernel":
            # imklog: kernel records of this boot that were logged before rsyslogd started
            # are read at start-up; later ones as they come, until rsyslogd stops.
            b = e["boot"]
            w = [x for x in running if b.t0 <= x[1] and (b.end is None or x[0] <= b.end)]
            if not w:
                continue
            lo, hi = w[0]
            if t > hi:
                continue
            ts = max(t, lo + 2100)
            pk = e["printk"]
            text = "kernel: [%5d.%06d] %s" % (pk // 1_000_000, pk % 1_000_000, e["msg"])
            lines.append((ts, e["order"], "%s %s %s" % (syslog_stamp(ts), node, text)))
            continue
        if e["kind"] in ("driver", "kmsg") and e["msg"] in ("Journal stopped",):
            continue
        if not window_of(t):
            continue
        p = e["proc"]
        if e["ident"] == "rsyslogd":
            tag = "rsyslogd:"
        elif e["kind"] == "kmsg":
            continue
        elif p.syslog_pid or e["kind"] != "syslog":
            tag = "%s[%d]:" % (e["ident"], p.pid)
        else:
            tag = "%s:" % e["ident"]
        msg = e["msg"]
        # journald forwards "TAG: MESSAGE"; rsyslog's msg property is " " + MESSAGE, and the
        # traditional template only adds a space if msg does not start with one
        line = "%s %s %s %s" % (syslog_stamp(t), node, tag, msg)
        if e["kind"] in ("syslog", "journal") and e["facility"] in AUTH_FACILITIES:
            auth.append((t, e["order"], line))
        else:
            lines.append((t, e["order"], line))
    for dest, rows in ((path, lines), (auth_path, auth)):
        rows.sort()
        with open(dest, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(r[2] + "\n" for r in rows))
    return len(lines), len(auth)


COROSYNC_CONF = """logging {
  debug: off
  to_syslog: yes
}

nodelist {
%s}

quorum {
  provider: corosync_votequorum
}

totem {
  cluster_name: %s
  config_version: %d
  interface {
    linknumber: 0
  }
  ip_version: ipv4-6
  link_mode: passive
  secauth: on
  version: 2
}

"""


def write_corosync_conf(path):
    nodes = ""
    for name in NODE_ORDER:
        nodes += ("  node {\n    name: %s\n    nodeid: %d\n    quorum_votes: 1\n    ring0_addr: %s\n  }\n"
                  % (name, NODES[name]["nodeid"], NODES[name]["ip"]))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(COROSYNC_CONF % (nodes, CLUSTER_NAME, CONFIG_VERSION))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for d in ("journal", "syslog", os.path.join("syslog", "auth")):
        os.makedirs(os.path.join(outdir, d), exist_ok=True)
    story()
    for node in NODE_ORDER:
        ents = finalize(node)
        ne = write_export(node, ents, os.path.join(outdir, "journal", node + ".export"))
        ns, na = write_syslog(node, ents, os.path.join(outdir, "syslog", node + ".log"),
                              os.path.join(outdir, "syslog", "auth", node + ".log"))
        print("%-9s journal %5d entries, syslog %5d lines, auth.log %4d lines" % (node, ne, ns, na))
    write_corosync_conf(os.path.join(outdir, "corosync.conf"))


if __name__ == "__main__":
    main()
