/* bench-tag.c: tagging alone, on one core: read a text log into memory once, split it with the
 * text parser, then time matching every message against the full pattern library. Prints lines/s
 * for the matcher alone and for parse + match. Not a test: it prints figures. */
#include "bench-util.h"
#include "tag-match.h"
#include "tag-patterns.h"

typedef struct Line {
        Slice ident, message;
} Line;

static int count_hit(void *userdata, const TagHit *hit) {
        (*(uint64_t *) userdata)++;
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc < 3) {
                fprintf(stderr, "usage: bench-tag PATTERNS_DIR LOGFILE [MAX_LINES]\n");
                return 2;
        }
        PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        if (pattern_set_load_dir(set, argv[1], false, &err) < 0) {
                fprintf(stderr, "%s:%u:%u: %s\n", err.file, err.line, err.column, err.message);
                return 1;
        }
        size_t max = argc > 3 ? strtoul(argv[3], NULL, 10) : SIZE_MAX;
        StrBuf text = STRBUF_INIT;
        int r = bench_read_file(argv[2], &text);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", argv[2], strerror(-r));
                return 1;
        }

        /* Split and parse once, keeping slices into `text`. */
        Line *lines = NULL;
        size_t n_lines = 0, alloc = 0, pos = 0;
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2025);
        LogRecord rec;
        double t0 = bench_seconds();
        while (n_lines < max && bench_next_event(&tp, &text, &pos, &rec) > 0) {
                if (array_reserve(&lines, &alloc, n_lines + 1, sizeof *lines, 1 << 16) < 0)
                        return 1;
                lines[n_lines++] = (Line){ rec.ident, rec.message };
        }
        double parse_s = bench_seconds() - t0;

        Tagger *t;
        if (tagger_new(set, &t) < 0)
                return 1;
        uint64_t hits = 0;
        t0 = bench_seconds();
        for (size_t i = 0; i < n_lines; i++)
                tagger_match(t, lines[i].ident, lines[i].message, count_hit, &hits);
        double tag_s = bench_seconds() - t0;

        printf("rules            %zu\n", set->n_rules);
        printf("lines            %zu\n", n_lines);
        printf("tags             %" PRIu64 " (%.2f%% of lines)\n", hits, 100.0 * (double) hits / (double) (n_lines ? n_lines : 1));
        printf("parse            %.0f lines/s\n", (double) n_lines / parse_s);
        printf("tag              %.0f lines/s\n", (double) n_lines / tag_s);
        printf("parse+tag        %.0f lines/s\n", (double) n_lines / (parse_s + tag_s));
        printf("target tag       >= 2000000 lines/s: %s\n", (double) n_lines / tag_s >= 2e6 ? "PASS" : "FAIL");
        tagger_free(t);
        free(lines);
        strbuf_release(&text);
        pattern_set_free(set);
        return 0;
}
