/* Preloaded into pilot-worker under valgrind by Tests/memory/run.sh.
 *
 * An async Swift `main` parks the main thread in libdispatch's _dispatch_sigsuspend(),
 * which calls sigsuspend() with a `static const sigset_t` in read-only memory.
 * Valgrind 3.19 edits the mask it is given in place (to keep its own signals
 * deliverable) and dies of SIGSEGV on that write ("the 'impossible' happened"),
 * before the program has done anything. Handing the kernel a writable copy of the
 * same mask changes nothing for the program and lets valgrind run it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    if (!real) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    sigset_t copy = *mask;
    return real(&copy);
}
