#!/usr/bin/env python3
"""gen-cluster-logs.py: synthetic Proxmox VE cluster logs for the ingest benchmark.

For every node pve1..pveN it writes the same events twice:
  DIR/NODE.export   journalctl -o export stream (what `journalctl -o export` of the node would print)
  DIR/NODE.log      rsyslog text ("Nov 25 08:10:48 pve1 corosync[1076]:   [TOTEM ] ..."), all
                    facilities in one file, kernel lines with their printk uptime like imklog
and with --journal converts each export into DIR/journal/remote-NODE.journal (systemd-journal-remote).

The mix follows the wording of real Proxmox VE 8/9 journals (the team's catalog of real
Proxmox VE and corosync messages): mostly background noise (pmxcfs "received log",
pvedaemon/pveproxy workers, pvestatd, cron sessions, chronyd, postfix, systemd timers, kernel firewall
drops, sshd, smartd) plus a few percent incident lines: single ones (Retransmit List, token warnings,
KNET link flaps, cpg_send_message retries, notification failures, watchdog-mux warnings...) and
cluster-wide episodes scheduled up front so that every node tells its side of the same story (a node
drops out of the membership and comes back: KNET/TOTEM/QUORUM lines, pmxcfs members/sync/quorum lines,
pve-ha-crm node state changes; and clean reboots: logind, pve-ha-lrm shutdown, corosync stop, pmxcfs
cpg_dispatch failed CS_ERR_LIBRARY, systemd-shutdown, a new boot id with its kernel "Linux version"
banner, corosync start-up, HA back to active).

Output is a pure function of the arguments (--seed included). Times are UTC; ingest the text with
--tz UTC and --year of --start.

--shape long swaps the background for a longer, more varied one (~120 bytes of message on average,
against ~50: qmp timeouts, tasks with their UPIDs and errors, apparmor denials, firewall drops and
status errors, qmeventd/VM scope and tap lines, zed, postfix, pve-firewall, HA locks); the incident
lines and episodes are the same. The default shape's output is unchanged by it.

  gen-cluster-logs.py --nodes 3 --events 2000000 --out bench/out [--journal] [--shape long]
"""
import argparse
import datetime
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time

USEC = 1_000_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"

# Priorities
EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO, DEBUG = range(8)

# ---- sources: how a program appears in the journal --------------------------------------------------
# name: (SYSLOG_IDENTIFIER, _COMM, _SYSTEMD_UNIT, _TRANSPORT, SYSLOG_FACILITY, pid key)
# pid key: a daemon of the boot's pid table, "new" for a fresh pid per event (cron, sshd, postfix
# helpers), "worker" for one of the current pvedaemon/pveproxy workers, None for the kernel.
SOURCES = {
        "corosync": ("corosync", "corosync", "corosync.service", "syslog", 3, "corosync"),
        "pmxcfs": ("pmxcfs", "pmxcfs", "pve-cluster.service", "syslog", 3, "pmxcfs"),
        "pvestatd": ("pvestatd", "pvestatd", "pvestatd.service", "syslog", 3, "pvestatd"),
        "pvedaemon": ("pvedaemon", "pvedaemon", "pvedaemon.service", "syslog", 3, "pvedaemon"),
        "pvedaemon-w": ("pvedaemon", "pvedaemon worke", "pvedaemon.service", "syslog", 3, "pvedaemon-w"),
        "pveproxy": ("pveproxy", "pveproxy", "pveproxy.service", "syslog", 3, "pveproxy"),
        "pveproxy-w": ("pveproxy", "pveproxy worker", "pveproxy.service", "syslog", 3, "pveproxy-w"),
        "pvescheduler": ("pvescheduler", "pvescheduler", "pvescheduler.service", "syslog", 3, "pvescheduler"),
        "pve-ha-crm": ("pve-ha-crm", "pve-ha-crm", "pve-ha-crm.service", "syslog", 3, "pve-ha-crm"),
        "pve-ha-lrm": ("pve-ha-lrm", "pve-ha-lrm", "pve-ha-lrm.service", "syslog", 3, "pve-ha-lrm"),
        "perl": ("perl", "pve-ha-crm", "pve-ha-crm.service", "journal", 3, "pve-ha-crm"),
        "watchdog-mux": ("watchdog-mux", "watchdog-mux", "watchdog-mux.service", "stdout", 3, "watchdog-mux"),
        "cron-auth": ("CRON", "cron", "cron.service", "syslog", 10, "new"),
        "cron": ("CRON", "cron", "cron.service", "syslog", 9, "new"),
        "chronyd": ("chronyd", "chronyd", "chrony.service", "syslog", 3, "chronyd"),
        "pickup": ("postfix/pickup", "pickup", "postfix@-.service", "syslog", 2, "new"),
        "cleanup": ("postfix/cleanup", "cleanup", "postfix@-.service", "syslog", 2, "new"),
        "qmgr": ("postfix/qmgr", "qmgr", "postfix@-.service", "syslog", 2, "qmgr"),
        "smtp": ("postfix/smtp", "smtp", "postfix@-.service", "syslog", 2, "new"),
        "systemd": ("systemd", "systemd", "init.scope", "journal", 3, "systemd"),
        "systemd-logind": ("systemd-logind", "systemd-logind", "systemd-logind.service", "journal", 4, "systemd-logind"),
        "systemd-journald": ("systemd-journald", "systemd-journal", "systemd-journald.service", "driver", 3, "systemd-journald"),
        "systemd-shutdown": ("systemd-shutdown", "systemd-shutdow", "init.scope", "kernel", 3, "systemd"),
        "sshd": ("sshd", "sshd", "ssh.service", "syslog", 4, "new"),
        "sshd-auth": ("sshd", "sshd", "ssh.service", "syslog", 10, "new"),
        "smartd": ("smartd", "smartd", "smartmontools.service", "syslog", 3, "smartd"),
        "kernel": ("kernel", None, None, "kernel", 0, None),
        # --shape long only (after the others, so the default shape's source numbers stay as they were)
        "qmeventd": ("qmeventd", "qmeventd", "qmeventd.service", "syslog", 3, "qmeventd"),
        "zed": ("zed", "zed", "zfs-zed.service", "syslog", 3, "zed"),
        "pve-firewall": ("pve-firewall", "pve-firewall", "pve-firewall.service", "syslog", 3, "pve-firewall"),
}
SRC_NAMES = list(SOURCES)
SRC = {name: i for i, name in enumerate(SRC_NAMES)}

DAEMONS = ("systemd-journald", "systemd-logind", "watchdog-mux", "chronyd", "smartd", "pmxcfs", "corosync",
           "qmgr", "pvestatd", "pvedaemon", "pve-ha-crm", "pveproxy", "pve-ha-lrm", "pvescheduler")

KERNEL = "6.8.12-4-pve"
LINUX_VERSION = (f"Linux version {KERNEL} (build@proxmox) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for "
                 "Debian) 2.40) #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z) ()")
HA_SERVICES = ("vm:100", "vm:101", "ct:102", "vm:103", "ct:104", "vm:105")

# pmxcfs retrying its corosync services while corosync is down (at shutdown and at boot alike).
PMXCFS_WITHOUT_COROSYNC = (
        ("pmxcfs", CRIT, "[quorum] crit: quorum_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)"),
        ("pmxcfs", CRIT, "[quorum] crit: can't initialize service"),
        ("pmxcfs", CRIT, "[confdb] crit: cmap_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)"),
        ("pmxcfs", CRIT, "[confdb] crit: can't initialize service"),
        ("pmxcfs", NOTICE, "[dcdb] notice: start cluster connection"),
        ("pmxcfs", CRIT, "[dcdb] crit: cpg_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)"),
        ("pmxcfs", CRIT, "[dcdb] crit: can't initialize service"),
        ("pmxcfs", NOTICE, "[status] notice: start cluster connection"),
        ("pmxcfs", CRIT, "[status] crit: cpg_initialize failed: CS_ERR_LIBRARY (failed to connect to corosync)"),
        ("pmxcfs", CRIT, "[status] crit: can't initialize service"),
)


def hex32(rng):
        return "%032x" % rng.getrandbits(128)


def ip_of(i):
        return "10.10.10.%d" % (10 + i)


# ---- the cluster plan: boots and cluster-wide episodes ----------------------------------------------

class Boot:
        __slots__ = ("boot_id", "start", "pids", "next_pid")

        def __init__(self, rng, start, first_pid):
                self.boot_id = hex32(rng)
                self.start = start            # realtime µs of the kernel's monotonic zero
                pid = first_pid
                self.pids = {"systemd": 1}
                for d in DAEMONS:
                        pid += rng.randint(3, 60)
                        self.pids[d] = pid
                self.next_pid = pid + rng.randint(200, 900)


