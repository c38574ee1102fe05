#ifndef CSPAWN_H
#define CSPAWN_H
#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): the child closes every descriptor from `from` on, without
/// the parent listing /proc/self/fd (where Foundation's Process over-reads and crashes under many open descriptors).
int cspawn_add_close_from(posix_spawn_file_actions_t *actions, int from);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29): the child starts in `path`.
int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends no other child inherits.
int cspawn_pipe_cloexec(int fds[2]);

#endif
