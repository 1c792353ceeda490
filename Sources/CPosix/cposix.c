#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
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

int pilot_stat_no_automount(int fd, const char *name, struct stat *info) {
    return fstatat(fd, name, info, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT);
}
