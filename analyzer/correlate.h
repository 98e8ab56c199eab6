/* correlate.h: the cluster model rebuilt from tagged events, and the incidents found in it.
 * Everything here is derived, recomputed on every analysis from the store; time comes only from
 * the events (never the wall clock), so the same store gives the same analysis. */
#pragma once

#include "correlate-kind.h"
#include "store.h"
#include "tag-patterns.h"
#include "time-util.h"

/* A tagged event of the analysed window (an event with two tags appears twice). */
typedef struct CEvent {
        int64_t id;            /* event row id */
        usec_t ts;             /* by the node's clock */
        usec_t cts;            /* skew-corrected: what the timeline sorts on */
        int node;              /* index into Analysis.nodes */
        int64_t boot;          /* boot row id, 0 when unknown */
        int64_t pid;           /* the logging process, -1 when unknown */
        char *kind;            /* tag kind */
        EventKind ek;          /* the same, EVENT_OTHER when the correlator does not reason with it */
        char *rule;            /* tag rule id */
        Severity severity;
        char *captures;        /* JSON object */
        char *message;         /* verbatim */
        char *source;          /* "path:line", or "path (cursor ...)" for journals */
} CEvent;

typedef enum BootEnd {
        BOOT_END_RUNNING,      /* last boot in the logs, no shutdown trail */
        BOOT_END_CLEAN_REBOOT,
        BOOT_END_CLEAN_POWEROFF,
        BOOT_END_CRASH,        /* ordinary lines, then the next boot: power loss, panic, hard reset */
        BOOT_END_FENCED,       /* watchdog expiry / HA fencing */
        _BOOT_END_MAX,
} BootEnd;

const char *boot_end_to_string(BootEnd e);

typedef struct CBoot {
        int64_t row;           /* boot table id */
        char *boot_id;
        usec_t first, last;    /* corrected times of its first and last event */
        BootEnd end;
        usec_t end_at;         /* corrected: the reboot request, the last line before a crash... */
        int end_event;         /* index of the event that shows how it ended, -1 */
        char *initiator;       /* "root via ssh from 192.168.1.50", NULL when unknown */
        int initiator_event;   /* -1 */
} CBoot;

/* A stretch inside one boot in which a node's logs hold no line at all. */
typedef struct LogGap {
        usec_t from, to;       /* the lines before and after it, by the node's clock */
} LogGap;

typedef struct CNode {
        char *name;            /* "node N" for a peer known only by its corosync id */
        int64_t node_id;       /* node table row, 0 for a peer known only from others' logs */
        bool has_logs;         /* some of its own lines are in the store (else: its peers' word only) */
        int64_t corosync_id;   /* 0 when unknown; 32-bit unsigned in corosync (2.x derives them from IPv4 addresses) */
        double skew;           /* seconds this node's clock is ahead of the reference */
        bool skew_known;
        bool skew_applied;     /* corrected in cts (only when |skew| >= 0.1 s) */
        CBoot *boots;
        size_t n_boots;
        size_t n_boots_alloc;  /* capacity of boots */
        usec_t *corosync_starts; /* corrected times of its corosync.start events, sorted */
        size_t n_corosync_starts;
        size_t n_corosync_starts_alloc;        /* capacity of corosync_starts */
        usec_t *corosync_stops; /* ... of its corosync.stop and corosync.stopping events */
        size_t n_corosync_stops;
        size_t n_corosync_stops_alloc; /* capacity of corosync_stops */
        LogGap *gaps;          /* silences of LOG_GAP or more inside a boot, in the analysed window */
        size_t n_gaps;
} CNode;

typedef struct TimelineEntry {
        usec_t ts;             /* corrected */
        int node;              /* index into nodes, -1 for the cluster */
        const char *kind;      /* node.left, quorum.lost, ... (static) */
        char *summary;         /* plain text, untrusted parts included: escape when printing */
        int event;             /* index into events, -1 */
} TimelineEntry;

