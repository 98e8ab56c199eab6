/* test-ingest-text.c: text_parse_line on every text format cascade reads, and every line of two
 * Loghub data sets checked against Loghub's own structured CSVs (ground truth we did not write). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <csv.h>
#include <time.h>

#include "ingest-text.h"
#include "ingest-stream.h"

#define SEC(x) ((usec_t) (x) * USEC_PER_SEC)

#define assert_slice_equal(got, want)                                                           \
        do {                                                                                    \
                Slice _g = (got);                                                               \
                const char *_w = (want);                                                        \
                if (!slice_eq_str(_g, _w))                                                      \
                        fail_msg("%s is '%.*s', want '%s'", #got, (int) _g.n, _g.p ? _g.p : "", _w); \
        } while (0)

static int zone_utc(void **state) {
        return time_set_zone("UTC");
}

/* Parse one line with the year fixed to 2024. */
static int parse(const char *line, LogRecord *r, const char **reason) {
        TextParser p = { .have_year = true };
        year_guess_init_fixed(&p.year, 2024);
        *reason = NULL;
        return text_parse_line(&p, SLICE_STR(line), r, reason);
}

static void parse_ok(const char *line, LogRecord *r) {
        const char *reason;
        int k = parse(line, r, &reason);
        if (k != 1)
                fail_msg("'%s' rejected (%d): %s", line, k, strempty(reason));
}

/* "Nov 25 08:10:48" of 2024, UTC. */
#define T_NOV25 SEC(1732522248)

static void rfc3164_space_padded_day(void **state) {
        LogRecord r;
        parse_ok("Nov  5 08:10:48 pve1 corosync[1234]: [TOTEM ] A new membership (1.2d) was formed. Members joined: 2", &r);
        assert_int_equal(r.kind, RECORD_EVENT);
        assert_int_equal(r.ts, T_NOV25 - SEC(20 * 86400));
        assert_int_equal(r.ts_prec, USEC_PER_SEC);
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 1234);
        assert_int_equal(r.priority, -1);
        assert_slice_equal(r.message, "[TOTEM ] A new membership (1.2d) was formed. Members joined: 2");
        assert_int_equal(r.mono, -1);
        assert_int_equal(r.uptime, -1);
        assert_int_equal(r.boot_id.n, 0);
        assert_int_equal(r.unit.n, 0);
        assert_int_equal(r.cursor.n, 0);
}

static void rfc3164_zero_padded_day_no_pid(void **state) {
        LogRecord r;
        parse_ok("Nov 05 08:10:48 pve1 systemd: Started Session 3 of user root.", &r);
        assert_int_equal(r.ts, T_NOV25 - SEC(20 * 86400));
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "systemd");
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "Started Session 3 of user root.");
}

/* Pasted or relayed lines without a host field: the tag stands where the host would. */
static void rfc3164_without_host(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 pengine[1827]: warning: Scheduling Node node5 for STONITH", &r);
        assert_int_equal(r.node.n, 0);
        assert_slice_equal(r.ident, "pengine");
        assert_int_equal(r.pid, 1827);
        assert_slice_equal(r.message, "warning: Scheduling Node node5 for STONITH");
        parse_ok("Nov 25 08:10:48 kernel: Linux version 6.8.12-9-pve", &r);
        assert_int_equal(r.node.n, 0);
        assert_slice_equal(r.ident, "kernel");
        /* An IPv6 address as the host is a host, not a tag. */
        parse_ok("Nov 25 08:10:48 fe80::1 sshd[7]: Accepted publickey", &r);
        assert_slice_equal(r.node, "fe80::1");
        assert_slice_equal(r.ident, "sshd");
}

static void rfc3164_empty_message(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 pve1 sshd[7]:", &r);
        assert_slice_equal(r.ident, "sshd");
        assert_int_equal(r.pid, 7);
        assert_int_equal(r.message.n, 0);
        parse_ok("Nov 25 08:10:48 pve1 cron:", &r);
        assert_slice_equal(r.ident, "cron");
        assert_int_equal(r.message.n, 0);
}

static void journalctl_short_precise(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48.123456 pve1 pmxcfs[1000]: [dcdb] crit: received write while not quorate - trigger resync", &r);
        assert_int_equal(r.ts, T_NOV25 + 123456);
        assert_int_equal(r.ts_prec, 1);
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "pmxcfs");
        assert_int_equal(r.pid, 1000);
        assert_int_equal(r.priority, 2);
        assert_slice_equal(r.message, "[dcdb] crit: received write while not quorate - trigger resync");
}

static void journalctl_short_iso(void **state) {
        LogRecord r;
        parse_ok("2024-11-25T08:10:48+0100 host ident[42]: msg text", &r);
        assert_int_equal(r.ts, T_NOV25 - SEC(3600));
        assert_int_equal(r.ts_prec, USEC_PER_SEC);
        assert_slice_equal(r.node, "host");
        assert_slice_equal(r.ident, "ident");
        assert_int_equal(r.pid, 42);
        assert_slice_equal(r.message, "msg text");

        /* short-iso-precise and rsyslog's high-precision format. */
        parse_ok("2024-11-25T08:10:48.654321+01:00 host kernel: [  12.500000] usb 1-1: new device", &r);
        assert_int_equal(r.ts, T_NOV25 - SEC(3600) + 654321);
        assert_int_equal(r.ts_prec, 1);
        assert_slice_equal(r.ident, "kernel");
        assert_int_equal(r.uptime, 12500000);
        assert_slice_equal(r.message, "usb 1-1: new device");
}

