/* ingest-journal.c: sd-journal access. An entry's fields are read in one pass of
 * sd_journal_enumerate_data() (sd_journal_get_data() walks them again for every field asked). */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "ingest-journal.h"
#include "ingest-journal-fields.h"
#include "strbuf.h"

struct JournalReader {
        sd_journal *j;
        char *cursor;          /* of the last returned entry */
        sd_id128_t boot;       /* the last entry's boot id, and its hex */
        char boot_id[33];
        StrBuf values;         /* copies of the current entry's fields: each enumeration step invalidates the last */
        usec_t head, tail;     /* realtime range of the chain, for progress */
};

bool journal_file_looks_like(const char *buf, size_t n) {
        return n >= 8 && memcmp(buf, "LPKSHHRH", 8) == 0;
}

static bool is_journal_file_name(const char *name) {
        size_t n = strlen(name);
        return (n > 8 && streq(name + n - 8, ".journal")) || (n > 9 && streq(name + n - 9, ".journal~"));
}

static char *chain_name_of(const char *file_name) {
        size_t n = strcspn(file_name, "@");
        const char *dot = strstr(file_name, ".journal");
        if (dot && (size_t) (dot - file_name) < n)
                n = (size_t) (dot - file_name);
        return strndup(file_name, n);
}

void journal_chains_free(JournalChain *c, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(c[i].dir);
                free(c[i].name);
                for (size_t k = 0; k < c[i].n_files; k++)
                        free(c[i].files[k]);
                free(c[i].files);
        }
        free(c);
}

typedef struct Chains {
        JournalChain *v;
        size_t n;
        size_t n_alloc;        /* capacity of v */
} Chains;

static int chain_add_file(Chains *chains, const char *dir, const char *file_name) {
        _cleanup_free_ char *name = chain_name_of(file_name);
        if (!name)
                return -ENOMEM;
        JournalChain *c = NULL;
        for (size_t i = 0; i < chains->n; i++)
                if (streq(chains->v[i].dir, dir) && streq(chains->v[i].name, name))
                        c = &chains->v[i];
        if (!c) {
                if (array_reserve(&chains->v, &chains->n_alloc, chains->n + 1, sizeof *chains->v, 4) < 0)
                        return -ENOMEM;
                c = &chains->v[chains->n++];
                *c = (JournalChain){ .dir = strdup(dir), .name = TAKE_PTR(name) };
                if (!c->dir)
                        return -ENOMEM;
        }
        if (array_reserve(&c->files, &c->n_files_alloc, c->n_files + 2, sizeof *c->files, 4) < 0)
                return -ENOMEM;
        if (asprintf(&c->files[c->n_files], "%s/%s", dir, file_name) < 0)
                return -ENOMEM;
        c->files[++c->n_files] = NULL;
        return 0;
}

static int scan_dir(const char *dir, int depth, Chains *chains) {
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char path[PATH_MAX];
                if ((size_t) snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
                        continue;
                struct stat st;
                if (stat(path, &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode) && depth == 0)
                        r = scan_dir(path, 1, chains);
                else if (S_ISREG(st.st_mode) && is_journal_file_name(de->d_name))
                        r = chain_add_file(chains, dir, de->d_name);
        }
        closedir(d);
        return r;
}

static int compare_chains(const void *a, const void *b) {
        const JournalChain *x = a, *y = b;
        int c = strcmp(x->dir, y->dir);
        return c ? c : strcmp(x->name, y->name);
}

int journal_chains_from_dir(const char *dir, JournalChain **ret, size_t *ret_n) {
        char abs[PATH_MAX];
        Chains chains = { 0 };

        if (!realpath(dir, abs))
                return -errno;
        int r = scan_dir(abs, 0, &chains);
        if (r < 0) {
                journal_chains_free(chains.v, chains.n);
                return r;
        }
        if (chains.n > 1)
                qsort(chains.v, chains.n, sizeof *chains.v, compare_chains);
        *ret = chains.v;
        *ret_n = chains.n;
        return 0;
}

int journal_chain_from_file(const char *path, JournalChain **ret, size_t *ret_n) {
        char abs[PATH_MAX];
        Chains chains = { 0 };

        if (!realpath(path, abs))
                return -errno;
        char *slash = strrchr(abs, '/');
        *slash = '\0';
        int r = chain_add_file(&chains, abs[0] ? abs : "/", slash + 1);
        if (r < 0) {
                journal_chains_free(chains.v, chains.n);
                return r;
        }
        *ret = chains.v;
        *ret_n = chains.n;
        return 0;
}