/* What took a member away, or started an incident. */
typedef enum CauseKind {
        CAUSE_MANUAL_REBOOT,   /* its own log: a reboot request and shutdown trail */
        CAUSE_PLANNED_SHUTDOWN, /* its own log: a power-off */
        CAUSE_NODE_CRASH,      /* its own log stops, then a new boot: power loss, panic, reset */
        CAUSE_FENCE,           /* its own log: the watchdog expired */
        CAUSE_NETWORK,         /* it went on running while the cluster lost it: cut off */
        CAUSE_CLEAN_LEAVE,     /* its peers saw it leave cleanly; no log of its own says why */
        CAUSE_NODE_LOST,       /* its peers lost it uncleanly; no log of its own says why */
        CAUSE_STALL,           /* corosync on it was not scheduled for longer than the token allows */
        CAUSE_UNKNOWN,
        _CAUSE_MAX,
} CauseKind;

const char *cause_kind_to_string(CauseKind k);
bool cause_is_clean(CauseKind k);

/* Why a line is in a hypothesis's evidence chain. The order is the order of keeping when a chain
 * has more candidates than EVIDENCE_MAX (correlate-evidence.c). */
typedef enum EvidenceRole {
        EVIDENCE_CAUSE,        /* names the cause: the reboot command and its login, the fence, the NIC
                                * or link going down, the stall, a peer's word on why a member went */
        EVIDENCE_TURN,         /* a turning point: a member left or came back, the membership or quorum changed */
        EVIDENCE_SYMPTOM,      /* what followed: token and retransmit lines, alerts failing, pmxcfs errors */
        _EVIDENCE_ROLE_MAX,
} EvidenceRole;

/* How many lines a hypothesis cites at most: a reader follows about ten; the rest are counted. */
#define EVIDENCE_MAX 10

typedef struct Hypothesis {
        CauseKind kind;
        int node;              /* -1 when not about one node */
        usec_t at;
        char *summary;
        double confidence;     /* 0..1 */
        int *evidence;         /* indexes into events, in time order */
        size_t n_evidence;
        size_t n_evidence_alloc;       /* capacity of evidence */
        EvidenceRole *evidence_roles;  /* why each is cited, parallel to evidence */
        size_t n_evidence_roles_alloc; /* capacity of evidence_roles */
        size_t n_evidence_omitted;     /* candidate lines not cited: repeats, and those beyond EVIDENCE_MAX */
        bool subsequent;       /* a later event of the incident (the next reboot), not a rival explanation of its start */
} Hypothesis;

typedef enum Classification {
        CLASS_REBOOT_CASCADE,  /* a reboot while the cluster was degraded or unsettled by the one before */
        CLASS_NODE_REBOOT,     /* one clean reboot or shutdown */
        CLASS_PLANNED_MAINTENANCE, /* clean reboots one at a time, the cluster settled in between */
        CLASS_UNCLEAN_NODE_LOSS, /* a member crashed, was fenced or lost for an unknown cause */
        CLASS_NETWORK_PARTITION, /* a member cut off while it ran */
        CLASS_QUORUM_LOSS,     /* members down together until quorum was gone */
        CLASS_LINK_INSTABILITY, /* links or the token failing with no member lost */
        CLASS_NODE_STALL,      /* corosync on one node stalled (load, I/O, a paused VM) */
        CLASS_UNKNOWN,
        _CLASS_MAX,
} Classification;

const char *classification_to_string(Classification c);

typedef enum IncidentSeverity {
        INCIDENT_CRITICAL,     /* quorum lost or a node fenced */
        INCIDENT_MAJOR,
        INCIDENT_MINOR,        /* planned or self-healing: one reboot, maintenance, link flaps */
        _INCIDENT_SEVERITY_MAX,
} IncidentSeverity;

const char *incident_severity_to_string(IncidentSeverity s);

/* A statement of the postmortem with the lines behind it: a contributing factor, an action item,
 * something that went well. A statement without a line behind it is not made. */