static void iso_space_no_zone(void **state) {
        LogRecord r;
        parse_ok("2021-11-25 03:19:32 node1 corosync: msg", &r);
        assert_int_equal(r.ts, SEC(1637810372));
        assert_slice_equal(r.node, "node1");
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "msg");
        /* Offset-less stamps are in the selected zone. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        parse_ok("2021-11-25 03:19:32 node1 corosync: msg", &r);
        assert_int_equal(r.ts, SEC(1637810372 - 3600));
        assert_int_equal(time_set_zone("UTC"), 0);
}

static void rfc5424_with_structured_data(void **state) {
        LogRecord r;
        parse_ok("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                 "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] "
                 "\xef\xbb\xbf" "An application event log entry...", &r);
        assert_int_equal(r.kind, RECORD_EVENT);
        assert_int_equal(r.ts, SEC(1065910455) + 3000);
        assert_int_equal(r.ts_prec, 1000);
        assert_int_equal(r.priority, 5);              /* 165 = local4.notice */
        assert_slice_equal(r.node, "mymachine.example.com");
        assert_slice_equal(r.ident, "evntslog");
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "An application event log entry...");
}

static void rfc5424_structured_data_escapes(void **state) {
        LogRecord r;
        /* Two SD-ELEMENTs, a quoted ']' and an escaped '"' and ']' inside the values. */
        parse_ok("<13>1 2024-11-25T08:10:48.123456+01:00 host app 4242 - "
                 "[a@1 x=\"br]acket\" y=\"q\\\"uo\\]te\"][b@2 z=\"1\"] the message", &r);
        assert_int_equal(r.ts, T_NOV25 - SEC(3600) + 123456);
        assert_int_equal(r.ts_prec, 1);
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.ident, "app");
        assert_int_equal(r.pid, 4242);
        assert_slice_equal(r.message, "the message");
}

static void rfc5424_without_structured_data(void **state) {
        LogRecord r;
        parse_ok("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8", &r);
        assert_int_equal(r.priority, 2);
        assert_slice_equal(r.node, "mymachine.example.com");
        assert_slice_equal(r.ident, "su");
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "'su root' failed for lonvick on /dev/pts/8");

        /* Nil host and app; no message at all. */
        parse_ok("<14>1 2024-11-25T08:10:48Z - - 12a - -", &r);
        assert_int_equal(r.ts, T_NOV25);
        assert_int_equal(r.node.n, 0);
        assert_int_equal(r.ident.n, 0);
        assert_int_equal(r.pid, -1);                  /* "12a" is not a pid */
        assert_int_equal(r.message.n, 0);
}

static void rfc5424_rejects(void **state) {
        LogRecord r;
        const char *reason;
        assert_int_equal(parse("<165>1 - host app - - - msg", &r, &reason), -EBADMSG);
        assert_string_equal(reason, "RFC 5424 line without a timestamp");
        assert_int_equal(parse("<165>1 Nov 25 08:10:48 host app - - - msg", &r, &reason), -EBADMSG);
        assert_string_equal(reason, "RFC 5424 timestamp is not RFC 3339");
        assert_int_equal(parse("<165>1 2024-11-25T08:10:48Zjunk host app - - - msg", &r, &reason), -EBADMSG);
        assert_string_equal(reason, "RFC 5424 timestamp is not RFC 3339");
        /* Nothing after the version: no timestamp at all (it used to read an uninitialised one). */
        assert_int_equal(parse("<15>1 ", &r, &reason), -EBADMSG);
        assert_string_equal(reason, "RFC 5424 line without a timestamp");
}

/* A pid of more digits than any pid has saturates instead of overflowing. */
static void absurd_pid(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 [11111111111111111111111] pve1 corosync notice  [TOTEM ] x", &r);
        assert_true(r.pid > 0);
        assert_slice_equal(r.node, "pve1");
}

static void rfc3164_with_pri(void **state) {
        LogRecord r;
        parse_ok("<30>Nov 25 08:10:48 pve1 systemd[1]: Started Corosync Cluster Engine.", &r);
        assert_int_equal(r.ts, T_NOV25);
        assert_int_equal(r.priority, 6);              /* 30 = daemon.info */
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "systemd");
        assert_int_equal(r.pid, 1);
        assert_slice_equal(r.message, "Started Corosync Cluster Engine.");
        /* The PRI wins over what the message says. */
        parse_ok("<14>Nov 25 08:10:48 pve1 pvedaemon[9]: ERROR: x", &r);
        assert_int_equal(r.priority, 6);
        /* Out-of-range or unterminated PRI: not a PRI, and then no stamp. */
        const char *reason;
        assert_int_equal(parse("<192>Nov 25 08:10:48 pve1 x: y", &r, &reason), -EBADMSG);
        assert_string_equal(reason, "no timestamp at the start of the line");
        assert_int_equal(parse("<30 Nov 25 08:10:48 pve1 x: y", &r, &reason), -EBADMSG);
}

