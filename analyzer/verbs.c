/* verbs.c: the verb table: every command, its line in 'cascade --help', how many arguments it takes
 * and what main.c opens for it before its run(). Kept apart from main.c so that test-verbs can walk
 * it (a help text that drifts from its option table fails there). */
#include "cli.h"

const Verb cli_verbs[] = {
        { "ingest", "store journal and text logs of every node in the database", &verb_ingest_ops,
          VERB_STORE_READ_WRITE, VERB_PATTERNS_OPTIONAL,
          "Storing events without tagging them; fix the pattern library and run 'cascade retag'",
          /* no SOURCE is fine with --local: its check() says so */
          0, -1, NULL },
        /* Patterns: 'list' and 'show' need the library, 'test FILE...' must work on files the library
         * would refuse: whether to load it depends on the sub-command. */
        { "patterns", "list, show and test the pattern library", &verb_patterns_ops,
          VERB_STORE_NONE, VERB_PATTERNS_OWN, NULL, 0, -1, NULL },
        { "retag", "tag stored events again after the pattern library changed", &verb_retag_ops,
          VERB_STORE_READ_WRITE, VERB_PATTERNS_REQUIRED, NULL, 0, 0, NULL },
        { "analyze", "find incidents: what happened, in what order, and why", &verb_analyze_ops,
          VERB_STORE_WRITABLE, VERB_PATTERNS_OPTIONAL, "Analysing without the pattern library's advice", 0, 0, NULL },
        { "report", "write the Markdown postmortem of the incidents found", &verb_report_ops,
          VERB_STORE_READ_ONLY, VERB_PATTERNS_OPTIONAL, "Analysing without the pattern library's advice", 0, 0, NULL },
        { "query", "run read-only SQL on the database (table, CSV or JSON)", &verb_query_ops,
          VERB_STORE_READ_ONLY, VERB_PATTERNS_NONE, NULL,
          1, 1, "takes one SQL argument (or '-' for standard input)" },
        { "timeline", "every node's events merged into one skew-corrected timeline", &verb_timeline_ops,
          VERB_STORE_READ_ONLY, VERB_PATTERNS_NONE, NULL, 0, 0, NULL },
        { "collect", "fetch every node's journal over ssh into the database", &verb_collect_ops,
          VERB_STORE_READ_WRITE, VERB_PATTERNS_OPTIONAL,
          "Storing events without tagging them; fix the pattern library and run 'cascade retag'", 0, -1, NULL },
        /* Forget opens the database itself: the read-write mode would create a missing one only to
         * find nothing in it to forget. */
        { "forget", "remove what a source or node contributed (undo an ingest)", &verb_forget_ops,
          VERB_STORE_OWN, VERB_PATTERNS_NONE, NULL, 0, -1, NULL },
        /* Writable, not read-write: a missing database is an error, not one to create empty. */
        { "prune", "remove what is older than the retention (events, boots, history)", &verb_prune_ops,
          VERB_STORE_WRITABLE, VERB_PATTERNS_NONE, NULL, 0, 0, NULL },
        /* Scan runs collect (a child writing the database) before it opens the database, and has exit
         * statuses of its own for a database it cannot open (6) and runs on without the library (a
         * warning of its own): it opens both itself. */
        { "scan", "collect, ingest, analyze and report what is new (nightly)", &verb_scan_ops,
          VERB_STORE_OWN, VERB_PATTERNS_OWN, NULL, 0, -1, NULL },
};

const size_t cli_n_verbs = ELEMENTSOF(cli_verbs);

const Verb *cli_verb_find(const char *name) {
        for (size_t i = 0; i < cli_n_verbs; i++)
                if (streq(name, cli_verbs[i].name))
                        return &cli_verbs[i];
        return NULL;
}
