/* verb-prune.c: `cascade prune [--older-than DURATION] [--dry-run]`: retention by hand (scan applies
 * the configuration's `retain` itself). store-prune.c does the removing. */
#include "cli.h"
#include "conf.h"
#include "log.h"
#include "store-prune.h"

static const char *arg_older_than, *arg_before;
static bool arg_dry_run;

enum { ARG_OLDER_THAN = 0x100, ARG_BEFORE, ARG_DRY_RUN };

static const struct option options[] = {
        { "older-than", required_argument, NULL, ARG_OLDER_THAN },
        { "before", required_argument, NULL, ARG_BEFORE },
        { "dry-run", no_argument, NULL, ARG_DRY_RUN },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void prune_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--config FILE] prune [--older-than DURATION | --before TIME] [--dry-run]\n\n"
                   "Remove what is older than DURATION (a time span: 90d, 12w, 6M; default: the configuration's\n"
                   "'retain'): events with their tags, boots left without events, and the history of incidents,\n"
                   "boots and membership before the cut. An incident that ends after the cut is kept whole,\n"
                   "with the events its evidence cites (the cut moves back to an hour before its start).\n"
                   "Sources keep their resume points, so an ingest does not bring pruned lines back. Batches\n"
                   "of one transaction each: a prune killed at any point leaves a consistent database, and\n"
                   "running it again finishes the work. Freed pages go back to the disk (databases created\n"
                   "by this version; older ones reuse them).\n"
                   "  --older-than DURATION  the cut: now minus DURATION\n"
                   "  --before TIME          the cut: TIME as journalctl takes it ('2025-01-01', '-90d')\n"
                   "  --dry-run              count what would go, remove nothing\n");
}

static int prune_option(int c, const char *arg) {
        switch (c) {
        case ARG_OLDER_THAN: arg_older_than = arg; return 0;
        case ARG_BEFORE: arg_before = arg; return 0;
        case ARG_DRY_RUN: arg_dry_run = true; return 0;
        default: return -EINVAL;
        }
}

static usec_t arg_span = USEC_INVALID, arg_cut = USEC_INVALID;

static int prune_check(char **args, int n_args) {
        if (arg_older_than && arg_before)
                return log_error("--older-than and --before both name the cut: one of them"), -EINVAL;
        if (arg_before) {
                if (time_parse_user(arg_before, now_usec(), &arg_cut) < 0)
                        return log_error("Invalid time '%s' for --before", arg_before), -EINVAL;
                return 0;
        }
        if (arg_older_than) {
                if (time_parse_span(arg_older_than, &arg_span) < 0 || arg_span <= 0)
                        return log_error("Invalid --older-than '%s' (a time span: 90d, 12w, 6M)", arg_older_than),
                               -EINVAL;
                return 0;
        }
        const ConfSettings *conf = cli_settings();
        if (!conf || conf->retain == USEC_INVALID)
                return log_error("No --older-than or --before, and the configuration '%s' sets no 'retain'", cli_config_path()),
                       -EINVAL;
        arg_span = conf->retain;
        return 0;
}

static int prune_run(const VerbContext *ctx) {
        usec_t cut = arg_cut != USEC_INVALID ? arg_cut : now_usec() - arg_span;
        PruneCounts c;
        int r = store_prune(ctx->store, cut, arg_dry_run, &c);
        if (r < 0)
                return log_error_errno(r, "Cannot prune: %s (what was removed stays removed; run it again)",
                                       store_errmsg(ctx->store)),
                       EXIT_FAILED;
        char when[RFC3339_MAX];
        printf("%s %lld event%s (%lld tag%s), %lld boot%s, %lld incident%s before %s",
               arg_dry_run ? "would prune" : "pruned", (long long) c.events, c.events == 1 ? "" : "s",
               (long long) c.tags, c.tags == 1 ? "" : "s", (long long) c.boots, c.boots == 1 ? "" : "s",
               (long long) c.incidents, c.incidents == 1 ? "" : "s", time_format_rfc3339(c.cut, when));
        if (c.cut < cut)
                printf(" (moved back to keep an incident whole)");
        if (c.pages_freed > 0)
                printf("; %lld page%s given back", (long long) c.pages_freed, c.pages_freed == 1 ? "" : "s");
        printf("\n");
        return EXIT_OK;
}

const VerbOps verb_prune_ops = {
        .options = options,
        .short_options = "h",
        .option = prune_option,
        .check = prune_check,
        .help = prune_help,
        .run = prune_run,
};