static void corosync_logfile(void **state) {
        LogRecord r;
        parse_ok("May 12 20:43:24 [16976] Hp-09 corosync notice  [TOTEM ] A new membership (1.5) was formed. Members left: 2", &r);
        assert_int_equal(r.ts, SEC(1715546604));      /* 2024-05-12T20:43:24Z */
        assert_int_equal(r.ts_prec, USEC_PER_SEC);
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 16976);
        assert_slice_equal(r.node, "Hp-09");
        assert_slice_equal(r.message, "[TOTEM ] A new membership (1.5) was formed. Members left: 2");

        parse_ok("May 12 20:43:24.123 [16976] Hp-09 corosync info    [KNET  ] host: host: 2 (passive) best link: 0 (pri: 1)", &r);
        assert_int_equal(r.ts, SEC(1715546604) + 123000);
        assert_int_equal(r.ts_prec, 1000);
        assert_int_equal(r.priority, 6);
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 16976);
        assert_slice_equal(r.node, "Hp-09");
        assert_slice_equal(r.message, "[KNET  ] host: host: 2 (passive) best link: 0 (pri: 1)");

        parse_ok("May 12 20:43:25 [16976] Hp-09 corosync error   [QUORUM] This node is within the non-primary component", &r);
        assert_int_equal(r.priority, 3);
        assert_slice_equal(r.message, "[QUORUM] This node is within the non-primary component");
}

/* Pacemaker's own log files: 1.1 in the libqb format with colons, 2.x with pid and function. */
static void pacemaker_logfiles(void **state) {
        LogRecord r;
        parse_ok("Feb 24 16:13:26 [13571] dev43       crmd:   notice: te_fence_node: Executing reboot fencing operation (36) on dev42 (timeout=60000)", &r);
        assert_slice_equal(r.node, "dev43");
        assert_slice_equal(r.ident, "crmd");
        assert_int_equal(r.pid, 13571);
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.message, "te_fence_node: Executing reboot fencing operation (36) on dev42 (timeout=60000)");

        parse_ok("Jun 24 01:27:21 node1 pacemaker-controld  [1301] (te_fence_node) \tnotice: Requesting fencing (reboot) targeting node node2", &r);
        assert_slice_equal(r.node, "node1");
        assert_slice_equal(r.ident, "pacemaker-controld");
        assert_int_equal(r.pid, 1301);
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.message, "Requesting fencing (reboot) targeting node node2");

        parse_ok("Jun 24 01:27:22 node1 pacemaker-schedulerd[1300] (pe_fence_node) \twarning: Cluster node node2 will be fenced", &r);
        assert_slice_equal(r.ident, "pacemaker-schedulerd");
        assert_int_equal(r.pid, 1300);
        assert_int_equal(r.priority, 4);
        assert_slice_equal(r.message, "Cluster node node2 will be fenced");

        /* Not that shape: an ordinary line whose message holds brackets. */
        parse_ok("Jun 24 01:27:21 node1 kernel: [ 12.3] eth0 up", &r);
        assert_slice_equal(r.ident, "kernel");
}

static void corosync_1x(void **state) {
        LogRecord r;
        parse_ok("Apr 21 02:55:15 corosync [CLM   ] CLM CONFIGURATION CHANGE", &r);
        assert_int_equal(r.ts, SEC(1713668115));      /* 2024-04-21T02:55:15Z */
        assert_int_equal(r.node.n, 0);
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, -1);
        assert_int_equal(r.priority, -1);
        assert_slice_equal(r.message, "[CLM   ] CLM CONFIGURATION CHANGE");
}

static void journalctl_separators(void **state) {
        LogRecord r;
        parse_ok("-- Reboot --", &r);
        assert_int_equal(r.kind, RECORD_BOOT_MARK);
        assert_int_equal(r.boot_id.n, 0);

        parse_ok("-- Boot 0123456789abcdef0123456789abcdef --", &r);
        assert_int_equal(r.kind, RECORD_BOOT_MARK);
        assert_slice_equal(r.boot_id, "0123456789abcdef0123456789abcdef");

        parse_ok("-- Boot 0123456789abcdef0123456789abcdef --\r", &r);
        assert_int_equal(r.kind, RECORD_BOOT_MARK);
        assert_slice_equal(r.boot_id, "0123456789abcdef0123456789abcdef");

        parse_ok("-- No entries --", &r);
        assert_int_equal(r.kind, RECORD_SKIP);
        parse_ok("-- Logs begin at Mon 2024-11-25 08:00:00 CET, end at Mon 2024-11-25 09:00:00 CET. --", &r);
        assert_int_equal(r.kind, RECORD_SKIP);
        parse_ok("-- Journal begins at Mon 2024-11-25 08:00:00 CET, ends at Mon 2024-11-25 09:00:00 CET. --", &r);
        assert_int_equal(r.kind, RECORD_SKIP);

        /* Not separators: no closing " --". */
        const char *reason;
        assert_int_equal(parse("-- Reboot", &r, &reason), -EBADMSG);
        assert_int_equal(parse("-- --", &r, &reason), -EBADMSG);
}

