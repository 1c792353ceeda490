#ifndef CPOSIX_H
#define CPOSIX_H

/// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module
/// does not set.

/// syncfs(2): flushes the whole file system that holds `fd`.
int pilot_syncfs(int fd);

/// pthread_setname_np(3) on the calling thread: at most 15 bytes, or it fails (ERANGE).
int pilot_name_thread(const char *name);

/// pthread_getname_np(3) of the calling thread into `buffer` (16 bytes hold any name).
int pilot_thread_name(char *buffer, unsigned long size);

struct stat;

/// fstatat(2) of `name` in folder `fd`, following no link and waking no automount on a
/// mount point (AT_NO_AUTOMOUNT).
int pilot_stat_no_automount(int fd, const char *name, struct stat *info);

#endif
