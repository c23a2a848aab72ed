// A log of the calls that decide what a power cut leaves, for the tests of --durable's order
// (tests/core/tst_durableorder.cpp). Loaded with LD_PRELOAD into the tfjs-model binary, it
// appends one line per call to the file TFJS_SYNC_LOG names, fields tab-separated, paths
// absolute:
//   sync PATH        fsync() or fdatasync() of an open file or folder
//   rename FROM TO   rename(), renameat2()
//   link FROM TO     link(), linkat() (an unnamed file's FROM: what its fd's syncs name)
//   unlink PATH      unlink(), unlinkat()
// and otherwise lets every call through unchanged.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

template <typename Function>
Function next(const char *name)
{
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

// `path` made absolute against `dir` (AT_FDCWD or an open folder).
std::string absolute(int dir, const char *path)
{
    if (path == nullptr)
        return "?";
    if (path[0] == '/')
        return path;
    char base[4096];
    ssize_t n = -1;
    if (dir == AT_FDCWD) {
        if (getcwd(base, sizeof base) != nullptr)
            n = ssize_t(strlen(base));
    } else {
        const std::string link = "/proc/self/fd/" + std::to_string(dir);
        n = readlink(link.c_str(), base, sizeof base - 1);
    }
    return n < 0 ? std::string(path) : std::string(base, size_t(n)) + "/" + path;
}

std::string pathOf(int fd)
{
    char target[4096];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    return n < 0 ? "?" : std::string(target, size_t(n));
}

void log(const std::string &line)
{
    static int fd = -2;
    if (fd == -2) {
        const char *file = getenv("TFJS_SYNC_LOG");
        fd = file ? open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    }
    if (fd < 0)
        return;
    const std::string text = line + "\n";
    const int saved = errno;
    (void)!write(fd, text.data(), text.size()); // one write: lines of threads do not mix
    errno = saved;
}

} // namespace

extern "C" int fsync(int fd)
{
    static auto real = next<int (*)(int)>("fsync");
    log("sync\t" + pathOf(fd));
    return real(fd);
}

extern "C" int fdatasync(int fd)
{
    static auto real = next<int (*)(int)>("fdatasync");
    log("sync\t" + pathOf(fd));
    return real(fd);
}

extern "C" int rename(const char *from, const char *to)
{
    static auto real = next<int (*)(const char *, const char *)>("rename");
    const int result = real(from, to);
    if (result == 0)
        log("rename\t" + absolute(AT_FDCWD, from) + "\t" + absolute(AT_FDCWD, to));
    return result;
}

extern "C" int renameat2(int fromDir, const char *from, int toDir, const char *to, unsigned int flags)
{
    static auto real = next<int (*)(int, const char *, int, const char *, unsigned int)>("renameat2");
    const int result = real(fromDir, from, toDir, to, flags);
    if (result == 0)
        log("rename\t" + absolute(fromDir, from) + "\t" + absolute(toDir, to));
    return result;
}

extern "C" int link(const char *from, const char *to)
{
    static auto real = next<int (*)(const char *, const char *)>("link");
    const int result = real(from, to);
    if (result == 0)
        log("link\t" + absolute(AT_FDCWD, from) + "\t" + absolute(AT_FDCWD, to));
    return result;
}

extern "C" int linkat(int fromDir, const char *from, int toDir, const char *to, int flags)
{
    static auto real = next<int (*)(int, const char *, int, const char *, int)>("linkat");
    // An unnamed file linked by its /proc/self/fd/N: logged as what its fd's syncs were.
    const bool byFd = from != nullptr && strncmp(from, "/proc/self/fd/", 14) == 0;
    const std::string source = byFd ? pathOf(atoi(from + 14)) : absolute(fromDir, from);
    const int result = real(fromDir, from, toDir, to, flags);
    if (result == 0)
        log("link\t" + source + "\t" + absolute(toDir, to));
    return result;
}

extern "C" int unlink(const char *path)
{
    static auto real = next<int (*)(const char *)>("unlink");
    const int result = real(path);
    if (result == 0)
        log("unlink\t" + absolute(AT_FDCWD, path));
    return result;
}

extern "C" int unlinkat(int dir, const char *path, int flags)
{
    static auto real = next<int (*)(int, const char *, int)>("unlinkat");
    const int result = real(dir, path, flags);
    if (result == 0)
        log("unlink\t" + absolute(dir, path));
    return result;
}