static void kernel_printk_stamp(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 pve1 kernel: [    0.000000] Linux version 6.8.12-4-pve (build@proxmox) #1 SMP", &r);
        assert_slice_equal(r.ident, "kernel");
        assert_int_equal(r.pid, -1);
        assert_int_equal(r.uptime, 0);
        assert_slice_equal(r.message, "Linux version 6.8.12-4-pve (build@proxmox) #1 SMP");

        parse_ok("Nov 25 08:10:48 pve1 kernel: [1752746.784056] e1000e 0000:00:1f.6 eno1: NIC Link is Down", &r);
        assert_int_equal(r.uptime, INT64_C(1752746784056));
        assert_slice_equal(r.message, "e1000e 0000:00:1f.6 eno1: NIC Link is Down");

        parse_ok("Nov 25 08:10:48 pve1 kernel: [   5.5] short fraction", &r);
        assert_int_equal(r.uptime, 5500000);
        assert_slice_equal(r.message, "short fraction");

        /* Without a stamp (journald strips it) the message is untouched. */
        parse_ok("Nov 25 08:10:48 pve1 kernel: Linux version 6.8.12-4-pve", &r);
        assert_int_equal(r.uptime, -1);
        assert_slice_equal(r.message, "Linux version 6.8.12-4-pve");
        parse_ok("Nov 25 08:10:48 pve1 kernel: [drm] Initialized", &r);
        assert_int_equal(r.uptime, -1);
        assert_slice_equal(r.message, "[drm] Initialized");

        /* Only the kernel's lines carry printk stamps. */
        parse_ok("Nov 25 08:10:48 pve1 app: [    1.000000] x", &r);
        assert_int_equal(r.uptime, -1);
        assert_slice_equal(r.message, "[    1.000000] x");
}

static void priority_from_message(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 pve1 pmxcfs[1000]: [dcdb] crit: cpg_send_message failed: 9", &r);
        assert_int_equal(r.priority, 2);
        parse_ok("Nov 25 08:10:48 pve1 pmxcfs[1000]: [status] notice: update cluster info (cluster name  pve, version = 3)", &r);
        assert_int_equal(r.priority, 5);
        parse_ok("Nov 25 08:10:48 pve1 pmxcfs[1000]: [quorum] err: quorum_initialize failed: 2", &r);
        assert_int_equal(r.priority, 3);
        parse_ok("Nov 25 08:10:48 pve1 pve-ha-lrm[1200]: ERROR: unable to open file", &r);
        assert_int_equal(r.priority, 3);
        assert_slice_equal(r.message, "ERROR: unable to open file");
        parse_ok("Nov 25 08:10:48 pve1 pve-ha-lrm[1200]: status change wait_for_agent_lock => active", &r);
        assert_int_equal(r.priority, -1);
        parse_ok("Nov 25 08:10:48 pve1 corosync[1]: [TOTEM ] Retransmit List: 1 2", &r);
        assert_int_equal(r.priority, -1);

        assert_int_equal(text_priority_from_message(SLICE_NULL, SLICE_STR("  [main] warning: x")), 4);
        assert_int_equal(text_priority_from_message(SLICE_NULL, SLICE_STR("[dcdb] bogus: x")), -1);
        assert_int_equal(text_priority_from_message(SLICE_NULL, SLICE_STR("ERROR:x")), -1);
        assert_int_equal(text_priority_from_message(SLICE_NULL, SLICE_STR("")), -1);
}

static void priority_names(void **state) {
        const char *names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        for (int i = 0; i < 8; i++)
                assert_int_equal(priority_from_name(SLICE_STR(names[i])), i);
        assert_int_equal(priority_from_name(SLICE_STR("error")), 3);
        assert_int_equal(priority_from_name(SLICE_STR("warn")), 4);
        assert_int_equal(priority_from_name(SLICE_STR("trace")), 7);
        assert_int_equal(priority_from_name(SLICE_STR("Notice")), -1);
        assert_int_equal(priority_from_name(SLICE_STR("")), -1);
        assert_int_equal(priority_from_name(SLICE_STR("infos")), -1);
}

static void line_without_ident(void **state) {
        LogRecord r;
        parse_ok("Oct 05 11:38:46 host node 'pve-a': state changed from 'online' => 'maintenance'", &r);
        assert_slice_equal(r.node, "host");
        assert_int_equal(r.ident.n, 0);
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "node 'pve-a': state changed from 'online' => 'maintenance'");

        parse_ok("Oct 05 11:38:46 host key=value: not a tag", &r);
        assert_int_equal(r.ident.n, 0);
        assert_slice_equal(r.message, "key=value: not a tag");

        parse_ok("Oct 05 11:38:46 host (root) CMD (run-parts /etc/cron.hourly)", &r);
        assert_int_equal(r.ident.n, 0);
        assert_slice_equal(r.message, "(root) CMD (run-parts /etc/cron.hourly)");
}

