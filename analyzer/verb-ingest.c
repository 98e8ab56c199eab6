/* verb-ingest.c: `cascade ingest`: options, the per-node summary, exit status. */
#include <getopt.h>

#include "cli.h"
#include "ingest.h"
#include "log.h"
#include "tag.h"

static void ingest_help(void) {
        printf("Usage: cascade [--db PATH] [--tz ZONE] ingest [OPTIONS] SOURCE...\n\n"
               "Store logs in the database. A SOURCE is a journal directory (/var/log/journal, a node's\n"
               "copied /var/log/journal/<machine-id>/, a systemd-journal-remote directory), a .journal\n"
               "file, a journalctl -o export or -o json stream, or a text log (syslog, journalctl short*,\n"
               "RFC 5424, corosync logfile), optionally gzip-compressed; '-' reads standard input.\n"
               "Ingesting the same source again adds only what is new.\n\n"
               "Options:\n"
               "  --node NAME     node name for every event of the sources (for files without host names)\n"
               "  --format FMT    journal, export, json, text or corosync-conf (default: detect from the content)\n"
               "  --tz ZONE       zone of stamps without one (default: the machine's)\n"
               "  --year YYYY     year of the first line of year-less text (default: from the file's mtime)\n"
               "  --since TIME    skip events before TIME\n"
               "  --until TIME    skip events at or after TIME\n"
               "  --local         this machine's journal\n"
               "  --no-progress   never draw the progress line\n"
               "  -h, --help      this help\n\n"
               "TIME: 2025-11-25, '2025-11-25 08:10:48', RFC 3339, @EPOCH, now, today, yesterday, -2h, -30min.\n"
               "Exit status: 0 all sources ingested, 1 a source failed, 2 usage error.\n");
}

void cli_ingest_diag(void *userdata, const char *path, uint64_t line, const char *what) {
        char safe[512];
        log_sanitize(what, strlen(what), safe, sizeof safe);
        if (line > 0)
                log_warning("%s:%" PRIu64 ": %s", path, line, safe);
        else
                log_warning("%s: %s", path, safe);
}

void cli_print_ingest_summary(const IngestStats *st) {
        uint64_t added = 0, dups = 0, rejected = st->rejected_unattributed;
        char first[RFC3339_MAX], last[RFC3339_MAX];

        printf("%-20s %10s %11s %9s  %-19s  %-19s\n", "node", "added", "duplicates", "rejected", "first", "last");
        for (size_t i = 0; i < st->n_nodes; i++) {
                const NodeStats *n = &st->nodes[i];
                char name[64];
                log_sanitize(n->name, strlen(n->name), name, sizeof name);
                bool any = n->first != USEC_INVALID;
                printf("%-20s %10" PRIu64 " %11" PRIu64 " %9" PRIu64 "  %-19s  %-19s\n", name, n->added,
                       n->duplicates, n->rejected, any ? time_format_local(n->first, false, first) : "-",
                       any ? time_format_local(n->last, false, last) : "-");
                added += n->added, dups += n->duplicates, rejected += n->rejected;
        }
        printf("total: %" PRIu64 " added, %" PRIu64 " duplicates skipped, %" PRIu64 " rejected lines, "
               "%u sources read", added, dups, rejected, st->sources_read);
        if (st->filtered)
                printf(", %" PRIu64 " outside --since/--until", st->filtered);
        printf("\n");
}

static const char *source_error(int r) {
        switch (r) {
        case -EMEDIUMTYPE:
                return "unknown format (use --format journal|export|json|text|corosync-conf)";
        case -ENOMSG:
                return "no journal files in this directory";
        case -EBADMSG:
        case -ENODATA:
                return "malformed or corrupt file (see above)";
        default:
                return strerror(-r);
        }
}

