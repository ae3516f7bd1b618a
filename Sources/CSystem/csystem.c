// glibc and Linux calls that Swift's Glibc module does not import: <malloc.h> is not part of
// it, and fallocate is declared only for _GNU_SOURCE.
#define _GNU_SOURCE
#include "csystem.h"

#include <errno.h>
#include <fcntl.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int csystem_limit_malloc_arenas(int count) {
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
  return mallopt(M_ARENA_MAX, count);
#else
  (void)count;
  return 0;
#endif
}

int csystem_punch_hole(int descriptor, off_t offset, off_t length) {
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
  return fallocate(descriptor, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
#else
  (void)descriptor;
  (void)offset;
  (void)length;
  errno = ENOTSUP;
  return -1;
#endif
}