static void tag_shapes(void **state) {
        LogRecord r;
        /* Identifiers with blanks, parentheses and a leading "-- " (seen in real syslogs). */
        parse_ok("Jun 19 04:09:11 combo syslogd 1.4.1: restart.", &r);
        assert_slice_equal(r.ident, "syslogd 1.4.1");
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "restart.");
        parse_ok("Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2", &r);
        assert_slice_equal(r.node, "combo");
        assert_slice_equal(r.ident, "-- root");
        assert_int_equal(r.pid, 2421);
        assert_slice_equal(r.message, "ROOT LOGIN ON tty2");
        parse_ok("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure", &r);
        assert_slice_equal(r.ident, "sshd(pam_unix)");
        assert_int_equal(r.pid, 19939);
        /* A colon inside the message does not end a tag that already ended. */
        parse_ok("Nov 25 08:10:48 pve1 sshd[7]: Accepted publickey for root: RSA SHA256:x", &r);
        assert_slice_equal(r.ident, "sshd");
        assert_slice_equal(r.message, "Accepted publickey for root: RSA SHA256:x");
        /* "ident[x]:" with a non-numeric pid is not a tag: all of it stays in the message. */
        parse_ok("Nov 25 08:10:48 pve1 app[abc]: m", &r);
        assert_int_equal(r.ident.n, 0);
        assert_int_equal(r.pid, -1);
        assert_slice_equal(r.message, "app[abc]: m");
}

static void garbage_lines(void **state) {
        LogRecord r;
        const char *reason;
        const char *bad[] = {
                "hello world",
                "Nov 25 garbage",
                "<13>garbage",
                "2024-11-25",
                "   Nov 25 08:10:48 pve1 x: indented",
                "\x01\x02\x03",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                int k = parse(bad[i], &r, &reason);
                if (k != -EBADMSG)
                        fail_msg("'%s' gave %d, want -EBADMSG", bad[i], k);
                assert_string_equal(reason, "no timestamp at the start of the line");
        }
        /* A binary line with NUL bytes. */
        TextParser p = { .have_year = true };
        year_guess_init_fixed(&p.year, 2024);
        assert_int_equal(text_parse_line(&p, (Slice){ "\0\0\0x", 4 }, &r, &reason), -EBADMSG);
}

static void year_less_line_needs_a_year(void **state) {
        TextParser p = { .have_year = false };
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(text_parse_line(&p, SLICE_STR("Nov 25 08:10:48 pve1 x: y"), &r, &reason), -EBADMSG);
        assert_string_equal(reason, "no year known for a year-less timestamp");
        /* Stamps with a year need none. */
        assert_int_equal(text_parse_line(&p, SLICE_STR("2024-11-25T08:10:48Z pve1 x: y"), &r, &reason), 1);
        assert_int_equal(r.ts, T_NOV25);
}

static void year_rollover_across_lines(void **state) {
        TextParser p = { .have_year = true };
        LogRecord r;
        const char *reason;
        year_guess_init_fixed(&p.year, 2023);
        assert_int_equal(text_parse_line(&p, SLICE_STR("Dec 31 23:59:59 h x: a"), &r, &reason), 1);
        assert_int_equal(r.ts, SEC(1704067199));      /* 2023-12-31T23:59:59Z */
        assert_int_equal(text_parse_line(&p, SLICE_STR("Jan  1 00:00:01 h x: b"), &r, &reason), 1);
        assert_int_equal(r.ts, SEC(1704067201));      /* 2024-01-01T00:00:01Z */
}

static void crlf_line_endings(void **state) {
        LogRecord r;
        parse_ok("Nov 25 08:10:48 pve1 sshd[7]: Accepted password\r", &r);
        assert_slice_equal(r.ident, "sshd");
        assert_slice_equal(r.message, "Accepted password");
        parse_ok("<34>1 2003-10-11T22:14:15.003Z h su - ID47 - m\r", &r);
        assert_slice_equal(r.message, "m");
        parse_ok("-- Reboot --\r", &r);
        assert_int_equal(r.kind, RECORD_BOOT_MARK);
}

static void empty_lines(void **state) {
        LogRecord r;
        const char *blank[] = { "", "\r", "   ", "\t \t", " \r" };
        for (size_t i = 0; i < ELEMENTSOF(blank); i++) {
                parse_ok(blank[i], &r);
                assert_int_equal(r.kind, RECORD_SKIP);
        }
}

static void zh_cn_stamp(void **state) {
        LogRecord r;
        parse_ok("9 月 16 日 19:31:41 pve1 corosync[1500]: [KNET  ] link: host: 2 link: 0 is down", &r);
        assert_int_equal(r.ts, SEC(1726515101));      /* 2024-09-16T19:31:41Z */
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 1500);
        assert_slice_equal(r.message, "[KNET  ] link: host: 2 link: 0 is down");
}

/* ---- journalctl short output under a non-English LC_TIME ---- */

