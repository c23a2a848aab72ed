#pragma once

#include "durability.h"
#include "base/error.h"

#include <QString>

#include <atomic>
#include <sys/types.h>
#include <memory>

namespace tfjs {

// A temporary file with no name (O_TMPFILE) that downloaded weights are written into, so a
// large model never has to fit in memory. While the object lives, path() (/proc/self/fd/N)
// opens the file like any other, so WeightData segments can point into it; when the last
// owner goes the file is gone, even after a crash. A save on the same file system can give
// the file a name (linkTo) instead of copying its bytes.
// holdOpen() makes one of an existing file, read-only and never linked: segments pointing into
// it stay valid while its owner (a browser) deletes or replaces it.
class SpoolFile
{
public:
    // Creates the file in `folder` (the system's temporary folder when empty).
    [[nodiscard]] static Result<std::shared_ptr<SpoolFile>> create(const QString &folder = {});
    // Opens the regular file `path` read-only (a symbolic link is refused); `path` is also what
    // folder() returns, for messages. `shownAs`, when given, is what segments of the file are
    // called in messages (shownAs()). The error's detail is the reason alone.
    [[nodiscard]] static Result<std::shared_ptr<SpoolFile>> holdOpen(const QString &path,
                                                                     const QString &shownAs = {});
    ~SpoolFile();
    SpoolFile(const SpoolFile &) = delete;
    SpoolFile &operator=(const SpoolFile &) = delete;

    QString path() const;
    QString folder() const { return m_folder; }
    // The file holdOpen() opened; empty for a temporary file.
    QString heldPath() const { return m_held ? m_folder : QString(); }
    QString shownAs() const { return m_shownAs; }
    qint64 size() const;

    // Writes `size` bytes at `offset` (the file grows as needed).
    [[nodiscard]] Result<void> writeAt(qint64 offset, const char *data, qint64 size);
    // Copies this file's first `size` bytes into `target` at `offset`.
    [[nodiscard]] Result<void> copyInto(SpoolFile &target, qint64 offset, qint64 size) const;

    // Gives the file the name `target` (which must not exist), on the same file system; only
    // once, so two saves never share one file. Strict syncs the contents first. Fails across
    // file systems, or after a first link: the caller then copies.
    [[nodiscard]] Result<void> linkTo(const QString &target, Durability durability);

    // Hands the file to a store that names it itself (through path()): marks it named, as
    // linkTo() does, so it never gets a second name; nothing may write to it afterwards. False
    // when it already has one or was held open: the caller then copies.
    [[nodiscard]] bool claimName() { return !m_linked.exchange(true); }

private:
    Error errorAt(const QString &what, qint64 offset, ssize_t result) const;
    SpoolFile(int fd, QString folder) : m_fd(fd), m_folder(std::move(folder)) {}
    int m_fd = -1;
    QString m_folder;
    std::atomic<bool> m_linked{false};
    bool m_held = false;
    QString m_shownAs;
};

} // namespace tfjs
