#define _GNU_SOURCE
#include <unistd.h>
#include "cposix.h"

int pilot_syncfs(int fd) {
    return syncfs(fd);
}