static void localized_journalctl_lines(void **state) {
        LogRecord r;
        parse_ok("Dez 03 08:10:48 pve1 corosync[1234]: [KNET  ] link: host: 2 link: 0 is down", &r);
        assert_int_equal(r.kind, RECORD_EVENT);
        assert_int_equal(r.ts, SEC(1733213448));      /* 2024-12-03T08:10:48Z */
        assert_int_equal(r.ts_prec, USEC_PER_SEC);
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 1234);
        assert_slice_equal(r.message, "[KNET  ] link: host: 2 link: 0 is down");

        parse_ok("déc. 03 08:10:48.123456 pve1 pmxcfs[1098]: [status] notice: received log", &r);
        assert_int_equal(r.ts, SEC(1733213448) + 123456);
        assert_int_equal(r.ts_prec, 1);
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "pmxcfs");
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.message, "[status] notice: received log");

        parse_ok("мая 09 08:10:48 pve2 pve-ha-lrm[1302]: status change active => lost_agent_lock", &r);
        assert_int_equal(r.ts, SEC(1715242248));      /* 2024-05-09T08:10:48Z */
        assert_slice_equal(r.node, "pve2");
        assert_slice_equal(r.ident, "pve-ha-lrm");
        assert_slice_equal(r.message, "status change active => lost_agent_lock");

        parse_ok("mar 12 08:10:48 pve3 systemd[1]: Started pvestatd.service - PVE Status Daemon.", &r);
        assert_int_equal(r.ts, SEC(1710231048));      /* 2024-03-12T08:10:48Z */
        assert_slice_equal(r.node, "pve3");
        assert_slice_equal(r.ident, "systemd");

        /* ja_JP pads the month to two columns: the line starts with a blank. */
        parse_ok(" 1月 03 08:10:48 pve1 kernel: vmbr0: port 1(enp3s0) entered forwarding state", &r);
        assert_int_equal(r.ts, SEC(1704269448));      /* 2024-01-03T08:10:48Z */
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "kernel");
        assert_slice_equal(r.message, "vmbr0: port 1(enp3s0) entered forwarding state");
        parse_ok("12月 03 08:10:48 pve1 corosync[1234]: x", &r);
        assert_int_equal(r.ts, SEC(1733213448));
}

/* The lines of one file through one parser (year 2024, UTC): the month of each, 0 = rejected. */
static void file_months(const char *const *lines, size_t n, const int *want) {
        TextParser p = { .have_year = true };
        year_guess_init_fixed(&p.year, 2024);
        for (size_t i = 0; i < n; i++) {
                LogRecord r;
                const char *reason = NULL;
                int got = 0;
                if (text_parse_line(&p, SLICE_STR(lines[i]), &r, &reason) == 1) {
                        time_t t = (time_t) (r.ts / USEC_PER_SEC);
                        struct tm tm;
                        assert_non_null(gmtime_r(&t, &tm));
                        got = tm.tm_mon + 1;
                } else
                        assert_string_equal(reason, "no timestamp at the start of the line");
                if (got != want[i])
                        fail_msg("line %zu '%s': month %d, want %d", i + 1, lines[i], got, want[i]);
        }
}

static void localized_file_decides_ambiguous(void **state) {
        /* Polish, starting with "lis": November in Polish and Czech, October in Croatian. The
         * table's first reading (Polish/Czech) is taken, and "gru" then confirms Polish. */
        static const char *const polish[] = {
                "lis 29 23:59:58 pve1 corosync[1187]:   [KNET  ] link: host: 2 link: 0 is down",
                "lis 30 00:00:01 pve1 corosync[1187]:   [TOTEM ] A processor failed, forming new configuration",
                "gru 01 00:00:08 pve1 corosync[1187]:   [QUORUM] Members[2]: 1 3",
                "lis 30 00:00:09 pve1 pmxcfs[1098]: [status] notice: a late line of the day before",
        };
        file_months(polish, ELEMENTSOF(polish), (const int[]){ 11, 11, 12, 11 });

        /* Croatian from its first line on: only Croatian October has a 31st. */
        static const char *const croatian[] = {
                "lis 31 23:59:58 pve1 corosync[1187]:   [KNET  ] link: host: 2 link: 0 is down",
                "stu 01 00:00:03 pve1 corosync[1187]:   [TOTEM ] A processor failed, forming new configuration",
                "lis 31 23:59:59 pve1 pmxcfs[1098]: [status] notice: a late line of the day before",
                "lis 30 23:59:59 pve1 pmxcfs[1098]: [status] notice: the file is Croatian: October",
        };
        file_months(croatian, ELEMENTSOF(croatian), (const int[]){ 10, 11, 10, 10 });

        /* Croatian June 30 reads as Polish July 30 too: the first line is taken as July (the
         * documented guess), "srp" (Czech August, Croatian July, not Polish) decides Croatian, and
         * from then on "lip" is June. */
        static const char *const guessed[] = {
                "lip 30 23:59:58 pve1 corosync[1187]:   [KNET  ] link: host: 2 link: 0 is down",
                "srp 01 00:00:03 pve1 corosync[1187]:   [TOTEM ] A processor failed, forming new configuration",
                "lip 30 23:59:59 pve1 pmxcfs[1098]: [status] notice: a late line of the day before",
        };
        file_months(guessed, ELEMENTSOF(guessed), (const int[]){ 7, 7, 6 });

        /* Garbage is still rejected, and decides nothing: "lis" stays Polish/Czech. */
        static const char *const garbage[] = {
                "Dezember 03 08:10:48 pve1 x: full month names are not %b",
                "stu 03 garbage",
                "stu03 08:10:48 pve1 x: y",
                "   stu 03 08:10:48 pve1 x: indented",
                "lis 03 08:10:48 pve1 corosync[1187]: x",
        };
        file_months(garbage, ELEMENTSOF(garbage), (const int[]){ 0, 0, 0, 0, 11 });
}

/* ---- Loghub ground truth ---- */

#define CSV_MAX_FIELDS 12

