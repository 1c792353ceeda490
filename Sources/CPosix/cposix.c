#define _GNU_SOURCE
#include <pthread.h>
#include <unistd.h>
#include "cposix.h"

int pilot_syncfs(int fd) {
    return syncfs(fd);
}

int pilot_name_thread(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int pilot_thread_name(char *buffer, unsigned long size) {
    return pthread_getname_np(pthread_self(), buffer, size);
}
