/* test-report-template.c: the report template language (report-template.h): values, sections over
 * lists and values, inverted sections, lookup outwards, standalone tag lines, malformed templates
 * and their line numbers, and phrase tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "report-template.h"

/* Render tmpl with root and compare with want. */
static void render_is(const char *tmpl, const TData *root, const char *want) {
        StrBuf out = STRBUF_INIT;
        TemplateError err = { 0 };
        assert_int_equal(template_render(tmpl, root, &out, &err), 0);
        assert_string_equal(out.buf, want);
        strbuf_release(&out);
}

/* Render a malformed tmpl: -EINVAL, and the error's line. */
static void render_fails_at(const char *tmpl, unsigned line, const char *message_part) {
        _cleanup_(tdata_freep) TData *root = tdata_new();
        StrBuf out = STRBUF_INIT;
        TemplateError err = { 0 };
        assert_int_equal(template_render(tmpl, root, &out, &err), -EINVAL);
        assert_int_equal(err.line, line);
        assert_non_null(strstr(err.message, message_part));
        strbuf_release(&out);
}

static TData *one(const char *key, const char *value) {
        TData *d = tdata_new();
        assert_non_null(d);
        tdata_set(d, key, value);
        return d;
}

static void value_inserted(void **state) {
        _cleanup_(tdata_freep) TData *d = one("name", "pve1");
        render_is("node {{name}} left", d, "node pve1 left");
        render_is("{{name}}{{name}}", d, "pve1pve1");
        render_is("no tags at all\n", d, "no tags at all\n");
        render_is("", d, "");
}

static void value_set_twice_keeps_last(void **state) {
        _cleanup_(tdata_freep) TData *d = tdata_new();
        tdata_set(d, "n", "1");
        tdata_setf(d, "n", "%d-%s", 42, "x");
        render_is("{{n}}", d, "42-x");
}

static void missing_name_renders_nothing(void **state) {
        _cleanup_(tdata_freep) TData *d = one("name", "pve1");
        render_is("a{{nope}}b", d, "ab");
        /* Names match whole: a prefix or an extension of a key is another name. */
        render_is("[{{nam}}][{{names}}]", d, "[][]");
}

static void values_verbatim_not_escaped(void **state) {
        _cleanup_(tdata_freep) TData *d = one("v", "<b>*x*</b> & | `y` {{z}}");
        tdata_set(d, "z", "Z");
        /* Inserted as given, and not rendered again as a template. */
        render_is("[{{v}}]", d, "[<b>*x*</b> & | `y` {{z}}]");
}

static void null_value_is_empty(void **state) {
        _cleanup_(tdata_freep) TData *d = tdata_new();
        tdata_set(d, "v", NULL);
        render_is("[{{v}}]{{#v}}shown{{/v}}{{^v}}empty{{/v}}", d, "[]empty");
}

static void section_repeats_for_each_item(void **state) {
        _cleanup_(tdata_freep) TData *d = tdata_new();
        TData *list = tdata_list(d, "nodes");
        assert_non_null(list);
        const char *names[] = { "pve1", "pve2", "pve3" };
        for (size_t i = 0; i < 3; i++) {
                TData *it = tdata_append(list);
                assert_non_null(it);
                tdata_set(it, "name", names[i]);
        }
        assert_int_equal(tdata_list_len(list), 3);
        render_is("{{#nodes}}<{{name}}>{{/nodes}}", d, "<pve1><pve2><pve3>");
        /* tdata_list on an existing key hands back the same list. */
        assert_ptr_equal(tdata_list(d, "nodes"), list);
}

static void section_over_empty_list_renders_nothing(void **state) {
        _cleanup_(tdata_freep) TData *d = tdata_new();
        assert_non_null(tdata_list(d, "rows"));
        render_is("a{{#rows}}row{{/rows}}b", d, "ab");
        render_is("{{^rows}}none{{/rows}}", d, "none");
        assert_int_equal(tdata_list_len(NULL), 0);
}