int journal_reader_open(const JournalChain *chain, const char *cursor, usec_t since, JournalReader **ret) {
        JournalReader *jr = calloc(1, sizeof *jr);
        if (!jr)
                return -ENOMEM;
        jr->values = (StrBuf) STRBUF_INIT;
        int r = sd_journal_open_files(&jr->j, (const char **) chain->files, 0);
        if (r < 0) {
                free(jr);
                return r;
        }
        /* Whole field values: a 10 MB message is still one message. */
        sd_journal_set_data_threshold(jr->j, 0);
        uint64_t t;
        jr->head = sd_journal_get_cutoff_realtime_usec(jr->j, &t, NULL) > 0 ? (usec_t) t : USEC_INVALID;
        jr->tail = sd_journal_get_cutoff_realtime_usec(jr->j, NULL, &t) > 0 ? (usec_t) t : USEC_INVALID;

        if (cursor) {
                r = sd_journal_seek_cursor(jr->j, cursor);
                if (r >= 0) {
                        r = sd_journal_next(jr->j);
                        /* Positioned on the cursor's own entry when it still exists: step past it. */
                        if (r > 0 && sd_journal_test_cursor(jr->j, cursor) <= 0)
                                r = sd_journal_previous(jr->j);
                }
        } else if (since != USEC_INVALID)
                r = sd_journal_seek_realtime_usec(jr->j, (uint64_t) since);
        else
                r = sd_journal_seek_head(jr->j);
        if (r < 0) {
                journal_reader_free(jr);
                return r;
        }
        *ret = jr;
        return 0;
}

JournalReader *journal_reader_free(JournalReader *jr) {
        if (!jr)
                return NULL;
        sd_journal_close(jr->j);
        free(jr->cursor);
        strbuf_release(&jr->values);
        free(jr);
        return NULL;
}

typedef struct FieldRef {
        size_t off, len;       /* where the value was copied in JournalReader.values; len 0 = absent */
} FieldRef;

static Slice field_slice(const JournalReader *jr, FieldRef f) {
        return f.len ? (Slice){ jr->values.buf + f.off, f.len } : SLICE_NULL;
}

typedef struct FieldName {
        const char *name;
        size_t len;
} FieldName;
#define FIELD(s) { s, sizeof s - 1 }

/* The fields cascade keeps, in the order of JournalFields' assignment below. */
static const FieldName wanted_fields[] = { FIELD("_HOSTNAME"), FIELD("SYSLOG_IDENTIFIER"), FIELD("_COMM"),
                                           FIELD("SYSLOG_PID"), FIELD("_PID"), FIELD("PRIORITY"),
                                           FIELD("_SYSTEMD_UNIT"), FIELD("MESSAGE") };

/* One pass over the entry's fields: sd_journal_get_data() would walk them once per field asked.
 * Each value is copied, since the next enumeration call invalidates it. */
static int collect_fields(JournalReader *jr, FieldRef refs[static ELEMENTSOF(wanted_fields)]) {
        const void *data;
        size_t len;
        int r;
        memset(refs, 0, sizeof(FieldRef) * ELEMENTSOF(wanted_fields));
        strbuf_reset(&jr->values);
        sd_journal_restart_data(jr->j);
        while ((r = sd_journal_enumerate_data(jr->j, &data, &len)) > 0) {
                const char *eq = memchr(data, '=', len);
                if (!eq)
                        continue;
                size_t nl = (size_t) (eq - (const char *) data);
                for (size_t i = 0; i < ELEMENTSOF(wanted_fields); i++) {
                        if (refs[i].len || wanted_fields[i].len != nl || memcmp(data, wanted_fields[i].name, nl) != 0)
                                continue;
                        refs[i] = (FieldRef){ jr->values.len, len - nl - 1 };
                        strbuf_add(&jr->values, eq + 1, refs[i].len);
                        break;
                }
        }
        return r < 0 ? r : strbuf_error(&jr->values);
}

int journal_reader_next(JournalReader *jr, LogRecord *ret) {
        int r = sd_journal_next(jr->j);
        if (r <= 0)
                return r;

        uint64_t realtime, monotonic;
        sd_id128_t boot;
        r = sd_journal_get_realtime_usec(jr->j, &realtime);
        if (r < 0)
                return r;
        r = sd_journal_get_monotonic_usec(jr->j, &monotonic, &boot);
        if (r < 0)
                return r;
        free(jr->cursor);
        jr->cursor = NULL;
        r = sd_journal_get_cursor(jr->j, &jr->cursor);
        if (r < 0)
                return r;
        /* Per entry, printf's formatting showed in profiles: a boot id changes once per boot. */
        if (!jr->boot_id[0] || !sd_id128_equal(boot, jr->boot)) {
                jr->boot = boot;
                sd_id128_to_string(boot, jr->boot_id);
        }

        FieldRef refs[ELEMENTSOF(wanted_fields)];
        r = collect_fields(jr, refs);
        if (r < 0)
                return r;
        JournalFields f = {
                .cursor = SLICE_STR(jr->cursor),
                .boot_id = SLICE_STR(jr->boot_id),
                .hostname = field_slice(jr, refs[0]),
                .ident = field_slice(jr, refs[1]),
                .comm = field_slice(jr, refs[2]),
                .syslog_pid = field_slice(jr, refs[3]),
                .pid = field_slice(jr, refs[4]),
                .priority = field_slice(jr, refs[5]),
                .unit = field_slice(jr, refs[6]),
                .message = field_slice(jr, refs[7]),
        };
        const char *reason;
        return journal_fields_to_record_at(&f, realtime, monotonic, ret, &reason);
}

const char *journal_reader_cursor(const JournalReader *jr) {
        return jr->cursor;
}

double journal_reader_progress(const JournalReader *jr, usec_t ts) {
        if (jr->head == USEC_INVALID || jr->tail <= jr->head)
                return 0;
        double p = (double) (ts - jr->head) / (double) (jr->tail - jr->head);
        return p < 0 ? 0 : p > 1 ? 1 : p;
}