#define FINDING_EVIDENCE_MAX 3
typedef struct Finding {
        char *text;            /* plain text */
        int priority;          /* action items: 1 (first) to 3; 0 for other findings */
        int evidence[FINDING_EVIDENCE_MAX];    /* indexes into events, in time order */
        size_t n_evidence;
} Finding;

/* How anyone could have learnt of the incident: alerts sent and lost, and people at work. */
typedef struct Detection {
        int alerts_sent, alerts_failed;        /* notification lines in the incident and its aftermath */
        int first_sent, first_failed;  /* their first lines, indexes into events, -1 */
        int first_action;      /* the first line of a person acting (a login, a reboot command) from the start on, -1 */
        bool by_hand;          /* the trigger was a person's command: someone was at work when it began */
} Detection;

/* One HA-managed service's outage inside an incident, from its state changes (correlate-ha.c). */
typedef struct ServiceOutage {
        char *sid;             /* "vm:101", "ct:104", a Pacemaker resource */
        const char *how;       /* static: what took it down ("relocate", "migrate", "recovery", ...) */
        usec_t from, to;       /* corrected: stopped, and running again; USEC_INVALID: the stop is not in the
                                * logs (from), or it was not back by their end (to) */
        int from_node, to_node; /* indexes into nodes, -1 when unknown */
        bool live;             /* moved while running (online migration): no downtime expected */
        int first_event, last_event;   /* the lines that show it stop and start again, indexes into events, -1 */
} ServiceOutage;

typedef struct Incident {
        int id;                /* 1-based, in start order */
        usec_t start, end;
        Classification classification;
        IncidentSeverity severity;
        Hypothesis *hypotheses; /* [0] is the root cause */
        size_t n_hypotheses;
        size_t n_hypotheses_alloc;     /* capacity of hypotheses */
        int nodes_expected, min_members;
        double degraded_seconds;
        bool quorum_lost;
        int *quorum_lost_nodes, n_quorum_lost;
        size_t n_quorum_lost_alloc;    /* capacity of quorum_lost_nodes */
        int *fenced_nodes, n_fenced;
        size_t n_fenced_alloc; /* capacity of fenced_nodes */
        TimelineEntry *timeline; /* the cluster-level events inside [start, end] (copies) */
        size_t n_timeline;
        size_t n_timeline_alloc;       /* capacity of timeline */
        char *severity_reason; /* why the severity is what it is, plain text (correlate-postmortem.c) */
        int trigger;           /* the line that started it, index into events, -1 when the logs do not show one */
        char *trigger_text;    /* what that line means, plain text; NULL with trigger -1 */
        Detection detection;
        Finding *factors;      /* contributing factors */
        size_t n_factors;
        size_t n_factors_alloc;        /* capacity of factors */
        Finding *advice;       /* recommendations (action items, by priority) from the classification and the rules that fired */
        size_t n_advice;
        size_t n_advice_alloc; /* capacity of advice */
        Finding *went_well;    /* what held: quorum, no fence, clean shutdowns, everyone back */
        size_t n_went_well;
        size_t n_went_well_alloc;      /* capacity of went_well */
        int n_notify_failed;
        char **ha_services;    /* HA services migrated, recovered or fenced */
        size_t n_ha_services;
        size_t n_ha_services_alloc;    /* capacity of ha_services */
        ServiceOutage *outages; /* per HA service, in order of stopping */
        size_t n_outages;
        size_t n_outages_alloc;        /* capacity of outages */
        char **questions;      /* what the logs here cannot settle, and which log would, plain text */
        size_t n_questions;
        size_t n_questions_alloc;      /* capacity of questions */
} Incident;

