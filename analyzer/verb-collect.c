/* verb-collect.c: `cascade collect` (being written). */
#include "cli.h"
#include "log.h"

int verb_collect(int argc, char *argv[]) {
        log_error("'collect' is not available yet");
        return EXIT_FAILED;
}
