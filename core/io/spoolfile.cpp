#include "spoolfile.h"

#include "filecopy.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tfjs {

namespace {

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

Error spoolError(const QString &folder, const QString &what, qint64 offset, const QString &why)
{
    Error error{ErrorCode::Io, QStringLiteral("Cannot %1 the downloaded weights in %2 at byte %3: %4")
                                   .arg(what, folder)
                                   .arg(offset)
                                   .arg(why)};
    error.path = folder;
    error.offset = offset;
    return error;
}

} // namespace

Result<std::shared_ptr<SpoolFile>> SpoolFile::create(const QString &folder)
{
    const QString dir = QDir(folder.isEmpty() ? QDir::tempPath() : folder).absolutePath();
    const QByteArray native = QFile::encodeName(dir);
    const int fd = ::open(native.constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
    if (fd < 0) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot create a temporary file in %1 for the "
                                                  "downloaded weights: %2")
                                       .arg(dir, systemError())};
        error.path = dir;
        return fail(error);
    }
    // The umask applies as to any new file, so a named spool looks like a file we wrote.
    auto spool = std::shared_ptr<SpoolFile>(new SpoolFile(fd, dir));
    struct stat st{};
    if (::stat(QFile::encodeName(spool->path()).constData(), &st) != 0) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot reach a temporary file through %1 (is "
                                                  "/proc mounted?): %2")
                                       .arg(spool->path(), systemError())};
        error.path = dir;
        return fail(error);
    }
    return spool;
}

Result<std::shared_ptr<SpoolFile>> SpoolFile::holdOpen(const QString &path, const QString &shownAs)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st{};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const int why = fd < 0 ? errno : 0;
        if (fd >= 0)
            ::close(fd);
        const QString reason = why ? QString::fromLocal8Bit(std::strerror(why))
                                   : QStringLiteral("not a regular file");
        Error error{why == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    QStringLiteral("Cannot read %1: %2").arg(shownAs.isEmpty() ? path : shownAs, reason)};
        error.path = shownAs.isEmpty() ? path : shownAs;
        error.detail = reason;
        return fail(error);
    }
    auto held = std::shared_ptr<SpoolFile>(new SpoolFile(fd, path));
    held->m_shownAs = shownAs;
    held->m_linked = true; // never given a name: it is someone else's file
    held->m_held = true;
    return held;
}

SpoolFile::~SpoolFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QString SpoolFile::path() const
{
    return QStringLiteral("/proc/self/fd/%1").arg(m_fd);
}

qint64 SpoolFile::size() const
{
    struct stat st{};
    return ::fstat(m_fd, &st) == 0 ? qint64(st.st_size) : -1;
}

Error SpoolFile::errorAt(const QString &what, qint64 offset, ssize_t result) const
{
    return spoolError(m_folder, what, offset,
                      result < 0 ? systemError() : QStringLiteral("the file ended"));
}

Result<void> SpoolFile::writeAt(qint64 offset, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(m_fd, data, std::size_t(size), off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(errorAt(QStringLiteral("write"), offset, n));
        data += n;
        size -= n;
        offset += n;
    }
    return {};
}

Result<void> SpoolFile::copyInto(SpoolFile &target, qint64 offset, qint64 size) const
{
    FileCopy copy{.source = m_fd,
                  .target = target.m_fd,
                  .targetOffset = offset,
                  .size = size,
                  .sourcePath = path(),
                  .targetPath = target.path()};
    copy.describe = [&](const CopyFailure &failure) {
        return failure.side == CopyFailure::Side::Source
                   ? spoolError(m_folder, QStringLiteral("read"), failure.offset, failure.why)
                   : spoolError(target.m_folder, QStringLiteral("write"), failure.offset,
                                failure.why);
    };
    return copyFileRange(copy);
}

Result<void> SpoolFile::linkTo(const QString &target, Durability durability)
{
    if (m_linked.exchange(true)) {
        Error error{ErrorCode::Io, QStringLiteral("The downloaded weights already have a name.")};
        error.path = target;
        return fail(error);
    }
    if (durability == Durability::Strict && ::fsync(m_fd) != 0) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot sync the downloaded weights to disk: %1")
                                       .arg(systemError())};
        error.path = target;
        m_linked = false;
        return fail(error);
    }
    const QByteArray from = QFile::encodeName(path());
    const QByteArray to = QFile::encodeName(target);
    if (::linkat(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), AT_SYMLINK_FOLLOW) != 0) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot give the downloaded weights the name "
                                                  "%1: %2")
                                       .arg(target, systemError())};
        error.path = target;
        m_linked = false;
        return fail(error);
    }
    return {};
}

} // namespace tfjs