/* A member going away in an incident, and the evidence for why (correlate-departure.c). */
typedef struct Departure {
        int node;              /* index into nodes */
        int left;              /* timeline index of its node.left, -1: only its own log shows it going */
        int joined;            /* timeline index of its node.joined after it, -1 */
        const CBoot *boot;     /* its own boot whose end explains it, NULL */
        CauseKind kind;
        usec_t gone;           /* when the cluster lost it (node.left, else its boot's end) */
        usec_t at;             /* when its cause happened (a reboot request precedes the leave) */
        usec_t back;           /* when it was a member again, INT64_MAX: not in the logs */
        int clean_word;        /* a peer's word that it left cleanly, index into events, -1 */
        int unclean_word;      /* a peer's word that it was lost (leave missed, no active links), -1 */
        int fence;             /* a peer fencing it (HA CRM, Pacemaker), -1 */
        int observers;         /* other nodes whose logs show it going */
        bool isolated;         /* read from its own side's view: many peers went at once, quorum with them */
        int peers_lost;        /* with isolated: how many */
        bool own_log;          /* its kind rests on its own log, not on its peers' word */
        int nic;               /* its own NIC or bond failing just before it was lost, index into events, -1 */
} Departure;


/* How far a node's own logs cover a stretch of time. */
typedef enum Coverage {
        COVERAGE_FULL,         /* its lines start before and end after the stretch */
        COVERAGE_PARTIAL,      /* they begin or end inside it */
        COVERAGE_NONE,         /* it has logs here, none of them in the stretch */
        COVERAGE_ABSENT,       /* no line of its own at all: known from its peers' logs only */
        _COVERAGE_MAX,
} Coverage;

const char *coverage_to_string(Coverage c);

/* The cluster's membership (corosync ids) from a point in time on. */
typedef struct MemberPoint {
        usec_t ts;             /* corrected */
        int count;
        int64_t ids[64];       /* sorted corosync ids, the first `count` (at most 64) */
        int event;             /* the line of the view it comes from, index into events; -1 when inferred */
} MemberPoint;

/* An ingest source, for the report: its path, and the entries that gave another node's host
 * name (012-host-claim.sql). */
typedef struct AnalysisSource {
        char *path;
        int64_t claims;        /* entries stored under the source's node that named another */
        char *claimed;         /* the host names they gave, comma-separated; NULL when none */
} AnalysisSource;

typedef struct Analysis {
        usec_t since, until;   /* the window asked for (USEC_INVALID: open) */
        usec_t first, last;    /* events actually present */
        CNode *nodes;
        size_t n_nodes;
        size_t n_nodes_alloc;  /* capacity of nodes */
        int reference_node;    /* clock reference, -1 */
        int nodes_expected;    /* from corosync.conf, else the largest membership seen */
        CEvent *events;        /* tagged events, sorted by cts */
        size_t n_events;
        TimelineEntry *timeline; /* cluster-level events of the whole window, sorted */
        size_t n_timeline;
        size_t n_timeline_alloc;       /* capacity of timeline */
        MemberPoint *membership; /* the cluster view over time, sorted */
        size_t n_membership;
        size_t n_membership_alloc;     /* capacity of membership */
        Incident *incidents;
        size_t n_incidents;
        size_t n_incidents_alloc;      /* capacity of incidents */
        AnalysisSource *sources; /* ingest sources, for the report */
        size_t n_sources;
        size_t n_sources_alloc;        /* capacity of sources */
        int64_t n_events_total; /* events stored in the window, tagged or not */
        char **libraries;      /* content hashes of the pattern libraries whose tags were read (one, but
                                * while a retag is under way), in the order first met */
        size_t n_libraries;
        size_t n_libraries_alloc;      /* capacity of libraries */
        int64_t (*conf_votes)[2]; /* corosync.conf's nodelist: {nodeid, quorum_votes} per node */
        size_t n_conf_votes;
        size_t n_conf_votes_alloc;     /* capacity of conf_votes */
        int expected_votes;    /* corosync.conf's quorum.expected_votes, else the sum of conf_votes; 0 without a conf */
        bool conf_qdevice;     /* corosync.conf has a quorum device: its vote is not in any log line */
        char **cluster_addrs;  /* the nodes' addresses: corosync.conf's ring0/ring1_addr, and those corosync's
                                * member lines and pmxcfs's start lines give (correlate-nodes.c) */
        size_t n_cluster_addrs;
        size_t n_cluster_addrs_alloc;  /* capacity of cluster_addrs */
} Analysis;

