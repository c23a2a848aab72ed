// Faults in renames, for the tests of a commit's roll-back (tests/core/tst_commitrollback.cpp).
// Loaded with LD_PRELOAD into the tfjs-model binary; it counts the renames (rename() and
// renameat2()) whose new name is a file directly in one folder, and:
//   TFJS_FAULT_DIR=/abs/folder   the folder (absolute, as our code names it)
//   TFJS_FAULT_FAIL=N            the N-th counted rename fails with EIO and does nothing
//   TFJS_FAULT_KILL_BEFORE=K     the process is killed (SIGKILL) as the K-th begins
//   TFJS_FAULT_KILL_AFTER=K      the process is killed right after the K-th (done or failed)
#include <dlfcn.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace {

int counted = 0;

int number(const char *name)
{
    const char *value = getenv(name);
    return value ? atoi(value) : 0;
}

int inFolder(const char *path)
{
    const char *folder = getenv("TFJS_FAULT_DIR");
    const size_t length = folder ? strlen(folder) : 0;
    return length > 0 && strncmp(path, folder, length) == 0 && path[length] == '/'
           && strchr(path + length + 1, '/') == nullptr;
}

// Counts a rename to `to`: 0 when not counted, else its number (after a kill before it).
int begin(const char *to)
{
    if (!inFolder(to))
        return 0;
    const int n = ++counted;
    if (n == number("TFJS_FAULT_KILL_BEFORE"))
        raise(SIGKILL);
    return n;
}

int end(int n, int result)
{
    if (n != 0 && n == number("TFJS_FAULT_KILL_AFTER"))
        raise(SIGKILL);
    return result;
}

} // namespace

extern "C" int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = reinterpret_cast<int (*)(const char *, const char *)>(dlsym(RTLD_NEXT, "rename"));
    const int n = begin(to);
    if (n != 0 && n == number("TFJS_FAULT_FAIL")) {
        errno = EIO;
        return end(n, -1);
    }
    return end(n, real(from, to));
}

extern "C" int renameat2(int fromDir, const char *from, int toDir, const char *to, unsigned int flags)
{
    static int (*real)(int, const char *, int, const char *, unsigned int);
    if (!real)
        real = reinterpret_cast<int (*)(int, const char *, int, const char *, unsigned int)>(
                dlsym(RTLD_NEXT, "renameat2"));
    const int n = begin(to);
    if (n != 0 && n == number("TFJS_FAULT_FAIL")) {
        errno = EIO;
        return end(n, -1);
    }
    return end(n, real(fromDir, from, toDir, to, flags));
}