class Plan:
        """Everything the per-node workers share: node facts, boots and the scheduled lines."""

        def __init__(self, args):
                rng = random.Random(args.seed)
                self.args = args
                n = args.nodes
                self.names = ["pve%d" % (i + 1) for i in range(n)]
                self.counts = [args.events // n + (1 if i < args.events % n else 0) for i in range(n)]
                self.start = args.start_us
                self.machine_ids = [hex32(rng) for _ in range(n)]
                self.seqnum_ids = [hex32(rng) for _ in range(n)]
                self.boots = [[Boot(rng, self.start - rng.randint(2, 40) * 86400 * USEC - rng.randint(0, 86400) * USEC,
                                    rng.randint(600, 900))] for _ in range(n)]
                self.sched = [[] for _ in range(n)]    # per node: (t, order, src, prio, msg) or boot switches
                self.quiet = [[] for _ in range(n)]    # per node: [from, to) without background noise
                self.ring = 0x1000
                self.order = 0
                self.epoch = 1
                self.episodes = 0
                self.reboots = 0

                span = max(self.counts) * USEC / args.rate   # how long the noise of one node lasts
                end = self.start + int(span)
                busy = []                                    # [from, to) taken by a reboot or an episode

                # Reboots: about every --reboot-every events of a node, staggered between nodes.
                # (planned in time order: the pmxcfs "members:" lines name every node's pid of the moment)
                every = args.reboot_every * USEC / args.rate
                wanted = []
                for i in range(n):
                        t = self.start + int(every * (0.3 + 0.6 * (i + rng.random()) / n))
                        while t + 600 * USEC < end:
                                wanted.append((t, i))
                                t += int(every * rng.uniform(0.8, 1.2))
                for t, i in sorted(wanted):
                        if not any(a - 900 * USEC < t < b + 300 * USEC for a, b in busy):
                                busy.append(self.reboot(rng, i, t))

                # Partitions: a node drops out of the membership for a few seconds and comes back.
                # Each costs every node ~25 lines; aim at --episode-share of all lines.
                n_ep = int(args.episode_share * args.events / (25 * n)) if n > 1 else 0
                for _ in range(n_ep):
                        for _attempt in range(20):
                                t = self.start + 600 * USEC + int(rng.random() * (span - 1200 * USEC))
                                if not any(a - 120 * USEC < t < b + 120 * USEC for a, b in busy):
                                        busy.append(self.partition(rng, rng.randrange(n), t))
                                        break

                for s in self.sched:
                        s.sort(key=lambda e: (e[0], e[1]))

        # -- helpers --

        def boot_at(self, i, t):
                cur = self.boots[i][0]
                for b in self.boots[i]:
                        if b.start <= t:
                                cur = b
                return cur

        def add(self, i, t, src, prio, msg):
                self.order += 1
                self.sched[i].append((t, self.order, SRC[src], prio, msg))

        def seq(self, i, t, lines, step=(2000, 40000), rng=None):
                """Schedule lines on node i from t on, a few ms apart; return the time after the last."""
                for src, prio, msg in lines:
                        self.add(i, t, src, prio, msg)
                        t += rng.randint(*step)
                return t

        def members(self, nodes, t):
                return ", ".join("%d/%d" % (j + 1, self.boot_at(j, t).pids["pmxcfs"]) for j in nodes)

        def master(self, nodes):
                return min(nodes)

        # -- episodes --

        def change(self):
                """Ring sequence and pmxcfs sync epoch of a new membership, the same on all its nodes."""
                self.ring += 1
                self.epoch += 1
                return self.ring, self.epoch

        def membership_lines(self, i, t, ring, new_members, left=(), joined=(), clean=False, quorate=True,
                             quorum_changed=False, rng=None):
                """The corosync + pmxcfs side of one membership change as seen by node i."""
                ring, epoch = ring
                ids = " ".join(str(j + 1) for j in new_members)
                rep = min(new_members) + 1
                lines = []
                if left and not clean:
                        for j in left:
                                lines.append(("corosync", INFO, "  [KNET  ] link: host: %d link: 0 is down" % (j + 1)))
                                lines.append(("corosync", WARNING, "  [KNET  ] host: host: %d has no active links" % (j + 1)))
                        lines.append(("corosync", NOTICE, "  [TOTEM ] Token has not been received in 2250 ms"))
                        lines.append(("corosync", NOTICE, "  [TOTEM ] A processor failed, forming new configuration: "
                                                          "token timed out (3000ms), waiting 3600ms for consensus."))
                for j in joined:
                        lines.append(("corosync", INFO, "  [KNET  ] rx: host: %d link: 0 is up" % (j + 1)))
                        lines.append(("corosync", INFO, "  [KNET  ] host: host: %d (passive) best link: 0 (pri: 1)" % (j + 1)))
                lines.append(("corosync", NOTICE, "  [QUORUM] Sync members[%d]: %s" % (len(new_members), ids)))
                if joined:
                        lines.append(("corosync", NOTICE, "  [QUORUM] Sync joined[%d]: %s" %
                                      (len(joined), " ".join(str(j + 1) for j in joined))))
                if left:
                        lines.append(("corosync", NOTICE, "  [QUORUM] Sync left[%d]: %s" %
                                      (len(left), " ".join(str(j + 1) for j in left))))
                what = ""
                if joined:
                        what += " joined: " + " ".join(str(j + 1) for j in joined)
                if left:
                        what += " left: " + " ".join(str(j + 1) for j in left)
                lines.append(("corosync", NOTICE, "  [TOTEM ] A new membership (%x.%x) was formed. Members%s" %
                              (rep, ring, what)))
                if left and not clean:
                        lines.append(("corosync", NOTICE, "  [TOTEM ] Failed to receive the leave message. failed: %s" %
                                      " ".join(str(j + 1) for j in left)))
                mem = self.members(new_members, t)
                for dom in ("dcdb", "status"):
                        lines.append(("pmxcfs", NOTICE, "[%s] notice: members: %s" % (dom, mem)))
                        if len(new_members) > 1:
                                lines.append(("pmxcfs", NOTICE, "[%s] notice: starting data syncronisation" % dom))
                if quorum_changed:
                        if quorate:
                                lines.append(("corosync", NOTICE, "  [QUORUM] This node is within the primary component "
                                                                  "and will provide service."))
                        else:
                                lines.append(("corosync", NOTICE, "  [QUORUM] This node is within the non-primary "
                                                                  "component and will NOT provide any services."))
                lines.append(("corosync", NOTICE, "  [QUORUM] Members[%d]: %s" % (len(new_members), ids)))
                lines.append(("corosync", NOTICE, "  [MAIN  ] Completed service synchronization, ready to provide service."))
                if quorum_changed:
                        lines.append(("pmxcfs", NOTICE, "[status] notice: node %s quorum" %
                                      ("has" if quorate else "lost")))
                if len(new_members) > 1:
                        leader = min(new_members)
                        lpid = self.boot_at(leader, t).pids["pmxcfs"]
                        for dom in ("dcdb", "status"):
                                lines.append(("pmxcfs", NOTICE, "[%s] notice: received sync request (epoch %d/%d/%08X)" %
                                              (dom, leader + 1, lpid, epoch)))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: received all states"))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: leader is %d/%d" % (leader + 1, lpid)))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: synced members: %s" % mem))
                        if i == leader:
                                lines.append(("pmxcfs", NOTICE, "[dcdb] notice: start sending inode updates"))
                                lines.append(("pmxcfs", NOTICE, "[dcdb] notice: sent all (%d) updates" % rng.randint(0, 4)))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: all data is up to date"))
                        lines.append(("pmxcfs", NOTICE, "[status] notice: received all states"))
                        lines.append(("pmxcfs", NOTICE, "[status] notice: all data is up to date"))
                elif not quorate:
                        lines.append(("pmxcfs", CRIT, "[dcdb] crit: received write while not quorate - trigger resync"))
                        lines.append(("pmxcfs", CRIT, "[dcdb] crit: leaving CPG group"))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: start cluster connection"))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: members: %s" % mem))
                        lines.append(("pmxcfs", NOTICE, "[dcdb] notice: all data is up to date"))
                return lines

        def partition(self, rng, k, t0):
                """Node k loses its links for 5..40 s (no fencing: shorter than the 60 s watchdog)."""
                n = self.args.nodes
                everyone = list(range(n))
                rest = [j for j in everyone if j != k]
                quorate_rest = len(rest) * 2 > n
                t_back = t0 + rng.randint(5, 40) * USEC
                ring_k, ring_rest, ring_all = self.change(), self.change(), self.change()
                self.episodes += 1
                for i in everyone:
                        jit = rng.randint(0, 30000)
                        if i == k:
                                lines = self.membership_lines(i, t0, ring_k, [k], left=rest, quorate=False,
                                                              quorum_changed=True, rng=rng)
                                self.seq(i, t0 + jit, lines, rng=rng)
                                self.add(i, t0 + 9 * USEC + jit, "pve-ha-lrm", INFO, "status change active => lost_agent_lock")
                                lines = self.membership_lines(i, t_back, ring_all, everyone, joined=rest, quorate=True,
                                                              quorum_changed=True, rng=rng)
                                t = self.seq(i, t_back + jit, lines, rng=rng)
                                self.add(i, t + 4 * USEC, "pve-ha-lrm", INFO,
                                         "successfully acquired lock 'ha_agent_%s_lock'" % self.names[k])
                                self.add(i, t + 4 * USEC + 1500, "pve-ha-lrm", INFO, "status change lost_agent_lock => active")
                        else:
                                lines = self.membership_lines(i, t0, ring_rest, rest, left=[k], quorate=quorate_rest,
                                                              quorum_changed=not quorate_rest, rng=rng)
                                self.seq(i, t0 + jit, lines, rng=rng)
                                lines = self.membership_lines(i, t_back, ring_all, everyone, joined=[k], quorate=True,
                                                              quorum_changed=not quorate_rest, rng=rng)
                                t = self.seq(i, t_back + jit, lines, rng=rng)
                                if quorate_rest and i == self.master(rest):
                                        self.add(i, t0 + 10 * USEC + jit, "pve-ha-crm", INFO,
                                                 "node '%s': state changed from 'online' => 'unknown'" % self.names[k])
                                        self.add(i, t + 10 * USEC, "pve-ha-crm", INFO,
                                                 "node '%s': state changed from 'unknown' => 'online'" % self.names[k])
                return (t0, t_back + 60 * USEC)

        def reboot(self, rng, k, t0):
                """A clean reboot of node k: shutdown, ~1-2 min dark, boot, rejoin."""
                n = self.args.nodes
                everyone = list(range(n))
                rest = [j for j in everyone if j != k]
                quorate_rest = len(rest) * 2 > n
                name = self.names[k]
                mid = self.machine_ids[k]
                services = HA_SERVICES[k::n] if n > 1 else ()
                self.reboots += 1
                S = lambda src, prio, msg: (src, prio, msg)
                down = [
                        S("systemd-logind", NOTICE, "The system will reboot now!"),
                        S("systemd-logind", NOTICE, "System is rebooting."),
                        S("pve-ha-lrm", INFO, "got shutdown request with shutdown policy 'conditional'"),
                        S("pve-ha-lrm", INFO, "reboot LRM, stop and freeze all services"),
                        S("systemd", INFO, "Stopping pve-guests.service - PVE guests..."),
                ]
                for sid in services:
                        down.append(S("pve-ha-lrm", INFO, "stopping service %s" % sid))
                        down.append(S("pve-ha-lrm", INFO, "service status %s stopped" % sid))
                down += [
                        S("systemd", INFO, "pve-guests.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped pve-guests.service - PVE guests."),
                        S("systemd", INFO, "Stopping pve-ha-lrm.service - PVE Local HA Resource Manager Daemon..."),
                        S("pve-ha-lrm", INFO, "received signal TERM"),
                        S("pve-ha-lrm", INFO, "watchdog closed (disabled)"),
                        S("pve-ha-lrm", INFO, "server stopped"),
                        S("systemd", INFO, "pve-ha-lrm.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped pve-ha-lrm.service - PVE Local HA Resource Manager Daemon."),
                        S("systemd", INFO, "Stopping pve-ha-crm.service - PVE Cluster HA Resource Manager Daemon..."),
                        S("pve-ha-crm", INFO, "received signal TERM"),
                        S("pve-ha-crm", INFO, "server received shutdown request"),
                        S("pve-ha-crm", INFO, "server stopped"),
                        S("systemd", INFO, "pve-ha-crm.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped pve-ha-crm.service - PVE Cluster HA Resource Manager Daemon."),
                        S("systemd", INFO, "Stopping corosync.service - Corosync Cluster Engine..."),
                        S("corosync", NOTICE, "  [MAIN  ] Node was shut down by a signal"),
                        S("corosync", NOTICE, "  [SERV  ] Unloading all Corosync service engines."),
                        S("corosync", INFO, "  [QB    ] withdrawing server sockets"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine unloaded: corosync vote quorum service v1.0"),
                        S("pmxcfs", CRIT, "[confdb] crit: cmap_dispatch failed: 2"),
                        S("corosync", INFO, "  [QB    ] withdrawing server sockets"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine unloaded: corosync configuration map access"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine unloaded: corosync cluster closed process group service v1.01"),
                        S("pmxcfs", CRIT, "[status] crit: cpg_dispatch failed: CS_ERR_LIBRARY"),
                        S("pmxcfs", CRIT, "[dcdb] crit: cpg_dispatch failed: CS_ERR_LIBRARY"),
                        S("pmxcfs", CRIT, "[quorum] crit: quorum_dispatch failed: CS_ERR_LIBRARY"),
                        S("pmxcfs", NOTICE, "[status] notice: node lost quorum"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine unloaded: corosync cluster quorum service v0.1"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine unloaded: corosync watchdog service"),
                        S("corosync", NOTICE, "  [MAIN  ] Corosync Cluster Engine exiting normally"),
                        S("systemd", INFO, "corosync.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped corosync.service - Corosync Cluster Engine."),
                        *PMXCFS_WITHOUT_COROSYNC,
                        S("systemd", INFO, "Stopping pve-cluster.service - The Proxmox VE cluster filesystem..."),
                        S("pmxcfs", NOTICE, "[main] notice: teardown filesystem"),
                        S("pmxcfs", NOTICE, "[main] notice: exit proxmox configuration filesystem (0)"),
                        S("systemd", INFO, "pve-cluster.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped pve-cluster.service - The Proxmox VE cluster filesystem."),
                        S("systemd", INFO, "Stopping watchdog-mux.service - Proxmox VE watchdog multiplexer..."),
                        S("watchdog-mux", INFO, "got terminate request"),
                        S("watchdog-mux", INFO, "clean exit"),
                        S("systemd", INFO, "watchdog-mux.service: Deactivated successfully."),
                        S("systemd", INFO, "Stopped watchdog-mux.service - Proxmox VE watchdog multiplexer."),
                        S("systemd", INFO, "Reached target reboot.target - System Reboot."),
                        S("systemd", INFO, "Shutting down."),
                        S("systemd-shutdown", INFO, "Syncing filesystems and block devices."),
                        S("systemd-shutdown", INFO, "Sending SIGTERM to remaining processes..."),
                        S("systemd-journald", INFO, "Received SIGTERM from PID 1 (systemd-shutdown)."),
                        S("systemd-journald", INFO, "Journal stopped"),
                ]
                t = self.seq(k, t0, down, step=(20000, 400000), rng=rng)
                quiet_from = t0
                t_corosync_stop = t0 + (t - t0) // 2
                ring_rest = self.change()
                # The others see a clean leave (corosync sent its LEAVE message).
                for i in rest:
                        lines = self.membership_lines(i, t_corosync_stop, ring_rest, rest, left=[k], clean=True,
                                                      quorate=quorate_rest, quorum_changed=not quorate_rest, rng=rng)
                        self.seq(i, t_corosync_stop + rng.randint(1000, 30000), lines, rng=rng)
                        if i == self.master(rest):
                                tt = t_corosync_stop + 10 * USEC
                                self.add(i, tt, "pve-ha-crm", INFO, "node '%s': state changed from 'online' => 'unknown'" % name)
                                for sid in services:
                                        tt += rng.randint(1000, 9000)
                                        self.add(i, tt, "pve-ha-crm", INFO,
                                                 "service '%s': state changed from 'started' to 'freeze'" % sid)

                # Dark for 1-2 minutes, then the new boot.
                t_boot = t + rng.randint(60, 120) * USEC
                new = Boot(rng, t_boot, rng.randint(380, 520))
                self.boots[k].append(new)
                self.order += 1
                self.sched[k].append((t_boot, self.order, -1, len(self.boots[k]) - 1, None))
                klines = [
                        (0, LINUX_VERSION),
                        (0, "Command line: BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/mapper/pve-root ro quiet" % KERNEL),
                        (0, "KERNEL supported cpus:"),
                        (0, "  Intel GenuineIntel"),
                        (0, "  AMD AuthenticAMD"),
                        (0, "BIOS-provided physical RAM map:"),
                        (0, "DMI: Supermicro X11SCL-F/X11SCL-F, BIOS 2.2 10/28/2023"),
                        (2, "tsc: Detected 3600.000 MHz processor"),
                        (61, "Memory: 65612844K/67017016K available (22528K kernel code, 4431K rwdata)"),
                        (204, "smpboot: CPU0: Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz (family: 0x6, model: 0x9e, stepping: 0xa)"),
                        (1530, "e1000e 0000:00:1f.6 eno1: renamed from eth0"),
                        (2840, "EXT4-fs (dm-1): mounted filesystem with ordered data mode. Quota mode: none."),
                        (3950, "softdog: initialized. soft_noboot=0 soft_margin=60 sec soft_panic=0 (nowayout=0)"),
                        (4120, "vmbr0: port 1(eno1) entered forwarding state"),
                ]
                for n_line, (ms, msg) in enumerate(klines):     # "Linux version" first, at uptime 0
                        self.order += 1
                        self.sched[k].append((t_boot + ms * 1000 + 7 * n_line, self.order, SRC["kernel"], INFO, msg))
                t = t_boot + 4200 * USEC // 1000 + rng.randint(1000, 9000)
                ring_k, _ = self.change()
                boot_lines = [
                        S("systemd-journald", INFO, "Journal started"),
                        S("systemd-journald", INFO, "Runtime Journal (/run/log/journal/%s) is 8.0M, max 64.0M, 56.0M free." % mid),
                        S("systemd-journald", INFO, "System Journal (/var/log/journal/%s) is 1.1G, max 4.0G, 2.8G free." % mid),
                        S("systemd", INFO, "Starting watchdog-mux.service - Proxmox VE watchdog multiplexer..."),
                        S("watchdog-mux", INFO, "Loading watchdog module 'softdog'"),
                        S("watchdog-mux", INFO, "Watchdog driver 'Software Watchdog', version 0"),
                        S("systemd", INFO, "Started watchdog-mux.service - Proxmox VE watchdog multiplexer."),
                        S("chronyd", INFO, "chronyd version 4.3 starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER +SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)"),
                        S("systemd", INFO, "Starting pve-cluster.service - The Proxmox VE cluster filesystem..."),
                        S("pmxcfs", NOTICE, "[main] notice: resolved node name '%s' to '%s' for default node IP address" % (name, ip_of(k))),
                        *PMXCFS_WITHOUT_COROSYNC,
                        S("systemd", INFO, "Started pve-cluster.service - The Proxmox VE cluster filesystem."),
                        S("systemd", INFO, "Starting corosync.service - Corosync Cluster Engine..."),
                        S("corosync", NOTICE, "  [MAIN  ] Corosync Cluster Engine 3.1.9 starting up"),
                        S("corosync", INFO, "  [MAIN  ] Corosync built-in features: dbus monitoring watchdog systemd xmlconf vqsim nozzle snmp pie relro bindnow"),
                        S("corosync", NOTICE, "  [TOTEM ] Initializing transport (Kronosnet)."),
                        S("corosync", INFO, "  [TOTEM ] totemknet initialized"),
                        S("corosync", INFO, "  [KNET  ] common: crypto_nss.so has been loaded from /usr/lib/x86_64-linux-gnu/kronosnet/crypto_nss.so"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync configuration map access [0]"),
                        S("corosync", INFO, "  [QB    ] server name: cmap"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync configuration service [1]"),
                        S("corosync", INFO, "  [QB    ] server name: cfg"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync cluster closed process group service v1.01 [2]"),
                        S("corosync", INFO, "  [QB    ] server name: cpg"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync profile loading service [4]"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync resource monitoring service [6]"),
                        S("corosync", WARNING, "  [WD    ] Watchdog not enabled by configuration"),
                        S("corosync", WARNING, "  [WD    ] resource load_15min missing a recovery key."),
                        S("corosync", WARNING, "  [WD    ] resource memory_used missing a recovery key."),
                        S("corosync", INFO, "  [WD    ] no resources configured."),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync watchdog service [7]"),
                        S("corosync", NOTICE, "  [QUORUM] Using quorum provider corosync_votequorum"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync vote quorum service v1.0 [5]"),
                        S("corosync", INFO, "  [QB    ] server name: votequorum"),
                        S("corosync", NOTICE, "  [SERV  ] Service engine loaded: corosync cluster quorum service v0.1 [3]"),
                        S("corosync", INFO, "  [QB    ] server name: quorum"),
                        S("corosync", INFO, "  [TOTEM ] Configuring link 0"),
                        S("corosync", INFO, "  [TOTEM ] Configured link number 0: local addr: %s, port=5405" % ip_of(k)),
                        S("corosync", INFO, "  [KNET  ] link: Resetting MTU for link 0 because host %d joined" % (k + 1)),
                        S("corosync", NOTICE, "  [QUORUM] Sync members[1]: %d" % (k + 1)),
                        S("corosync", NOTICE, "  [QUORUM] Sync joined[1]: %d" % (k + 1)),
                        S("corosync", NOTICE, "  [TOTEM ] A new membership (%x.%x) was formed. Members joined: %d" % (k + 1, ring_k, k + 1)),
                        S("corosync", NOTICE, "  [QUORUM] Members[1]: %d" % (k + 1)),
                        S("corosync", NOTICE, "  [MAIN  ] Completed service synchronization, ready to provide service."),
                        S("systemd", INFO, "Started corosync.service - Corosync Cluster Engine."),
                        S("systemd", INFO, "Starting pve-ha-crm.service - PVE Cluster HA Resource Manager Daemon..."),
                        S("pve-ha-crm", INFO, "starting server"),
                        S("pve-ha-crm", INFO, "status change startup => wait_for_quorum"),
                        S("systemd", INFO, "Started pve-ha-crm.service - PVE Cluster HA Resource Manager Daemon."),
                        S("systemd", INFO, "Starting pve-ha-lrm.service - PVE Local HA Resource Manager Daemon..."),
                        S("pve-ha-lrm", INFO, "starting server"),
                        S("pve-ha-lrm", INFO, "status change startup => wait_for_agent_lock"),
                        S("systemd", INFO, "Started pve-ha-lrm.service - PVE Local HA Resource Manager Daemon."),
                ]
                t = self.seq(k, t, boot_lines, step=(3000, 150000), rng=rng)
                # Rejoin: the whole cluster sees the node come back.
                t_join = t + rng.randint(2, 6) * USEC
                ring_all = self.change()
                for i in everyone:
                        if i == k:
                                lines = self.membership_lines(i, t_join, ring_all, everyone, joined=rest, quorate=True,
                                                              quorum_changed=True, rng=rng)
                        else:
                                lines = self.membership_lines(i, t_join, ring_all, everyone, joined=[k], quorate=True,
                                                              quorum_changed=not quorate_rest, rng=rng)
                        tt = self.seq(i, t_join + rng.randint(0, 30000), lines, rng=rng)
                        if i == k:
                                after = [
                                        S("pve-ha-crm", INFO, "status change wait_for_quorum => slave"),
                                        S("pve-ha-lrm", INFO, "successfully acquired lock 'ha_agent_%s_lock'" % name),
                                        S("pve-ha-lrm", INFO, "watchdog active"),
                                        S("pve-ha-lrm", INFO, "status change wait_for_agent_lock => active"),
                                        S("watchdog-mux", INFO, "added new client (PID %d) to watch" % new.pids["pve-ha-lrm"]),
                                ]
                                for sid in services:
                                        after.append(S("pve-ha-lrm", INFO, "starting service %s" % sid))
                                        after.append(S("pve-ha-lrm", INFO, "service status %s started" % sid))
                                after += [
                                        S("systemd", INFO, "Starting pvedaemon.service - PVE API Daemon..."),
                                        S("pvedaemon", INFO, "starting server"),
                                        S("pvedaemon", INFO, "starting 3 worker(s)"),
                                        S("systemd", INFO, "Started pvedaemon.service - PVE API Daemon."),
                                        S("systemd", INFO, "Starting pveproxy.service - PVE API Proxy Server..."),
                                        S("pveproxy", INFO, "starting server"),
                                        S("pveproxy", INFO, "starting 3 worker(s)"),
                                        S("systemd", INFO, "Started pveproxy.service - PVE API Proxy Server."),
                                        S("pvestatd", INFO, "starting server"),
                                        S("pvescheduler", INFO, "starting server"),
                                        S("systemd", INFO, "Startup finished in 2.843s (firmware) + 6.596s (loader) + "
                                                           "4.713s (kernel) + %.3fs (userspace) = %.3fs." %
                                          ((tt - t_boot) / USEC, (tt - t_boot) / USEC + 14.152)),
                                ]
                                tt = self.seq(i, tt + 2 * USEC, after, step=(5000, 300000), rng=rng)
                                self.quiet[k].append((quiet_from, tt))
                        elif i == self.master(rest):
                                tt += 10 * USEC
                                self.add(i, tt, "pve-ha-crm", INFO, "node '%s': state changed from 'unknown' => 'online'" % name)
                                for sid in services:
                                        tt += rng.randint(1000, 9000)
                                        self.add(i, tt, "pve-ha-crm", INFO,
                                                 "service '%s': state changed from 'freeze' to 'started'" % sid)
                return (t0, t_join + 120 * USEC)


# ---- background noise and single incident lines (per node, drawn at random) ------------------------

class NodeState:
        """What the noise generators of one node need: names, the current boot's pids, counters."""

        def __init__(self, plan, i, rng):
                self.rng = rng
                self.i = i
                self.name = plan.names[i]
                self.n = plan.args.nodes
                self.peers = [j + 1 for j in range(self.n) if j != i] or [2]
                self.boot = None
                self.workers = {}
                self.retransmit = rng.randint(0x100000, 0x7fffff)
                self.session = rng.randint(1, 2000)
                self.queue_id = rng.getrandbits(40)

        def set_boot(self, boot):
                self.boot = boot
                self.workers = {"pvedaemon-w": [self.new_pid() for _ in range(3)],
                                "pveproxy-w": [self.new_pid() for _ in range(3)]}
                # The long shape's daemons: derived from the boot's pids, no random draw, so the
                # default shape's data stays what it was.
                p = boot.pids
                p.setdefault("qmeventd", p["pvestatd"] - 17)
                p.setdefault("zed", p["smartd"] + 5)
                p.setdefault("pve-firewall", p["pvestatd"] - 3)

        def new_pid(self):
                b = self.boot
                b.next_pid += self.rng.randint(1, 40)
                if b.next_pid > 4_000_000:
                        b.next_pid = 1000
                return b.next_pid

        def upid(self, kind, vmid):
                return "UPID:%s:%08X:%08X:%08X:%s:%s:root@pam:" % (self.name, self.new_pid(), self.rng.getrandbits(28),
                                                                   self.rng.getrandbits(31), kind, vmid)


# Each noise kind: (weight, incident?, function(state) -> list of (src, prio, msg, pid or None)).
# pid None: the source's pid key decides (daemon of the boot, or a fresh one for "new").

def k_received_log(s):
        return [(SRC["pmxcfs"], NOTICE, "[status] notice: received log", None)]


def k_worker_cycle(which):
        master, w = which, which + "-w"

        def f(s):
                pool = s.workers[w]
                idx = s.rng.randrange(len(pool))
                old = pool[idx]
                pool[idx] = s.new_pid()
                return [(SRC[master], INFO, "worker %d finished" % old, None),
                        (SRC[master], INFO, "starting 1 worker(s)", None),
                        (SRC[master], INFO, "worker %d started" % pool[idx], None)]
        return f


def k_vanished(s):
        return [(SRC["pveproxy-w"], INFO, "proxy detected vanished client connection",
                 s.rng.choice(s.workers["pveproxy-w"]))]


def k_auth(s):
        return [(SRC["pvedaemon-w"], INFO, "<root@pam> successful auth for user 'root@pam'",
                 s.rng.choice(s.workers["pvedaemon-w"]))]


def k_task(s):
        r = s.rng
        kind, vmid = r.choice((("vncproxy", str(100 + r.randrange(6))), ("qmstart", str(100 + r.randrange(6))),
                               ("vzdump", ""), ("aptupdate", ""), ("qmsnapshot", str(100 + r.randrange(6)))))
        upid = s.upid(kind, vmid)
        w = r.choice(s.workers["pvedaemon-w"])
        return [(SRC["pvedaemon-w"], INFO, "<root@pam> starting task %s" % upid, w),
                (SRC["pvedaemon-w"], INFO, "<root@pam> end task %s OK" % upid, w)]


def k_pvestatd(s):
        r = s.rng
        x = r.random()
        if x < 0.6:
                return [(SRC["pvestatd"], INFO, "status update time (%.3f seconds)" % (5 + r.random() * 3), None)]
        if x < 0.85:
                return [(SRC["pvestatd"], ERR, "storage 'backup-nfs' is not online", None)]
        return [(SRC["pvestatd"], INFO, "got timeout", None)]


CRON_CMDS = ("command -v debian-sa1 > /dev/null && debian-sa1 1 1",
             "   cd / && run-parts --report /etc/cron.hourly",
             "test -x /usr/lib/php/sessionclean && /usr/lib/php/sessionclean",
             "/usr/local/bin/zfs-snapshot-check >/dev/null 2>&1")


def k_cron(s):
        pid = s.new_pid()
        return [(SRC["cron-auth"], INFO, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", pid),
                (SRC["cron"], INFO, "(root) CMD (%s)" % s.rng.choice(CRON_CMDS), pid),
                (SRC["cron-auth"], INFO, "pam_unix(cron:session): session closed for user root", pid)]


NTP = ("162.159.200.1", "185.125.190.58", "193.158.22.13", "141.82.25.202", "5.9.121.34")


def k_chronyd(s):
        r = s.rng
        if r.random() < 0.6:
                return [(SRC["chronyd"], INFO, "Selected source %s (2.debian.pool.ntp.org)" % r.choice(NTP), None)]
        a, b = r.sample(NTP, 2)
        return [(SRC["chronyd"], INFO, "Source %s replaced with %s (2.debian.pool.ntp.org)" % (a, b), None)]


def k_postfix(s):
        r = s.rng
        s.queue_id += r.randint(1, 5000)
        q = "%X" % (s.queue_id & 0xFFFFFFFFFF)
        host = s.name
        lines = [(SRC["pickup"], INFO, "%s: uid=0 from=<root>" % q, s.new_pid()),
                 (SRC["cleanup"], INFO, "%s: message-id=<%s.%X@%s.example.lan>" % (q, "2025%08d" % r.randrange(10 ** 8),
                                                                                   r.getrandbits(32), host), s.new_pid()),
                 (SRC["qmgr"], INFO, "%s: from=<root@%s.example.lan>, size=%d, nrcpt=1 (queue active)" %
                  (q, host, r.randint(600, 9000)), None)]
        if r.random() < 0.7:
                lines.append((SRC["smtp"], INFO, "%s: to=<admin@example.com>, relay=mail.example.com[203.0.113.25]:25, "
                              "delay=%.2f, delays=0.02/0.01/0.1/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %X)" %
                              (q, r.random() * 2, r.getrandbits(36)), s.new_pid()))
                lines.append((SRC["qmgr"], INFO, "%s: removed" % q, None))
        else:
                lines.append((SRC["smtp"], INFO, "%s: to=<admin@example.com>, relay=none, delay=%d, delays=%d/0.01/30/0, "
                              "dsn=4.4.1, status=deferred (connect to mail.example.com[203.0.113.25]:25: Connection timed out)" %
                              (q, r.randint(30, 4000), r.randint(0, 3970)), s.new_pid()))
        return lines


TIMERS = (("sysstat-collect.service - system activity accounting tool", True),
          ("pve-daily-update.service - Daily PVE download activities", True),
          ("systemd-tmpfiles-clean.service - Cleanup of Temporary Directories", True),
          ("apt-daily.service - Daily apt download activities", True),
          ("man-db.service - Daily man-db regeneration", True),
          ("logrotate.service - Rotate log files", True),
          ("proxmox-firewall.service - Proxmox nftables firewall", False))


def k_timer(s):
        r = s.rng
        desc, oneshot = TIMERS[0] if r.random() < 0.6 else r.choice(TIMERS)
        unit = desc.split(" ", 1)[0]
        src = SRC["systemd"]
        lines = [(src, INFO, "Starting %s..." % desc, None)]
        if oneshot:
                lines.append((src, INFO, "%s: Deactivated successfully." % unit, None))
                lines.append((src, INFO, "Finished %s." % desc, None))
                if r.random() < 0.3:
                        lines.append((src, INFO, "%s: Consumed %dms CPU time." % (unit, r.randint(3, 900)), None))
        else:
                lines.append((src, INFO, "Started %s." % desc, None))
        return lines


def k_firewall(s):
        r = s.rng
        src_ip = "%d.%d.%d.%d" % (r.choice((45, 80, 185, 193, 203)), r.randrange(256), r.randrange(256), r.randrange(1, 255))
        dpt = r.choice((22, 23, 80, 443, 3389, 8006, 5900, 445))
        msg = ("DROP: IN=vmbr0 OUT= MAC=3c:ec:ef:12:34:56:00:1b:21:ab:cd:ef:08:00 SRC=%s DST=192.0.2.%d LEN=44 TOS=0x00 "
               "PREC=0x00 TTL=%d ID=%d PROTO=TCP SPT=%d DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0" %
               (src_ip, 10 + s.i, r.randint(40, 250), r.randrange(65536), r.randint(1024, 65535), dpt))
        return [(SRC["kernel"], WARNING, msg, None)]


USERS = ("admin", "ubuntu", "test", "oracle", "user", "postgres", "git", "pi")


def k_ssh_scan(s):
        r = s.rng
        ip = "%d.%d.%d.%d" % (r.choice((45, 61, 103, 141, 218)), r.randrange(256), r.randrange(256), r.randrange(1, 255))
        port = r.randint(1024, 65535)
        pid = s.new_pid()
        if r.random() < 0.5:
                return [(SRC["sshd"], INFO, "Invalid user %s from %s port %d" % (r.choice(USERS), ip, port), pid),
                        (SRC["sshd"], INFO, "Connection closed by invalid user %s %s port %d [preauth]" %
                         (r.choice(USERS), ip, port), pid)]
        return [(SRC["sshd"], INFO, "Connection closed by %s port %d [preauth]" % (ip, port), pid)]


def k_ssh_login(s):
        r = s.rng
        ip = "10.10.20.%d" % r.randint(2, 60)
        port = r.randint(30000, 65000)
        pid = s.new_pid()
        s.session += 1
        sess = s.session
        return [(SRC["sshd"], INFO, "Accepted publickey for root from %s port %d ssh2: ED25519 SHA256:%s" %
                 (ip, port, "x8Qm2bV1mRk0jv6Z3yW9oPq4tLhE5cN7dA2sF1gH0iJ"), pid),
                (SRC["sshd-auth"], INFO, "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)", pid),
                (SRC["systemd-logind"], INFO, "New session %d of user root." % sess, None),
                (SRC["systemd"], INFO, "Started session-%d.scope - Session %d of User root." % (sess, sess), None),
                (SRC["sshd"], INFO, "Received disconnect from %s port %d:11: disconnected by user" % (ip, port), pid),
                (SRC["sshd"], INFO, "Disconnected from user root %s port %d" % (ip, port), pid),
                (SRC["sshd-auth"], INFO, "pam_unix(sshd:session): session closed for user root", pid),
                (SRC["systemd"], INFO, "session-%d.scope: Deactivated successfully." % sess, None),
                (SRC["systemd-logind"], INFO, "Session %d logged out. Waiting for processes to exit." % sess, None),
                (SRC["systemd-logind"], INFO, "Removed session %d." % sess, None)]


def k_smartd(s):
        r = s.rng
        t = r.randint(30, 45)
        return [(SRC["smartd"], INFO, "Device: /dev/sd%s [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed "
                 "from %d to %d" % (r.choice("abcd"), t, t + r.choice((-1, 1))), None)]


def k_verify(s):
        return [(SRC["pmxcfs"], NOTICE, "[dcdb] notice: data verification successful", None)]


# single incident lines

def i_retransmit(s):
        r = s.rng
        s.retransmit += r.randint(1, 5000)
        n = r.randint(1, 6)
        return [(SRC["corosync"], NOTICE, "  [TOTEM ] Retransmit List: " +
                 "".join("%x " % (s.retransmit + j) for j in range(n)), None)]


def i_token(s):
        return [(SRC["corosync"], NOTICE, "  [TOTEM ] Token has not been received in %d ms" %
                 s.rng.choice((2250, 2250, 2251, 3037, 3375)), None)]


def i_knet_flap(s):
        h = s.rng.choice(s.peers)
        return [(SRC["corosync"], INFO, "  [KNET  ] link: host: %d link: 1 is down" % h, None),
                (SRC["corosync"], INFO, "  [KNET  ] host: host: %d (passive) best link: 0 (pri: 1)" % h, None),
                (SRC["corosync"], INFO, "  [KNET  ] rx: host: %d link: 1 is up" % h, None),
                (SRC["corosync"], INFO, "  [KNET  ] host: host: %d (passive) best link: 0 (pri: 1)" % h, None)]


def i_pmtud(s):
        r = s.rng
        return [(SRC["corosync"], INFO, "  [KNET  ] pmtud: PMTUD link change for host: %d link: 0 from %d to 1397" %
                 (r.choice(s.peers), r.choice((469, 1157, 1365))), None),
                (SRC["corosync"], INFO, "  [KNET  ] pmtud: Global data MTU changed to: 1397", None)]


def i_not_scheduled(s):
        r = s.rng
        return [(SRC["corosync"], WARNING, "  [MAIN  ] Corosync main process was not scheduled (@%d) for %0.4f ms "
                 "(threshold is 2400.0000 ms). Consider token timeout increase." %
                 (r.randint(10 ** 12, 2 * 10 ** 12), 2400 + r.random() * 3000), None)]


def i_cpg_send(s):
        r = s.rng
        if r.random() < 0.5:
                return [(SRC["pmxcfs"], CRIT, "[status] crit: cpg_send_message failed: CS_ERR_TRY_AGAIN", None),
                        (SRC["pmxcfs"], NOTICE, "[status] notice: cpg_send_message retry 10", None),
                        (SRC["pmxcfs"], NOTICE, "[status] notice: cpg_send_message retried %d times" % r.randint(11, 100), None)]
        return [(SRC["pmxcfs"], NOTICE, "[status] notice: cpg_send_message retried 1 times", None)]


def i_notify(s):
        target = s.rng.choice(("gotify-home", "gotify-home", "mail-to-root"))
        if target == "mail-to-root":
                err = "mail-to-root: no recipients provided for the mail, cannot send it."
        else:
                err = "gotify-home: " + s.rng.choice(("timeout: global", "timeout: global", "connection failed",
                                                      "http status: 502"))
        return [(SRC["perl"], ERR, "could not notify via target `%s`: could not notify via endpoint(s): %s" % (target, err),
                 None)]


def i_watchdog(s):
        p = s.boot.pids["pve-ha-lrm"]
        return [(SRC["watchdog-mux"], INFO, "client (PID %d) watchdog is about to expire" % p, None),
                (SRC["watchdog-mux"], INFO, "client (PID %d) watchdog was updated before expiring" % p, None)]


def i_loop(s):
        return [(SRC[s.rng.choice(("pve-ha-lrm", "pve-ha-crm"))], WARNING, "loop took too long (%d seconds)" %
                 s.rng.randint(11, 75), None)]


def i_ipcc(s):
        return [(SRC["pvestatd"], WARNING, "ipcc_send_rec[%d] failed: Connection refused" % s.rng.choice((1, 2, 3, 4)),
                 None)]


def i_nic(s):
        return [(SRC["kernel"], ERR, "e1000e 0000:00:1f.6 eno1: Detected Hardware Unit Hang:", None),
                (SRC["kernel"], INFO, "e1000e 0000:00:1f.6 eno1: Reset adapter unexpectedly", None),
                (SRC["kernel"], INFO, "vmbr0: port 1(eno1) entered disabled state", None),
                (SRC["kernel"], INFO, "e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None", None),
                (SRC["kernel"], INFO, "vmbr0: port 1(eno1) entered forwarding state", None)]


NOISE = [  # (weight per 1000 draws, lines per draw, incident, function)
        (300, 1, False, k_received_log),
        (60, 3, False, k_worker_cycle("pvedaemon")),
        (90, 3, False, k_worker_cycle("pveproxy")),
        (40, 1, False, k_vanished),
        (50, 1, False, k_auth),
        (25, 2, False, k_task),
        (30, 1, False, k_pvestatd),
        (110, 3, False, k_cron),
        (10, 1, False, k_chronyd),
        (10, 4.7, False, k_postfix),
        (60, 2.5, False, k_timer),
        (60, 1, False, k_firewall),
        (45, 1.5, False, k_ssh_scan),
        (6, 10, False, k_ssh_login),
        (6, 1, False, k_smartd),
        (2, 1, False, k_verify),
        # single incident lines
        (8, 1, True, i_retransmit),
        (3, 1, True, i_token),
        (1.5, 4, True, i_knet_flap),
        (1, 2, True, i_pmtud),
        (0.6, 1, True, i_not_scheduled),
        (2, 2, True, i_cpg_send),
        (1.5, 1, True, i_notify),
        (1, 2, True, i_watchdog),
        (1, 1, True, i_loop),
        (1, 1, True, i_ipcc),
        (0.2, 5, True, i_nic),
]


# ---- --shape long: longer, more varied background (real PVE journals: ~120-200 bytes of message) ----

VMIDS = (100, 101, 103, 105, 110, 111, 120, 121, 200, 201)
QMP = ("query-proxmox-support", "guest-ping", "query-status", "query-balloon", "guest-fsfreeze-status")


def l_qmp(s):
        r = s.rng
        vm, cmd = r.choice(VMIDS), r.choice(QMP)
        if r.random() < 0.8:
                msg = ("VM %d qmp command failed - VM %d qmp command '%s' failed - unable to connect to VM %d qmp "
                       "socket - timeout after %d retries" % (vm, vm, cmd, vm, r.randint(31, 101)))
        else:
                msg = "VM %d qmp command failed - VM %d qmp command '%s' failed - got timeout" % (vm, vm, cmd)
        return [(SRC["pvestatd"], ERR, msg, None)]


def l_status(s):
        r = s.rng
        return [(SRC["pvestatd"], INFO, "status update time (%.3f seconds)" % (5 + r.random() * 3), None),
                (SRC["pmxcfs"], NOTICE, "[status] notice: received log", None)]


def l_task(s):
        r = s.rng
        vm = r.choice(VMIDS)
        kind = r.choice(("qmstart", "qmshutdown", "vncproxy", "qmsnapshot", "qmigrate", "vzdump", "qmclone",
                         "imgcopy", "qmconfig"))
        who = r.choice(("root@pam", "root@pam", "ops@pve!automation", "monitoring@pve"))
        upid = "UPID:%s:%08X:%08X:%08X:%s:%d:%s:" % (s.name, s.new_pid(), r.getrandbits(28), r.getrandbits(31),
                                                     kind, vm, who)
        w = r.choice(s.workers["pvedaemon-w"])
        end = "OK" if r.random() < 0.8 else r.choice((
                "VM %d qmp command 'query-migrate' failed - got wrong command id" % vm,
                "command '/usr/bin/kvm -id %d -name vm%d,debug-threads=on -no-shutdown' failed: exit code 1" % (vm, vm),
                "can't lock file '/var/lock/qemu-server/lock-%d.conf' - got timeout" % vm))
        return [(SRC["pvedaemon-w"], INFO, "<%s> starting task %s" % (who, upid), w),
                (SRC["pvedaemon-w"], INFO if end == "OK" else ERR, "<%s> end task %s %s" % (who, upid, end), w)]


def l_vmstart(s):
        r = s.rng
        vm = r.choice(VMIDS)
        k = SRC["kernel"]
        lines = [(SRC["systemd"], INFO, "Started %d.scope." % vm, None)]
        for dev, port in (("tap%di0" % vm, 2), ("fwpr%dp0" % vm, 1)):
                lines.append((k, INFO, "fwbr%di0: port %d(%s) entered blocking state" % (vm, port, dev), None))
                lines.append((k, INFO, "fwbr%di0: port %d(%s) entered disabled state" % (vm, port, dev), None))
                lines.append((k, INFO, "%s: entered allmulticast mode" % dev, None))
                lines.append((k, INFO, "%s: entered promiscuous mode" % dev, None))
                lines.append((k, INFO, "fwbr%di0: port %d(%s) entered forwarding state" % (vm, port, dev), None))
        return lines


def l_vmstop(s):
        r = s.rng
        vm = r.choice(VMIDS)
        return [(SRC["qmeventd"], INFO, "read: Connection reset by peer", None),
                (SRC["systemd"], INFO, "%d.scope: Deactivated successfully." % vm, None),
                (SRC["systemd"], INFO, "%d.scope: Consumed %dmin %d.%03ds CPU time, %.1fG memory peak, 0B memory swap "
                 "peak." % (vm, r.randint(1, 900), r.randint(0, 59), r.randrange(1000), r.uniform(0.5, 30)), None),
                (SRC["qmeventd"], INFO, "Starting cleanup for %d" % vm, None),
                (SRC["qmeventd"], INFO, "Finished cleanup for %d" % vm, None)]


def l_apparmor(s):
        r = s.rng
        ct = r.choice((102, 104, 130, 131))
        return [(SRC["kernel"], NOTICE, 'audit: type=1400 audit(%d.%03d:%d): apparmor="DENIED" operation="mount" '
                 'class="mount" info="failed flags match" error=-13 profile="lxc-%d_</var/lib/lxc>" '
                 'name="/run/systemd/unit-root/" pid=%d comm="(d-logind)" srcname="/" flags="rw, rbind"' %
                 (1732400000 + r.randrange(10 ** 6), r.randrange(1000), r.randint(100, 99999), ct, s.new_pid()), None)]


def l_zed(s):
        r = s.rng
        pool = r.choice(("rpool", "tank", "backup"))
        eid = r.randint(10, 9000)
        if r.random() < 0.5:
            return [(SRC["zed"], INFO, "eid=%d class=history_event pool='%s'" % (eid, pool), None)]
        return [(SRC["zed"], INFO, "eid=%d class=scrub_finish pool='%s'" % (eid, pool), None),
                (SRC["zed"], INFO, "Finished scrub of pool '%s' in %d:%02d:%02d with 0 errors on %s" %
                 (pool, r.randint(0, 9), r.randrange(60), r.randrange(60),
                  r.choice(("Sun Nov 23 00:24:01 2025", "Sun Nov 30 00:24:01 2025"))), None)]


def l_proxy(s):
        r = s.rng
        ip = "::ffff:10.10.20.%d" % r.randint(2, 60)
        w = r.choice(s.workers["pveproxy-w"])
        x = r.random()
        if x < 0.4:
                msg = "problem with client %s; Connection reset by peer" % ip
        elif x < 0.7:
                msg = "proxy detected vanished client connection"
        else:
                msg = ("%s: authentication failure; rhost=%s user=%s msg=no such user ('%s')" %
                       (r.choice(("pam_unix(proxmox-ve-auth:auth)", "authentication failure")), ip,
                        r.choice(USERS) + "@pam", r.choice(USERS) + "@pam"))
        return [(SRC["pveproxy-w"], INFO, msg, w)]


def l_kernel_misc(s):
        r = s.rng
        return [(SRC["kernel"], r.choice((INFO, WARNING)), r.choice((
                "perf: interrupt took too long (%d > %d), lowering kernel.perf_event_max_sample_rate to %d" %
                (r.randint(2501, 9000), 2500, r.choice((79750, 63750, 50000, 39750))),
                "kvm: kvm [%d]: ignored rdmsr: 0x%x data 0x0" % (s.new_pid(), r.choice((0x64e, 0x34, 0x611, 0x619))),
                "x86/split lock detection: #AC: CPU %d/KVM/%d took a split_lock trap at address: 0x%x" %
                (r.randrange(8), s.new_pid(), r.getrandbits(40)),
                "EXT4-fs (dm-%d): mounted filesystem %08x-%04x-%04x-%04x-%012x r/w with ordered data mode. Quota mode: none." %
                (r.randrange(12), r.getrandbits(32), r.getrandbits(16), r.getrandbits(16), r.getrandbits(16), r.getrandbits(48)),
        )), None)]


def l_firewall_status(s):
        r = s.rng
        return [(SRC["pve-firewall"], ERR, r.choice((
                "status update error: iptables_restore_cmdlist: Try `iptables-restore -h' or 'iptables-restore --help' "
                "for more information.",
                "firewall update time (%.3f seconds)" % (5 + r.random() * 4) if r.random() < 0.3 else
                "status update error: iptables_restore_cmdlist: Another app is currently holding the xtables lock. "
                "Perhaps you want to use the -w option?",
                "status update error: ipset_restore_cmdlist: ipset v7.17: Error in line %d: Element cannot be added "
                "to the set: it's already added" % r.randint(2, 400))), None)]


def l_ha(s):
        r = s.rng
        who = r.choice(("pve-ha-lrm", "pve-ha-crm"))
        lock = "ha_agent_%s_lock" % s.name if who == "pve-ha-lrm" else "ha_manager_lock"
        return [(SRC[who], INFO, r.choice((
                "successfully acquired lock '%s'" % lock,
                "service '%s': state changed from 'started' to 'request_stop'" % r.choice(HA_SERVICES),
                "%s: got shutdown request with shutdown policy 'conditional'" % who)), None)]


NOISE_LONG = [  # (weight per 1000 draws, lines per draw, incident, function)
        (10, 2, False, l_status),
        (190, 1, False, l_qmp),
        (100, 2, False, l_task),
        (4, 11, False, l_vmstart),
        (8, 5, False, l_vmstop),
        (130, 1, False, l_apparmor),
        (10, 1.5, False, l_zed),
        (50, 1, False, l_proxy),
        (60, 1, False, l_kernel_misc),
        (60, 1, False, l_firewall_status),
        (15, 1, False, l_ha),
        (130, 1, False, k_firewall),
        (25, 4.7, False, k_postfix),
        (10, 3, False, k_cron),
        (15, 1.5, False, k_ssh_scan),
        (2, 10, False, k_ssh_login),
        (6, 2.5, False, k_timer),
        (10, 1, False, k_smartd),
] + [k for k in NOISE if k[2]]   # the single incident lines of the default shape, at the same weights


# ---- the per-node writer -----------------------------------------------------------------------------

def node_worker(job):
        plan, i = job
        args = plan.args
        rng = random.Random(args.seed * 1_000_003 + i + 1)
        name = plan.names[i]
        count = plan.counts[i]
        st = NodeState(plan, i, rng)
        boots = plan.boots[i]
        st.set_boot(boots[0])
        mid = plan.machine_ids[i]
        seqid = plan.seqnum_ids[i]

        noise = NOISE_LONG if args.shape == "long" else NOISE
        kinds = [k[3] for k in noise]
        cum, acc = [], 0.0
        for w, _n, _inc, _f in noise:
                acc += w
                cum.append(acc)
        incident_kind = [k[2] for k in noise]
        lines_per_draw = sum(w * n for w, n, _i, _f in noise) / acc
        mean_gap = USEC * lines_per_draw / args.rate
        src_info = [SOURCES[nm] for nm in SRC_NAMES]
        kernel_src = SRC["kernel"]

        sched = plan.sched[i]
        quiet = sorted(plan.quiet[i])
        n_sched = len(sched)

        exp_f = open(os.path.join(args.out, name + ".export"), "w", encoding="utf-8", buffering=1 << 20)
        txt_f = open(os.path.join(args.out, name + ".log"), "w", encoding="utf-8", buffering=1 << 20)
        exp_buf, txt_buf = [], []

        stats = {"noise": 0, "incident": 0, "episode": 0, "boots": len(boots)}
        blocks = {}
        day_cache = {}
        bid = boots[0].boot_id
        boot_start = boots[0].start
        head_boot = "_BOOT_ID=%s\n" % bid
        tail = "_MACHINE_ID=%s\n_HOSTNAME=%s\n\n" % (mid, name)
        host_sp = " " + name + " "
        last = 0
        seq = 0
        cur_sec = -1
        stamp = ""
        emitted = 0

        def block(src, prio, pid):
                """The export fields of one source before and after MESSAGE, and its text tag."""
                ident, comm, unit, transport, fac, _key = src_info[src]
                pre = "_TRANSPORT=%s\nPRIORITY=%d\nSYSLOG_FACILITY=%d\nSYSLOG_IDENTIFIER=%s\n" % (transport, prio, fac, ident)
                if transport == "syslog":
                        pre += "SYSLOG_PID=%d\n" % pid
                post = ""
                if pid is not None:
                        post = "_PID=%d\n_COMM=%s\n_SYSTEMD_UNIT=%s\n" % (pid, comm, unit)
                tag = "%s[%d]: " % (ident, pid) if pid is not None else ident + ": "
                return pre + "MESSAGE=", "\n" + post + tail, tag

        noise_t = plan.start + int(rng.random() * mean_gap)
        q_idx = 0
        si = 0
        choices = []
        gaps = []
        while emitted < count:
                # Next line: a scheduled one if it is due, else a noise draw.
                if si < n_sched and sched[si][0] <= noise_t:
                        t, _o, src, prio, msg = sched[si]
                        si += 1
                        if src < 0:          # boot switch
                                b = boots[prio]
                                st.set_boot(b)
                                bid = b.boot_id
                                boot_start = b.start
                                head_boot = "_BOOT_ID=%s\n" % bid
                                blocks.clear()
                                continue
                        batch = ((src, prio, msg, None),)
                        category = "episode"
                else:
                        while q_idx < len(quiet) and noise_t >= quiet[q_idx][1]:
                                q_idx += 1
                        if q_idx < len(quiet) and noise_t >= quiet[q_idx][0]:
                                noise_t = quiet[q_idx][1] + int(rng.random() * mean_gap)
                                continue
                        if not choices:
                                choices = rng.choices(range(len(kinds)), cum_weights=cum, k=4096)
                                gaps = [int(x * 2 * mean_gap) + 1 for x in [rng.random() for _ in range(4096)]]
                        k = choices.pop()
                        t = noise_t
                        noise_t += gaps.pop()
                        batch = kinds[k](st)
                        category = "incident" if incident_kind[k] else "noise"

                pids = st.boot.pids
                for src, prio, msg, pid in batch:
                        if emitted >= count:
                                break
                        if t <= last:
                                t = last + 1
                        last = t
                        t += rng.randint(200, 20000) if len(batch) > 1 else 0
                        ts = last
                        if pid is None:
                                key = src_info[src][5]
                                if key is not None:
                                        pid = st.new_pid() if key == "new" else pids[key]
                        bk = (src, prio, pid)
                        bl = blocks.get(bk)
                        if bl is None:
                                bl = block(src, prio, pid)
                                if src_info[src][5] != "new" and len(blocks) < 4096:
                                        blocks[bk] = bl
                        pre, post, tag = bl
                        mono = ts - boot_start
                        seq += 1
                        exp_buf.append("__CURSOR=s=%s;i=%x;b=%s;m=%x;t=%x;x=%x\n__REALTIME_TIMESTAMP=%d\n"
                                       "__MONOTONIC_TIMESTAMP=%d\n%s%s%s%s" %
                                       (seqid, seq, bid, mono, ts, (seq * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF,
                                        ts, mono, head_boot, pre, msg, post))
                        sec = ts // USEC
                        if sec != cur_sec:
                                cur_sec = sec
                                day = sec // 86400
                                dstr = day_cache.get(day)
                                if dstr is None:
                                        d = datetime.datetime.fromtimestamp(day * 86400, datetime.timezone.utc)
                                        dstr = day_cache[day] = "%s %2d" % (MONTHS[d.month - 1], d.day)
                                s_of_d = sec - day * 86400
                                stamp = "%s %02d:%02d:%02d%s" % (dstr, s_of_d // 3600, s_of_d // 60 % 60, s_of_d % 60, host_sp)
                        if src == kernel_src:
                                txt_buf.append("%s%s[%5d.%06d] %s\n" % (stamp, tag, mono // USEC, mono % USEC, msg))
                        else:
                                txt_buf.append(stamp + tag + msg + "\n")
                        emitted += 1
                        stats[category] += 1
                if len(exp_buf) >= 8192:
                        exp_f.write("".join(exp_buf))
                        txt_f.write("".join(txt_buf))
                        exp_buf.clear()
                        txt_buf.clear()
        exp_f.write("".join(exp_buf))
        txt_f.write("".join(txt_buf))
        exp_f.close()
        txt_f.close()
        stats["lines"] = emitted
        stats["first"] = plan.start
        stats["last"] = last
        stats["boots"] = 1 + sum(1 for e in sched[:si] if e[2] < 0)
        return name, stats


def to_journal(out, name):
        jdir = os.path.join(out, "journal")
        for f in os.listdir(jdir):
                if f.startswith("remote-%s." % name) or f.startswith("remote-%s@" % name):
                        os.unlink(os.path.join(jdir, f))
        dest = os.path.join(jdir, "remote-%s.journal" % name)
        r = subprocess.run([JOURNAL_REMOTE, "--output=" + dest, os.path.join(out, name + ".export")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
                raise RuntimeError("%s failed for %s: %s" % (JOURNAL_REMOTE, name, r.stderr.strip()))
        return name


def parse_start(s):
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
        return int(d.timestamp()) * USEC + d.microsecond


def main():
        ap = argparse.ArgumentParser(description="Generate synthetic Proxmox VE cluster logs (export + rsyslog text).")
        ap.add_argument("--nodes", type=int, default=3, help="cluster size, nodes pve1..pveN (default 3)")
        ap.add_argument("--events", type=int, default=2_000_000, help="events in total, over all nodes (default 2000000)")
        ap.add_argument("--out", required=True, help="output directory")
        ap.add_argument("--start", default="2025-11-24T00:00:00Z", help="time of the first events (default %(default)s)")
        ap.add_argument("--rate", type=float, default=2.0,
                        help="mean events per second per node; sets the time span (default %(default)s)")
        ap.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
        ap.add_argument("--reboot-every", type=int, default=300_000, metavar="EVENTS",
                        help="a clean reboot of each node about every EVENTS of its events (default %(default)s)")
        ap.add_argument("--episode-share", type=float, default=0.012,
                        help="share of lines from membership-change episodes (default %(default)s)")
        ap.add_argument("--journal", action="store_true",
                        help="also convert each export into DIR/journal/remote-NODE.journal with systemd-journal-remote")
        ap.add_argument("--shape", choices=("short", "long"), default="short",
                        help="background messages: 'short' (default; the mix of issue 2's benchmark, ~60 bytes of "
                             "message) or 'long' (longer and more varied, ~150 bytes, like real PVE journals)")
        ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel node writers (default: CPUs)")
        args = ap.parse_args()
        if args.nodes < 1 or args.nodes > 64 or args.events < 1 or args.rate <= 0 or args.reboot_every < 1000:
                ap.error("need 1 <= --nodes <= 64, --events >= 1, --rate > 0, --reboot-every >= 1000")
        try:
                args.start_us = parse_start(args.start)
        except ValueError:
                ap.error("--start: not an ISO 8601 time: %r" % args.start)
        if args.journal and not os.access(JOURNAL_REMOTE, os.X_OK):
                sys.exit("%s not found (Debian: apt-get install systemd-journal-remote)" % JOURNAL_REMOTE)

        t0 = time.monotonic()
        os.makedirs(args.out, exist_ok=True)
        plan = Plan(args)
        jobs = [(plan, i) for i in range(args.nodes)]
        if args.jobs > 1 and args.nodes > 1:
                with multiprocessing.get_context("fork").Pool(min(args.jobs, args.nodes)) as pool:
                        results = pool.map(node_worker, jobs)
        else:
                results = [node_worker(j) for j in jobs]
        t1 = time.monotonic()

        total = {"lines": 0, "noise": 0, "incident": 0, "episode": 0}
        size = 0
        for name, s in results:
                for k in total:
                        total[k] += s[k]
                size += os.path.getsize(os.path.join(args.out, name + ".export"))
                size += os.path.getsize(os.path.join(args.out, name + ".log"))
                fmt = lambda us: datetime.datetime.fromtimestamp(us / USEC, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                span = "%s .. %s" % (fmt(s["first"]), fmt(s["last"])) if s["lines"] else "-"
                print("%-6s %9d events, %d boot(s), %s" % (name, s["lines"], s["boots"], span))
        n = max(total["lines"], 1)
        print("total  %9d events: %.1f%% background, %.1f%% single incident lines, %.1f%% episode lines "
              "(%d partitions, %d reboots); %.0f MB written in %.1f s (%.0f events/s)" %
              (total["lines"], 100 * total["noise"] / n, 100 * total["incident"] / n, 100 * total["episode"] / n,
               plan.episodes, plan.reboots, size / 1e6, t1 - t0, total["lines"] / max(t1 - t0, 1e-9)))

        if args.journal:
                os.makedirs(os.path.join(args.out, "journal"), exist_ok=True)
                names = [r[0] for r in results]
                with multiprocessing.get_context("fork").Pool(min(args.jobs, len(names))) as pool:
                        pool.starmap(to_journal, [(args.out, nm) for nm in names])
                jsize = sum(os.path.getsize(os.path.join(args.out, "journal", f))
                            for f in os.listdir(os.path.join(args.out, "journal")))
                print("journal: %d file(s), %.0f MB in %.1f s" % (len(os.listdir(os.path.join(args.out, "journal"))),
                                                                   jsize / 1e6, time.monotonic() - t1))


if __name__ == "__main__":
        main()