static void section_over_value_renders_once(void **state) {
        _cleanup_(tdata_freep) TData *d = one("initiator", "root");
        tdata_set(d, "empty", "");
        render_is("reboot{{#initiator}} by {{initiator}}{{/initiator}}", d, "reboot by root");
        render_is("reboot{{#empty}} by {{empty}}{{/empty}}", d, "reboot");
        render_is("reboot{{#missing}} by x{{/missing}}", d, "reboot");
}

static void inverted_section(void **state) {
        _cleanup_(tdata_freep) TData *d = one("peer", "pve2");
        tdata_set(d, "empty", "");
        render_is("{{^peer}}a peer{{/peer}}", d, "");
        render_is("{{^empty}}nothing{{/empty}}", d, "nothing");
        render_is("{{^missing}}nothing{{/missing}}", d, "nothing");
        TData *list = tdata_list(d, "rows");
        assert_non_null(tdata_append(list));
        render_is("{{^rows}}none{{/rows}}", d, "");
}

/* Wording that agrees with a number: a section over "name=text" tests the value. */
static void value_test_sections(void **state) {
        _cleanup_(tdata_freep) TData *d = one("count", "1");
        const char *tmpl = "{{count}} notification{{^count=1}}s{{/count=1}}{{#count=1}}, once{{/count=1}}";
        render_is(tmpl, d, "1 notification, once");
        tdata_set(d, "count", "11");
        render_is(tmpl, d, "11 notifications");
        tdata_set(d, "count", "");
        render_is(tmpl, d, " notifications");
        render_is("{{^missing=1}}s{{/missing=1}}{{#missing=}}empty{{/missing=}}", d, "s");
        render_is("{{#count=}}empty{{/count=}}", d, "empty");
        render_fails_at("{{#count=1}}s", 1, "count=1");
}

static void lookup_goes_outwards(void **state) {
        _cleanup_(tdata_freep) TData *d = one("tz", "UTC");
        tdata_set(d, "name", "outer");
        TData *incidents = tdata_list(d, "incidents");
        TData *inc = tdata_append(incidents);
        tdata_set(inc, "id", "7");
        TData *rows = tdata_list(inc, "rows");
        TData *row = tdata_append(rows);
        tdata_set(row, "name", "inner");
        row = tdata_append(rows);
        tdata_set(row, "other", "x");
        /* tz from the root, id from the incident, name from the row when it has one. */
        render_is("{{#incidents}}{{#rows}}{{tz}}/{{id}}/{{name}};{{/rows}}{{/incidents}}", d,
                  "UTC/7/inner;UTC/7/outer;");
}

static void nested_same_name_sections(void **state) {
        _cleanup_(tdata_freep) TData *d = one("a", "x");
        render_is("{{#a}}1{{#a}}2{{/a}}3{{/a}}4", d, "1234");
        tdata_set(d, "a", "");
        render_is("{{#a}}1{{#a}}2{{/a}}3{{/a}}4", d, "4");
}

static void standalone_tag_lines_leave_no_trace(void **state) {
        _cleanup_(tdata_freep) TData *d = tdata_new();
        TData *rows = tdata_list(d, "rows");
        tdata_set(tdata_append(rows), "v", "1");
        tdata_set(tdata_append(rows), "v", "2");
        render_is("| h |\n{{#rows}}\n| {{v}} |\n{{/rows}}\nend\n", d, "| h |\n| 1 |\n| 2 |\nend\n");
        /* Indented tags alone on their line too. */
        render_is("x\n  {{#rows}}\n- {{v}}\n  {{/rows}}\ny", d, "x\n- 1\n- 2\ny");
        /* A tag among text keeps the line. */
        render_is("a {{#rows}}{{v}}{{/rows}}\nb", d, "a 12\nb");
}

static void unclosed_section_fails(void **state) {
        render_fails_at("{{#rows}}x", 1, "rows");
        render_fails_at("a\nb\nc {{#rows}}x\n{{/other}}", 3, "rows");
        render_fails_at("{{^rows}}x{{/row}}", 1, "rows");
}

static void stray_close_fails(void **state) {
        render_fails_at("x {{/rows}}", 1, "rows");
        render_fails_at("one\ntwo {{/rows}}\n", 2, "rows");
}