typedef struct CsvRows {
        char *fields[CSV_MAX_FIELDS];  /* the current row's fields, malloc'ed */
        size_t n_fields;
        size_t n_rows;                 /* data rows seen (header excluded) */
        bool header_done;
        void (*on_row)(struct CsvRows *rows);
        void *data;
} CsvRows;

static void csv_field(void *s, size_t len, void *data) {
        CsvRows *rows = data;
        if (rows->n_fields < CSV_MAX_FIELDS) {
                char *f = malloc(len + 1);
                assert_non_null(f);
                if (len > 0)
                        memcpy(f, s, len);
                f[len] = '\0';
                rows->fields[rows->n_fields] = f;
        }
        rows->n_fields++;
}

static void csv_row(int c, void *data) {
        CsvRows *rows = data;
        size_t n = MIN(rows->n_fields, (size_t) CSV_MAX_FIELDS);
        if (rows->header_done) {
                rows->n_rows++;
                rows->on_row(rows);
        }
        rows->header_done = true;
        for (size_t i = 0; i < n; i++) {
                free(rows->fields[i]);
                rows->fields[i] = NULL;
        }
        rows->n_fields = 0;
}

static void csv_read_file(const char *path, CsvRows *rows) {
        struct csv_parser cp;
        assert_int_equal(csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI), 0);
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open '%s': %s", path, strerror(errno));
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                if (csv_parse(&cp, buf, n, csv_field, csv_row, rows) != n)
                        fail_msg("'%s': %s", path, csv_strerror(csv_error(&cp)));
        assert_int_equal(csv_fini(&cp, csv_field, csv_row, rows), 0);
        csv_free(&cp);
}

static char *data_path(const char *name) {
        const char *root = getenv("CASCADE_SOURCE_ROOT");
        if (!root)
                fail_msg("CASCADE_SOURCE_ROOT is not set (run through meson test)");
        char *p;
        assert_true(asprintf(&p, "%s/tests/data/loghub/%s", root, name) > 0);
        return p;
}

/* Which CSV column holds what. Loghub's headers do not say: Linux_2k names the host column
 * "Level", and OpenSSH_2k names the host column "Component" and has no identifier column. */
typedef struct LoghubLayout {
        const char *log, *csv;
        int year;
        int col_month, col_day, col_time, col_host, col_ident, col_pid, col_content;  /* -1: none */
        const char *ident;     /* the identifier of every line when the CSV has no column for it */
} LoghubLayout;

typedef struct LoghubCheck {
        const LoghubLayout *layout;
        Reader *reader;
        TextParser parser;
        size_t n_lines;
        size_t n_incomplete;   /* the line that had no newline; 0 = none */
} LoghubCheck;

static Slice trimmed(const char *s) {
        return slice_trim(SLICE_STR(s));
}

static void loghub_row(CsvRows *rows) {
        LoghubCheck *c = rows->data;
        const LoghubLayout *l = c->layout;
        if (rows->n_fields < 9)
                fail_msg("%s row %zu has %zu fields", l->csv, rows->n_rows, rows->n_fields);
        if (strtoul(rows->fields[0], NULL, 10) != rows->n_rows)
                fail_msg("%s row %zu has LineId %s", l->csv, rows->n_rows, rows->fields[0]);

        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(c->reader, &line, &complete, &cut), 1);
        assert_false(cut);
        c->n_lines++;
        if (!complete)
                c->n_incomplete = c->n_lines;

        LogRecord r;
        const char *reason = NULL;
        int k = text_parse_line(&c->parser, line, &r, &reason);
        if (k != 1 || r.kind != RECORD_EVENT)
                fail_msg("%s:%zu rejected (%d): %s", l->log, c->n_lines, k, strempty(reason));

        /* Month, day and time: placed on the UTC axis, then read back. */
        time_t t = (time_t) (r.ts / USEC_PER_SEC);
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char month[8], day[8], clock[16];
        strftime(month, sizeof month, "%b", &tm);
        snprintf(day, sizeof day, "%d", tm.tm_mday);
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
        if (!streq(month, rows->fields[l->col_month]) || !streq(day, rows->fields[l->col_day]) ||
            !streq(clock, rows->fields[l->col_time]))
                fail_msg("%s:%zu: time %s %s %s, CSV says %s %s %s", l->log, c->n_lines, month, day, clock,
                         rows->fields[l->col_month], rows->fields[l->col_day], rows->fields[l->col_time]);
        if (tm.tm_year + 1900 != l->year)
                fail_msg("%s:%zu: year %d, want %d", l->log, c->n_lines, tm.tm_year + 1900, l->year);
        assert_int_equal(r.ts_prec, USEC_PER_SEC);

        Slice host = trimmed(rows->fields[l->col_host]);
        if (r.node.n != host.n || memcmp(r.node.p, host.p, host.n) != 0)
                fail_msg("%s:%zu: host '%.*s', CSV says '%.*s'", l->log, c->n_lines, (int) r.node.n, r.node.p,
                         (int) host.n, host.p);

        Slice ident = l->col_ident >= 0 ? trimmed(rows->fields[l->col_ident]) : SLICE_STR(l->ident);
        Slice got_ident = slice_trim(r.ident);
        if (got_ident.n != ident.n || (ident.n > 0 && memcmp(got_ident.p, ident.p, ident.n) != 0))
                fail_msg("%s:%zu: ident '%.*s', CSV says '%.*s'", l->log, c->n_lines, (int) got_ident.n,
                         strempty(got_ident.p), (int) ident.n, ident.p);

        const char *pid = rows->fields[l->col_pid];
        int64_t want_pid = *pid ? (int64_t) strtoll(pid, NULL, 10) : -1;
        if (r.pid != want_pid)
                fail_msg("%s:%zu: pid %" PRId64 ", CSV says '%s'", l->log, c->n_lines, r.pid, pid);

        Slice content = trimmed(rows->fields[l->col_content]);
        Slice message = slice_trim(r.message);
        if (message.n != content.n || (content.n > 0 && memcmp(message.p, content.p, content.n) != 0))
                fail_msg("%s:%zu: message '%.*s', CSV says '%.*s'", l->log, c->n_lines, (int) message.n,
                         strempty(message.p), (int) content.n, content.p);
}