int correlate_analyze(Store *store, const PatternSet *patterns, usec_t since, usec_t until, Analysis **ret);
/* Only the first steps: events of the window, node identities and clock offsets (for timeline). */
int correlate_nodes_and_clocks(Store *store, usec_t since, usec_t until, Analysis **ret);
Analysis *analysis_free(Analysis *a);
DEFINE_TRIVIAL_CLEANUP_FUNC(Analysis *, analysis_free);

/* --- internal steps, one file each, exposed for unit tests --- */
int correlate_load(Store *store, usec_t since, usec_t until, bool gaps, Analysis *a); /* correlate-load.c */
int correlate_identify_nodes(Analysis *a);                                         /* correlate-nodes.c */
void correlate_clock(Analysis *a);                                                 /* correlate-clock.c */
int correlate_boots(Analysis *a);                                                  /* correlate-boots.c */
int correlate_membership(Analysis *a);                                             /* correlate-membership.c */
int correlate_incidents(Analysis *a, const PatternSet *patterns);                  /* correlate-incident.c */
int correlate_departures(const Analysis *a, usec_t start, usec_t end, Departure **ret, size_t *ret_n); /* correlate-departure.c */
/* The ranked hypotheses of inc, [0] the root cause (correlate-cause.c). */
int correlate_hypotheses(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep, bool overlap);
/* inc->outages: per HA service touched by a state change in [inc->start, to], its outages from the
 * lines that show it stop and run again (correlate-ha.c). 0 or -ENOMEM. */
int correlate_outages(const Analysis *a, Incident *inc, usec_t to);
/* The postmortem's judgements of a built incident: severity and why, trigger, detection, what went
 * well, and its recommendations as action items with priority and evidence (correlate-postmortem.c). */
int correlate_postmortem(const Analysis *a, const PatternSet *patterns, Incident *inc, const Departure *d, size_t n_dep, usec_t to);
struct TData;
/* Add a finding rendered from phrase key with vars (vars freed, NULL: out of memory), backed by up
 * to FINDING_EVIDENCE_MAX of the n_evidence events given (-1 entries skipped). A text already there
 * only gains the evidence. */
int finding_add(Finding **v, size_t *n, size_t *alloc, const char *key, struct TData *vars, const int *evidence, size_t n_evidence,
                int priority);
void findings_free(Finding *v, size_t n);
/* The first link or token trouble in [from, to] that is not the detection of a departure; -1. */
int analysis_network_precursor(const Analysis *a, usec_t from, usec_t to, const Departure *d, size_t n_dep);
/* A candidate line for h's evidence chain (event < 0: none, ignored); duplicates are resolved by
 * hypothesis_select_evidence() (correlate-evidence.c). */
int hypothesis_add_evidence(Hypothesis *h, int event, EvidenceRole role);
/* Reduce h's candidates to the decisive lines, in time order, and count the rest in
 * n_evidence_omitted; 0 or -ENOMEM. */
int hypothesis_select_evidence(const Analysis *a, Hypothesis *h);
/* The node whose corosync logged a stall inside the incident, or -1. */
int analysis_stalled_node(const Analysis *a, const Incident *inc);
/* The phrase values of a departure (node, times, initiator, fence...); the caller frees them. */
struct TData *departure_vars(const Analysis *a, const Departure *d);

/* Helpers shared by the steps. */
/* Index each node's corosync start and stop times (after the clock step). */
int analysis_index_corosync(Analysis *a);
/* The first corosync stop of node in (from, limit), else limit. */
usec_t analysis_corosync_stop_after(const Analysis *a, int node, usec_t from, usec_t limit);
bool cevent_capture(const CEvent *e, const char *name, char *buf, size_t size);
/* Append a copy of s to the string list v unless it holds s already; -ENOMEM (s NULL counts as that). */
int strv_add_unique(char ***v, size_t *n, size_t *alloc, const char *s);
/* The first event in [from, to] of node (-1: of any node) whose kind is one of kinds: its index,
 * or -1. Events are sorted by corrected time, so the search starts where `from` lies. */
