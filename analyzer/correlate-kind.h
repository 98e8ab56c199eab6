/* correlate-kind.h: the event kinds the correlator reasons with, named once. Each is a `kind` of the
 * pattern library (the .patterns files of patterns/, vocabulary in patterns/FORMAT.md); `cascade patterns test`
 * on the whole library fails when one of them has no rule, so a renamed kind cannot silently blind
 * the analysis. A tag of any other kind is EVENT_OTHER to the correlator (reports still show it). */
#pragma once

#define EVENT_KINDS(X)                                                     \
        X(COROSYNC_TOKEN_WARNING, "corosync.token.warning")                \
        X(COROSYNC_TOKEN_LOST, "corosync.token.lost")                      \
        X(COROSYNC_RETRANSMIT, "corosync.retransmit")                      \
        X(COROSYNC_PAUSED, "corosync.paused")                              \
        X(COROSYNC_SCHED_MISS, "corosync.sched.miss")                      \
        X(COROSYNC_MEMBERSHIP, "corosync.membership")                      \
        X(COROSYNC_LEAVE_MISSED, "corosync.leave.missed")                  \
        X(COROSYNC_QUORUM_LOST, "corosync.quorum.lost")                    \
        X(COROSYNC_QUORUM_REGAINED, "corosync.quorum.regained")            \
        X(COROSYNC_QUORUM_MEMBERS, "corosync.quorum.members")              \
        X(COROSYNC_QUORUM_VIEW, "corosync.quorum.view")                    \
        X(COROSYNC_QUORUM_NODE, "corosync.quorum.node")                    \
        X(COROSYNC_MEMBER_SHUTDOWN, "corosync.member.shutdown")            \
        X(COROSYNC_MEMBER_ADDRESS, "corosync.member.address")              \
        X(COROSYNC_QDEVICE_VIEW, "corosync.qdevice.view")                  \
        X(COROSYNC_QUORUM_EXPECTED, "corosync.quorum.expected")            \
        X(COROSYNC_START, "corosync.start")                                \
        X(COROSYNC_STOP, "corosync.stop")                                  \
        X(COROSYNC_STOPPING, "corosync.stopping")                          \
        X(KNET_LINK_DOWN, "knet.link.down")                                \
        X(KNET_LINK_UP, "knet.link.up")                                    \
        X(KNET_HOST_UNREACHABLE, "knet.host.unreachable")                  \
        X(PMXCFS_MEMBERS, "pmxcfs.members")                                \
        X(PMXCFS_QUORUM_LOST, "pmxcfs.quorum.lost")                        \
        X(PMXCFS_QUORUM_REGAINED, "pmxcfs.quorum.regained")                \
        X(PMXCFS_DISPATCH_FAILED, "pmxcfs.dispatch.failed")                \
        X(PMXCFS_CPG_DISPATCH_FAILED, "pmxcfs.cpg.dispatch.failed")        \
        X(PMXCFS_INIT_FAILED, "pmxcfs.init.failed")                        \
        X(PMXCFS_SEND_FAILED, "pmxcfs.send.failed")                        \
        X(PMXCFS_START, "pmxcfs.start")                                    \
        X(HA_NODE_STATE, "ha.node.state")                                  \
        X(HA_FENCE_ACKNOWLEDGED, "ha.fence.acknowledged")                  \
        X(HA_RECOVERY, "ha.recovery")                                      \
        X(HA_MIGRATION, "ha.migration")                                    \
        X(HA_LOCK_LOST, "ha.lock.lost")                                    \
        X(PCMK_FENCE_SCHEDULED, "pcmk.fence.scheduled")                    \
        X(PCMK_FENCE_REQUESTED, "pcmk.fence.requested")                    \
        X(PCMK_FENCE_DONE, "pcmk.fence.done")                              \
        X(PCMK_FENCE_FAILED, "pcmk.fence.failed")                          \
        X(PCMK_PEER_LOST, "pcmk.peer.lost")                                \
        X(PCMK_PEER_MEMBER, "pcmk.peer.member")                            \
        X(PCMK_PEER_SHUTDOWN, "pcmk.peer.shutdown")                        \
        X(PCMK_QUORUM_LOST, "pcmk.quorum.lost")                            \
        X(PCMK_QUORUM_REGAINED, "pcmk.quorum.regained")                    \
        X(WATCHDOG_EXPIRING, "watchdog.expiring")                          \
        X(WATCHDOG_EXPIRED, "watchdog.expired")                            \
        X(KERNEL_WATCHDOG_RESET, "kernel.watchdog.reset")                  \
        X(KERNEL_NIC_DOWN, "kernel.nic.down")                              \
        X(KERNEL_BOND_FAILOVER, "kernel.bond.failover")                    \
        X(SYSTEM_REBOOT_REQUESTED, "system.reboot.requested")              \
        X(SYSTEM_POWEROFF_REQUESTED, "system.poweroff.requested")          \
        X(SYSTEM_SHUTDOWN, "system.shutdown")                              \
        X(SYSTEM_JOURNAL_STOPPED, "system.journal.stopped")                \
        X(SYSTEM_POWERKEY, "system.powerkey")                              \
        X(SYSTEM_CLOCK_STEP, "system.clock.step")                          \
        X(SSH_LOGIN, "ssh.login")                                          \
        X(LOGIN_SESSION, "login.session")                                  \
        X(PVE_TASK_START, "pve.task.start")                                \
        X(NOTIFY_FAILED, "notify.failed")                                  \
        X(NOTIFY_SENT, "notify.sent")

typedef enum EventKind {
#define EVENT_KIND_ENUM(id, name) EVENT_##id,
        EVENT_KINDS(EVENT_KIND_ENUM)
#undef EVENT_KIND_ENUM
        _EVENT_KIND_MAX,
        EVENT_OTHER = _EVENT_KIND_MAX, /* a kind the correlator does not reason with */
} EventKind;

const char *event_kind_to_string(EventKind k);
/* EVENT_OTHER for a kind not in the list. */
EventKind event_kind_from_string(const char *s);