static void unclosed_tag_fails(void **state) {
        render_fails_at("a\nb {{name", 2, "unclosed");
}

/* Standalone tag lines lose their line break before rendering, but an error's line is the
 * template's own, whatever stands above it. */
static void error_line_after_standalone_lines(void **state) {
        render_fails_at("top\n{{#a}}\nx\n{{/a}}\n{{/b}}\n", 5, "b");
        /* Indented standalone lines, several in a row, and an error on a standalone line itself. */
        render_fails_at("  {{#a}}\n\t{{^b}}\n{{/b}}\n  {{/a}}\n\n{{#c}}\n", 6, "'c' is not closed");
        render_fails_at("{{#a}}\n{{/a}}\n{{#a}}\n{{/a}}\nx {{name\n", 5, "unclosed");
        /* A tag that is not alone on its line keeps the line's break. */
        render_fails_at("x {{#a}}\n{{/a}} y\n{{/b}}", 3, "b");
}

static const char table[] =
        "# comment before the first entry\n"
        "[first]\n"
        "the first {{x}}\n"
        "[middle]\n"
        "line one\n"
        "line two\n"
        "\n"
        "[middle.longer]\n"
        "not the middle\n"
        "[last]\n"
        "the last";

static void phrase_first_and_last(void **state) {
        StrBuf scratch = STRBUF_INIT;
        const char *p = phrase_lookup(table, "first", &scratch);
        assert_non_null(p);
        assert_string_equal(p, "the first {{x}}");
        p = phrase_lookup(table, "last", &scratch);
        assert_non_null(p);
        assert_string_equal(p, "the last");
        strbuf_release(&scratch);
}

static void phrase_multiline_trailing_newlines_dropped(void **state) {
        StrBuf scratch = STRBUF_INIT;
        const char *p = phrase_lookup(table, "middle", &scratch);
        assert_non_null(p);
        assert_string_equal(p, "line one\nline two");
        p = phrase_lookup(table, "middle.longer", &scratch);
        assert_non_null(p);
        assert_string_equal(p, "not the middle");
        strbuf_release(&scratch);
}

static void phrase_missing_key(void **state) {
        StrBuf scratch = STRBUF_INIT;
        assert_null(phrase_lookup(table, "missing", &scratch));
        assert_null(phrase_lookup(table, "mid", &scratch));       /* a prefix of a key */
        assert_null(phrase_lookup(table, "the first {{x}}", &scratch));
        assert_null(phrase_lookup("", "first", &scratch));
        strbuf_release(&scratch);
}

static void phrase_renders_as_template(void **state) {
        StrBuf scratch = STRBUF_INIT;
        _cleanup_(tdata_freep) TData *d = one("x", "entry");
        render_is(phrase_lookup(table, "first", &scratch), d, "the first entry");
        strbuf_release(&scratch);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(value_inserted),
                cmocka_unit_test(value_set_twice_keeps_last),
                cmocka_unit_test(missing_name_renders_nothing),
                cmocka_unit_test(values_verbatim_not_escaped),
                cmocka_unit_test(null_value_is_empty),
                cmocka_unit_test(section_repeats_for_each_item),
                cmocka_unit_test(section_over_empty_list_renders_nothing),
                cmocka_unit_test(section_over_value_renders_once),
                cmocka_unit_test(inverted_section),
                cmocka_unit_test(value_test_sections),
                cmocka_unit_test(lookup_goes_outwards),
                cmocka_unit_test(nested_same_name_sections),
                cmocka_unit_test(standalone_tag_lines_leave_no_trace),
                cmocka_unit_test(unclosed_section_fails),
                cmocka_unit_test(stray_close_fails),
                cmocka_unit_test(unclosed_tag_fails),
                cmocka_unit_test(error_line_after_standalone_lines),
                cmocka_unit_test(phrase_first_and_last),
                cmocka_unit_test(phrase_multiline_trailing_newlines_dropped),
                cmocka_unit_test(phrase_missing_key),
                cmocka_unit_test(phrase_renders_as_template),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
