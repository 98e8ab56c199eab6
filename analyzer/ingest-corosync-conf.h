/* ingest-corosync-conf.h: corosync.conf (/etc/pve/corosync.conf, /etc/corosync/corosync.conf):
 * nested "name {" sections of "key: value" lines. The nodelist tells who is expected in the
 * cluster and which corosync id each node name has; totem and quorum settings explain timeouts. */
#pragma once

#include "ingest-stream.h"
#include "store.h"

/* True when the text looks like a corosync.conf (a totem or nodelist section). */
bool corosync_conf_looks_like(const char *buf, size_t n);

/* Replace the stored configuration with this file's. -EBADMSG with *ret_line and *ret_reason on a
 * malformed file (nothing is stored then). */
int corosync_conf_ingest(Store *store, Reader *rd, int64_t source_id, unsigned *ret_line, const char **ret_reason);
