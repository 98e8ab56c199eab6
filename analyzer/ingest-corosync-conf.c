/* ingest-corosync-conf.c: a line parser with a section stack; one transaction per file. */
#include "ingest-corosync-conf.h"
#include "strbuf.h"

#define MAX_DEPTH 8

bool corosync_conf_looks_like(const char *buf, size_t n) {
        for (size_t i = 0; i < n;) {
                const char *nl = memchr(buf + i, '\n', n - i);
                size_t len = nl ? (size_t) (nl - buf - i) : n - i;
                Slice line = slice_trim((Slice){ buf + i, len });
                if ((slice_startswith(line, "totem") || slice_startswith(line, "nodelist")) && line.n > 0 &&
                    line.p[line.n - 1] == '{')
                        return true;
                i += len + 1;
        }
        return false;
}

typedef struct ConfNode {
        long nodeid;
        char name[256], ring0[256], ring1[256];
        long votes;
} ConfNode;

static const char sql_clear_nodes[] = "DELETE FROM corosync_node";
static const char sql_clear_settings[] = "DELETE FROM corosync_setting";
static const char sql_node[] = "INSERT OR REPLACE INTO corosync_node (nodeid, name, ring0_addr, ring1_addr, votes, source_id) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_setting[] = "INSERT OR REPLACE INTO corosync_setting (key, value, source_id) VALUES (?1, ?2, ?3)";
/* Nodes in the nodelist are nodes of the cluster even if they never logged a line. */
static const char sql_node_name[] = "INSERT INTO node (name, corosync_id) VALUES (?1, ?2) "
                                    "ON CONFLICT (name) DO UPDATE SET corosync_id = excluded.corosync_id";

static int store_node(Store *store, const ConfNode *n, int64_t source_id) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_node, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, n->nodeid);
        sqlite3_bind_text(st, 2, n->name, -1, SQLITE_TRANSIENT);
        if (n->ring0[0])
                sqlite3_bind_text(st, 3, n->ring0, -1, SQLITE_TRANSIENT);
        if (n->ring1[0])
                sqlite3_bind_text(st, 4, n->ring1, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, n->votes);
        sqlite3_bind_int64(st, 6, source_id);
        r = store_step_done(st);
        if (r < 0)
                return r;
        r = store_stmt(store, sql_node_name, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, n->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, n->nodeid);
        return store_step_done(st);
}

static int store_setting(Store *store, const char *key, Slice value, int64_t source_id) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_setting, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, value.p, (int) value.n, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, source_id);
        return store_step_done(st);
}

static void copy_value(char *dst, size_t size, Slice v) {
        snprintf(dst, size, "%.*s", (int) MIN(v.n, size - 1), v.p);
}

/* Parse and store; the caller owns the transaction. */
static int parse(Store *store, Reader *rd, int64_t source_id, unsigned *ret_line, const char **ret_reason) {
        char path[MAX_DEPTH][64];
        int depth = 0;
        bool in_node = false;
        ConfNode node;
        unsigned line_no = 0;
        int r;

        for (;;) {
                Slice line;
                bool complete, cut;
                r = reader_line(rd, &line, &complete, &cut);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                *ret_line = ++line_no;
                Slice s = slice_trim(line);
                if (s.n == 0 || s.p[0] == '#')
                        continue;
                if (s.p[s.n - 1] == '{') {
                        Slice name = slice_trim((Slice){ s.p, s.n - 1 });
                        if (depth == MAX_DEPTH || name.n == 0 || name.n >= sizeof path[0]) {
                                *ret_reason = depth == MAX_DEPTH ? "sections nested too deep" : "section without a name";
                                return -EBADMSG;
                        }
                        copy_value(path[depth++], sizeof path[0], name);
                        if (depth == 2 && streq(path[0], "nodelist") && streq(path[1], "node")) {
                                in_node = true;
                                node = (ConfNode){ .votes = 1 };
                        }
                        continue;
                }
                if (slice_eq_str(s, "}")) {
                        if (depth == 0) {
                                *ret_reason = "'}' without a section";
                                return -EBADMSG;
                        }
                        if (in_node && depth == 2) {
                                if (node.nodeid <= 0 || !node.name[0]) {
                                        *ret_reason = "node without nodeid or name";
                                        return -EBADMSG;
                                }
                                r = store_node(store, &node, source_id);
                                if (r < 0)
                                        return r;
                                in_node = false;
                        }
                        depth--;
                        continue;
                }
                const char *colon = memchr(s.p, ':', s.n);
                if (!colon) {
                        *ret_reason = "expected 'key: value', 'name {' or '}'";
                        return -EBADMSG;
                }
                Slice key = slice_trim((Slice){ s.p, (size_t) (colon - s.p) });
                Slice value = slice_trim((Slice){ colon + 1, s.n - (size_t) (colon - s.p) - 1 });
                if (in_node) {
                        char v[256];
                        copy_value(v, sizeof v, value);
                        if (slice_eq_str(key, "nodeid"))
                                node.nodeid = strtol(v, NULL, 10);
                        else if (slice_eq_str(key, "name"))
                                copy_value(node.name, sizeof node.name, value);
                        else if (slice_eq_str(key, "ring0_addr"))
                                copy_value(node.ring0, sizeof node.ring0, value);
                        else if (slice_eq_str(key, "ring1_addr"))
                                copy_value(node.ring1, sizeof node.ring1, value);
                        else if (slice_eq_str(key, "quorum_votes"))
                                node.votes = strtol(v, NULL, 10);
                        continue;
                }
                StrBuf full = STRBUF_INIT;
                for (int i = 0; i < depth; i++)
                        strbuf_addf(&full, "%s.", path[i]);
                strbuf_add(&full, key.p, key.n);
                r = strbuf_error(&full);
                if (r >= 0)
                        r = store_setting(store, full.buf, value, source_id);
                strbuf_release(&full);
                if (r < 0)
                        return r;
        }
        if (depth != 0) {
                *ret_reason = "file ends inside a section";
                return -EBADMSG;
        }
        return 0;
}

int corosync_conf_ingest(Store *store, Reader *rd, int64_t source_id, unsigned *ret_line, const char **ret_reason) {
        int r = store_exec(store, sql_clear_nodes);
        if (r >= 0)
                r = store_exec(store, sql_clear_settings);
        if (r >= 0)
                r = parse(store, rd, source_id, ret_line, ret_reason);
        return r;
}
