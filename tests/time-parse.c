/* time-parse.c: TIME [ZONE] -> the µs since the epoch time_parse_user() reads it as, now being the
 * clock's; for cli-time-systemd.sh, which holds the result against systemd-analyze timestamp.
 * Prints "error: <errno name>" and exits 1 when the input is refused. */
#include "time-util.h"

int main(int argc, char *argv[]) {
        usec_t t;
        if (argc < 2 || argc > 3) {
                fprintf(stderr, "usage: %s TIME [ZONE]\n", argv[0]);
                return 2;
        }
        if (time_set_zone(argc == 3 ? argv[2] : NULL) < 0) {
                fprintf(stderr, "unknown zone '%s'\n", argv[2]);
                return 2;
        }
        int r = time_parse_user(argv[1], now_usec(), &t);
        if (r < 0) {
                printf("error: %s\n", r == -ERANGE ? "ERANGE" : r == -EINVAL ? "EINVAL" : "other");
                return 1;
        }
        printf("%" PRId64 "\n", t);
        return 0;
}
