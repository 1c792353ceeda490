#ifndef CPOSIX_H
#define CPOSIX_H

/// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module
/// does not set.

/// syncfs(2): flushes the whole file system that holds `fd`.
int pilot_syncfs(int fd);

#endif