int analysis_find_event(const Analysis *a, int node, usec_t from, usec_t to, const EventKind *kinds, size_t n_kinds);
bool cevent_is(const CEvent *e, EventKind kind);
struct TData;
/* Add a timeline entry whose summary is the phrase of `kind` (reports/phrases.txt) filled from vars
 * (plain text values; vars is freed). */
int analysis_add_timeline(Analysis *a, usec_t ts, int node, const char *kind, int event, struct TData *vars);
/* The same with a phrase of its own (one kind, several wordings). */
int analysis_add_timeline_phrase(Analysis *a, usec_t ts, int node, const char *kind, const char *phrase_key, int event,
                                 struct TData *vars);
/* Render phrase `key` with vars into a malloc'ed string (vars is not freed). A missing phrase gives
 * the key itself; NULL on OOM, also when vars lost a value while it was built (tdata_error()). */
char *phrase_render(const char *key, const struct TData *vars);
/* "08:10:48" style local clock time of t, for phrases. */
const char *clock_text(usec_t t, char buf[static RFC3339_MAX]);
/* "1m31s" */
const char *duration_text(usec_t d, char buf[static 32]);
/* Corosync ids in a list as logs print them ("1 3", "1/1112, 3/1325": pids after a slash are
 * skipped), sorted; returns how many (at most max). */
int analysis_parse_ids(const char *list, int64_t *ids, int max);
bool ids_contain(const int64_t *ids, int n, int64_t id);
void ids_sort(int64_t *ids, int n);
/* The quorum votes of a membership view by corosync.conf (a node it does not list has 1), or -1
 * when no corosync.conf was ingested or a QDevice adds a vote no line shows. */
int analysis_view_votes(const Analysis *a, const MemberPoint *m);
/* The node whose corosync id is id, or -1. */
int analysis_node_by_corosync_id(const Analysis *a, int64_t id);
int analysis_node_by_name(const Analysis *a, const char *name);
/* A node that only its peers' logs speak of (has_logs false): its index, or -ENOMEM. name may be
 * NULL ("node ID"), id may be 0 (known by name only). */
int analysis_add_peer(Analysis *a, const char *name, int64_t id);
/* Down for the cluster at t: between the end of one of its boots and shortly after the next began. */
bool analysis_node_down_at(const Analysis *a, int node, usec_t t);
/* How node's own logs cover [from, to]; its first and last line overall (USEC_INVALID: none).
 * A silence inside a boot that overlaps the stretch makes full coverage partial. */
Coverage analysis_coverage(const Analysis *a, int node, usec_t from, usec_t to, usec_t *ret_first, usec_t *ret_last);
/* The node's first silence overlapping [from, to], or NULL. */
const LogGap *analysis_gap_in(const Analysis *a, int node, usec_t from, usec_t to);
/* Corosync on node logged a process pause or a missed schedule in [from, to]. */
bool analysis_stalled(const Analysis *a, int node, usec_t from, usec_t to);
/* The cluster's membership at t is known and does not hold id: knet losing it is a consequence. */
bool analysis_id_absent_at(const Analysis *a, int64_t id, usec_t t);
/* Within a minute after the node's corosync started (knet calls every peer unreachable then). */
bool analysis_corosync_starting(const Analysis *a, int node, usec_t t);
/* Between the node's own reboot/power-off request and the end of that boot. */
bool analysis_in_own_shutdown(const Analysis *a, const CEvent *e);
/* The event is the expected side effect of a node's own shutdown or start, or of a peer being down. */
bool analysis_event_explained(const Analysis *a, const CEvent *e);
