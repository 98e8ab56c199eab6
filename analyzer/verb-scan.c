/* verb-scan.c: `cascade scan` (being written). */
#include "cli.h"
#include "log.h"

int verb_scan(int argc, char *argv[]) {
        log_error("'scan' is not available yet");
        return EXIT_FAILED;
}