int verb_ingest(int argc, char *argv[]) {
        enum { ARG_NODE = 0x100, ARG_FORMAT, ARG_TZ, ARG_YEAR, ARG_SINCE, ARG_UNTIL, ARG_LOCAL, ARG_NO_PROGRESS };
        static const struct option options[] = {
                { "node", required_argument, NULL, ARG_NODE },
                { "format", required_argument, NULL, ARG_FORMAT },
                { "tz", required_argument, NULL, ARG_TZ },
                { "year", required_argument, NULL, ARG_YEAR },
                { "since", required_argument, NULL, ARG_SINCE },
                { "until", required_argument, NULL, ARG_UNTIL },
                { "local", no_argument, NULL, ARG_LOCAL },
                { "no-progress", no_argument, NULL, ARG_NO_PROGRESS },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        IngestOptions opts = { .format = FORMAT_AUTO, .since = USEC_INVALID, .until = USEC_INVALID,
                               .progress = isatty(STDERR_FILENO), .diag = cli_ingest_diag };
        const char *since = NULL, *until = NULL;
        bool local = false;
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case ARG_NODE:
                        if (!*optarg || strpbrk(optarg, " \t\n/"))
                                return log_error("Invalid node name '%s'", optarg), EXIT_USAGE;
                        opts.node = optarg;
                        break;
                case ARG_FORMAT:
                        opts.format = source_format_from_string(optarg);
                        if (opts.format < 0)
                                return log_error("Unknown format '%s' (journal, export, json, text, corosync-conf)", optarg), EXIT_USAGE;
                        break;
                case ARG_TZ:
                        if (time_set_zone(optarg) < 0)
                                return log_error("Unknown time zone '%s'", optarg), EXIT_USAGE;
                        break;
                case ARG_YEAR: {
                        char *end;
                        long y = strtol(optarg, &end, 10);
                        if (*end || y < 1970 || y > 9999)
                                return log_error("Invalid year '%s'", optarg), EXIT_USAGE;
                        opts.year = (int) y;
                        break;
                }
                case ARG_SINCE:
                        since = optarg;
                        break;
                case ARG_UNTIL:
                        until = optarg;
                        break;
                case ARG_LOCAL:
                        local = true;
                        break;
                case ARG_NO_PROGRESS:
                        opts.progress = false;
                        break;
                case 'h':
                        ingest_help();
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        /* Parsed after the loop: --tz may come after --since. */
        usec_t now = now_usec();
        if (since && time_parse_user(since, now, &opts.since) < 0)
                return log_error("Invalid time '%s' for --since", since), EXIT_USAGE;
        if (until && time_parse_user(until, now, &opts.until) < 0)
                return log_error("Invalid time '%s' for --until", until), EXIT_USAGE;
        if (optind >= argc && !local)
                return log_error("No SOURCE given; see 'cascade ingest --help'"), EXIT_USAGE;

        _cleanup_(store_closep) Store *store = NULL;
        if (cli_open_store(STORE_READ_WRITE, &store) < 0)
                return EXIT_FAILED;
        /* Tags are derived: without a usable library the events are still stored, and the next
         * ingest or retag with a good library tags them. */
        _cleanup_(pattern_set_freep) PatternSet *set = NULL;
        _cleanup_(tag_context_freep) TagContext *tc = NULL;
        if (cli_load_patterns(&set) < 0)
                log_warning("Storing events without tagging them; fix the pattern library and run 'cascade retag'");
        else if (tag_context_new(store, set, &tc) < 0 || tag_catch_up(tc, false, NULL, NULL) < 0) {
                log_warning("Cannot bring the tags up to date; storing events without tagging them");
                tc = tag_context_free(tc);
        }
        opts.tagger = tc;

        _cleanup_(ingest_freep) Ingest *in = NULL;
        int r = ingest_new(store, &opts, &in);
        if (r < 0)
                return log_error_errno(r, "Cannot start ingest"), EXIT_FAILED;

        unsigned failed = 0;
        if (local && (r = ingest_local(in)) < 0) {
                log_error("local journal: %s", source_error(r));
                failed++;
        }
        for (int i = optind; i < argc; i++) {
                r = ingest_path(in, argv[i]);
                if (r < 0) {
                        char safe[512];
                        log_sanitize(argv[i], strlen(argv[i]), safe, sizeof safe);
                        log_error("%s: %s", safe, source_error(r));
                        failed++;
                }
        }
        cli_print_ingest_summary(ingest_stats(in));
        if (failed)
                log_error("%u source(s) failed; everything else was stored", failed);
        return failed ? EXIT_FAILED : EXIT_OK;
}