static void loghub_check(const LoghubLayout *l, size_t want_lines) {
        _cleanup_free_ char *log = data_path(l->log), *csv = data_path(l->csv);
        LoghubCheck c = { .layout = l, .parser = { .have_year = true } };
        year_guess_init_fixed(&c.parser.year, l->year);
        assert_int_equal(reader_open(log, &c.reader), 0);

        CsvRows rows = { .on_row = loghub_row, .data = &c };
        csv_read_file(csv, &rows);
        assert_int_equal(rows.n_rows, want_lines);
        assert_int_equal(c.n_lines, want_lines);
        /* Both files end without a newline after their last line (CRLF line ends otherwise). */
        assert_int_equal(c.n_incomplete, want_lines);

        /* Nothing left in the log that the CSV did not describe. */
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(c.reader, &line, &complete, &cut), 0);
        reader_free(c.reader);
}

static void loghub_linux(void **state) {
        static const LoghubLayout l = {
                .log = "Linux_2k.log", .csv = "Linux_2k.log_structured.csv", .year = 2005,
                /* LineId,Month,Date,Time,Level,Component,PID,Content,EventId,EventTemplate */
                .col_month = 1, .col_day = 2, .col_time = 3, .col_host = 4, .col_ident = 5, .col_pid = 6,
                .col_content = 7,
        };
        loghub_check(&l, 2000);
}

static void loghub_openssh(void **state) {
        static const LoghubLayout l = {
                .log = "OpenSSH_2k.log", .csv = "OpenSSH_2k.log_structured.csv", .year = 2017,
                /* LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate */
                .col_month = 1, .col_day = 2, .col_time = 3, .col_host = 4, .col_ident = -1, .col_pid = 5,
                .col_content = 6, .ident = "sshd",
        };
        loghub_check(&l, 2000);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup(rfc3164_space_padded_day, zone_utc),
                cmocka_unit_test_setup(rfc3164_zero_padded_day_no_pid, zone_utc),
                cmocka_unit_test_setup(rfc3164_without_host, zone_utc),
                cmocka_unit_test_setup(rfc3164_empty_message, zone_utc),
                cmocka_unit_test_setup(journalctl_short_precise, zone_utc),
                cmocka_unit_test_setup(journalctl_short_iso, zone_utc),
                cmocka_unit_test_setup(iso_space_no_zone, zone_utc),
                cmocka_unit_test_setup(rfc5424_with_structured_data, zone_utc),
                cmocka_unit_test_setup(rfc5424_structured_data_escapes, zone_utc),
                cmocka_unit_test_setup(rfc5424_without_structured_data, zone_utc),
                cmocka_unit_test_setup(rfc5424_rejects, zone_utc),
                cmocka_unit_test_setup(absurd_pid, zone_utc),
                cmocka_unit_test_setup(rfc3164_with_pri, zone_utc),
                cmocka_unit_test_setup(corosync_logfile, zone_utc),
                cmocka_unit_test_setup(pacemaker_logfiles, zone_utc),
                cmocka_unit_test_setup(corosync_1x, zone_utc),
                cmocka_unit_test_setup(journalctl_separators, zone_utc),
                cmocka_unit_test_setup(kernel_printk_stamp, zone_utc),
                cmocka_unit_test_setup(priority_from_message, zone_utc),
                cmocka_unit_test_setup(priority_names, zone_utc),
                cmocka_unit_test_setup(line_without_ident, zone_utc),
                cmocka_unit_test_setup(tag_shapes, zone_utc),
                cmocka_unit_test_setup(garbage_lines, zone_utc),
                cmocka_unit_test_setup(year_less_line_needs_a_year, zone_utc),
                cmocka_unit_test_setup(year_rollover_across_lines, zone_utc),
                cmocka_unit_test_setup(crlf_line_endings, zone_utc),
                cmocka_unit_test_setup(empty_lines, zone_utc),
                cmocka_unit_test_setup(zh_cn_stamp, zone_utc),
                cmocka_unit_test_setup(localized_journalctl_lines, zone_utc),
                cmocka_unit_test_setup(localized_file_decides_ambiguous, zone_utc),
                cmocka_unit_test_setup(loghub_linux, zone_utc),
                cmocka_unit_test_setup(loghub_openssh, zone_utc),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
