#ifndef CSystem_H
#define CSystem_H

#include <sys/types.h>

/// Has glibc's allocator keep at most `count` arenas for all threads (mallopt M_ARENA_MAX).
/// Returns 1 when the setting was taken, 0 where there is no such setting (not glibc).
int csystem_limit_malloc_arenas(int count);

/// Gives back the disk space and page cache of `length` bytes at `offset` in the open file
/// `descriptor`, leaving a hole and the file's size unchanged (fallocate with
/// FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE). Returns 0 on success, -1 with errno set when the
/// file system or the system cannot (ENOTSUP where there is no such call).
int csystem_punch_hole(int descriptor, off_t offset, off_t length);

#endif
