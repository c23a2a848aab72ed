#include "blobstore.h"

#include "io/spoolfile.h"

#include "io/atomicdir.h"

#include "io/filecopy.h"
#include "base/job.h"
#include "sha256.h"
#include "io/weightdata.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tfjs {

namespace {

constexpr qint64 kChunk = 4 << 20;

QString osError(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

Error ioError(const QString &message, const QString &path)
{
    Error error{ErrorCode::Io, message};
    error.path = path;
    return error;
}

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

Error writeError(const QString &what, const QString &why)
{
    return ioError(QStringLiteral("Cannot write the weight blob %1: %2").arg(what, why), what);
}

Result<void> writeAll(int fd, const char *data, qint64 size, const QString &what)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, std::size_t(std::min<qint64>(size, 1 << 30)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(writeError(what, osError(n < 0 ? errno : ENOSPC)));
        data += n;
        size -= n;
    }
    return {};
}

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

// Follows the writer through the blob and hashes what it has written: the hash is of the blob's
// own bytes (a private unnamed file), so it names the content even if a source file changed
// during the copy. Reads through a read-only mapping (no copy); pread when mapping fails.
class BlobHasher
{
public:
    BlobHasher(int fd, qint64 total) : m_fd(fd), m_total(total)
    {
        if (total > 0) {
            void *map = ::mmap(nullptr, std::size_t(total), PROT_READ, MAP_SHARED, fd, 0);
            if (map != MAP_FAILED) {
                m_map = static_cast<const char *>(map);
                ::madvise(map, std::size_t(total), MADV_SEQUENTIAL);
            }
        }
        m_thread = std::thread([this] { run(); });
    }
    ~BlobHasher()
    {
        finish(false);
        if (m_map)
            ::munmap(const_cast<char *>(m_map), std::size_t(m_total));
    }

    // The writer has put `bytes` more bytes into the blob.
    void advance(qint64 bytes)
    {
        {
            std::lock_guard lock(m_mutex);
            m_written += bytes;
        }
        m_wake.notify_one();
    }
    // Waits for the hash of everything written; `complete` false abandons it.
    std::optional<QString> finish(bool complete)
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = !complete;
            m_closed = true;
        }
        m_wake.notify_one();
        if (m_thread.joinable())
            m_thread.join();
        if (!complete || m_failed || m_hashed != m_written)
            return std::nullopt;
        const QString hash = m_sha.hexResult();
        return hash.isEmpty() ? std::nullopt : std::optional<QString>(hash);
    }

private:
    void run()
    {
        constexpr qint64 kStep = 8 << 20;
        QByteArray buffer;
        for (;;) {
            qint64 until = 0;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stop || m_written > m_hashed || m_closed; });
                if (m_stop || (m_closed && m_written == m_hashed))
                    return;
                until = m_written;
            }
            while (m_hashed < until) {
                const qint64 n = std::min(kStep, until - m_hashed);
                if (m_map) {
                    m_sha.addData(m_map + m_hashed, n);
                    dropHashedPages(m_hashed, m_hashed + n);
                } else {
                    buffer.resize(n);
                    qint64 got = 0;
                    while (got < n) {
                        const ssize_t r = ::pread(m_fd, buffer.data() + got, std::size_t(n - got),
                                                  m_hashed + got);
                        if (r < 0 && errno == EINTR)
                            continue;
                        if (r <= 0) {
                            m_failed = true;
                            return;
                        }
                        got += r;
                    }
                    m_sha.addData(buffer.constData(), n);
                }
                std::lock_guard lock(m_mutex);
                m_hashed += n;
                if (m_stop)
                    return;
            }
        }
    }

    // The mapping's pages of bytes [from, to) are hashed: let them go, so the process's resident
    // set does not grow by the blob's size (they stay in the page cache; nothing is lost).
    void dropHashedPages(qint64 from, qint64 to) const
    {
        static const qint64 page = ::sysconf(_SC_PAGESIZE);
        const qint64 start = from / page * page;
        const qint64 end = to / page * page;
        if (end > start)
            ::madvise(const_cast<char *>(m_map) + start, std::size_t(end - start), MADV_DONTNEED);
    }

    const int m_fd;
    const qint64 m_total;
    const char *m_map = nullptr;
    Sha256 m_sha;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    qint64 m_written = 0;
    qint64 m_hashed = 0;
    bool m_stop = false;
    bool m_closed = false;
    bool m_failed = false;
    std::thread m_thread; // last: starts after the members it uses exist
};

// The hash of everything the hasher was given, the file synced under Strict.
Result<QString> seal(BlobHasher &hasher, int fd, Durability durability, const QString &dir)
{
    const std::optional<QString> hash = hasher.finish(true);
    if (!hash)
        return fail(ioError(QStringLiteral("Cannot read back the weight blob in %1 to hash it.").arg(dir),
                            dir));
    if (durability == Durability::Strict && ::fsync(fd) != 0)
        return fail(ioError(QStringLiteral("Cannot sync the weight blob in %1: %2").arg(dir, osError(errno)),
                            dir));
    return *hash;
}

Error segmentError(const WeightData::Segment &segment, qint64 at, const QString &why)
{
    return WeightData::readError(segment, at, why);
}

} // namespace

BlobStore::BlobStore(QString dir) : m_dir(QDir::cleanPath(QDir(dir).absolutePath())) {}

bool BlobStore::isHash(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9'))
              || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

QString BlobStore::pathFor(const QString &hash) const
{
    return m_dir + QLatin1Char('/') + hash.left(2) + QLatin1Char('/') + hash;
}

QString BlobStore::hashOfPath(const QString &file) const
{
    const QFileInfo info(file);
    const QString hash = info.fileName();
    if (!isHash(hash))
        return {};
    const QString folder = info.absoluteDir().canonicalPath();
    const QString ours = QFileInfo(m_dir + QLatin1Char('/') + hash.left(2)).canonicalFilePath();
    if (folder.isEmpty() || folder != ours)
        return {};
    return hash;
}

QString BlobStore::tempName() const
{
    return m_dir + QStringLiteral("/tmp/") + QString::number(::getpid()) + QLatin1Char('-')
           + QUuid::createUuid().toString(QUuid::Id128);
}

BlobStore::Pending::Pending(Pending &&other) noexcept
    : hash(std::move(other.hash)), size(other.size), m_fd(other.m_fd),
      m_tempPath(std::move(other.m_tempPath)), m_published(other.m_published),
      m_newFolder(other.m_newFolder)
{
    other.m_fd = -1;
    other.m_tempPath.clear();
}

BlobStore::Pending &BlobStore::Pending::operator=(Pending &&other) noexcept
{
    if (this != &other) {
        discard();
        hash = std::move(other.hash);
        size = other.size;
        m_fd = other.m_fd;
        m_tempPath = std::move(other.m_tempPath);
        m_published = other.m_published;
        m_newFolder = other.m_newFolder;
        other.m_fd = -1;
        other.m_tempPath.clear();
    }
    return *this;
}

BlobStore::Pending::~Pending()
{
    discard();
}

void BlobStore::Pending::discard()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (!m_tempPath.isEmpty())
        ::unlink(native(m_tempPath).constData());
    m_tempPath.clear();
}

Result<BlobStore::Pending> BlobStore::write(const WeightData &data, JobContext *ctx,
                                            Durability durability)
{
    if (!QDir().mkpath(m_dir + QStringLiteral("/tmp")))
        return fail(ioError(QStringLiteral("Cannot create the blob folder %1.").arg(m_dir), m_dir));

    if (const auto spool = data.wholeSpool(); spool && onThisFileSystem(*spool) && spool->claimName())
        return adopt(*spool, ctx, durability);

    Pending pending;
    // An unnamed file vanishes by itself if the process dies; fall back to a named temporary
    // file (collected by sweep()) where the file system or /proc do not allow linking it later.
    if (QFileInfo::exists(QStringLiteral("/proc/self/fd")))
        pending.m_fd = ::open(native(m_dir).constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
    if (pending.m_fd < 0) {
        pending.m_tempPath = tempName();
        pending.m_fd = ::open(native(pending.m_tempPath).constData(),
                              O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
        if (pending.m_fd < 0) {
            const int code = errno;
            pending.m_tempPath.clear();
            return fail(ioError(QStringLiteral("Cannot create a weight blob in %1: %2")
                                    .arg(m_dir, osError(code)),
                                m_dir));
        }
    }
    const int out = pending.m_fd;
    const QString what = m_dir + QStringLiteral("/tmp");
    const qint64 total = data.size();
    BlobHasher hasher(out, total);
    qint64 written = 0;

    // Every step: account for it, start its write-back (so the final fsync has little left),
    // let the hasher follow; `wrote` also reports it to ctx and checks for cancellation, as
    // copyFileRange does for file segments.
    const auto landed = [&](qint64 n) {
        if (durability == Durability::Strict)
            ::sync_file_range(out, written, n, SYNC_FILE_RANGE_WRITE);
        written += n;
        hasher.advance(n);
    };
    const auto wrote = [&](qint64 n) -> Result<void> {
        landed(n);
        if (ctx) {
            ctx->addBytes(n);
            if (ctx->isCancelled())
                return fail(cancelledError());
        }
        return {};
    };
    // Memory segments, through user space.
    const auto writeBytes = [&](const char *bytes, qint64 n) -> Result<void> {
        for (qint64 at = 0; at < n; at += kChunk) {
            const qint64 step = std::min(kChunk, n - at);
            if (auto ok = writeAll(out, bytes + at, step, what); !ok)
                return ok;
            if (auto ok = wrote(step); !ok)
                return ok;
        }
        return {};
    };
    const auto copySegment = [&](const WeightData::Segment &segment) -> Result<void> {
        const int in = ::open(native(segment.file).constData(), O_RDONLY | O_CLOEXEC);
        if (in < 0)
            return fail(segmentError(segment, segment.offset, osError(errno)));
        const auto closeIn = qScopeGuard([in] { ::close(in); });
        FileCopy copy{.source = in,
                      .sourceOffset = segment.offset,
                      .target = out,
                      .targetOffset = written,
                      .size = segment.size,
                      .sourcePath = segment.file,
                      .targetPath = what};
        copy.copied = [&](qint64, qint64 n) -> Result<void> {
            landed(n);
            return {};
        };
        copy.describe = [&](const CopyFailure &failure) {
            return failure.side == CopyFailure::Side::Source
                       ? segmentError(segment, failure.offset, failure.why)
                       : writeError(what, failure.why);
        };
        return copyFileRange(copy, ctx);
    };

    for (const WeightData::Segment &segment : data.segments()) {
        if (::lseek(out, written, SEEK_SET) < 0)
            return fail(writeError(what, osError(errno)));
        auto done = segment.file.isEmpty() ? writeBytes(segment.bytes.constData(), segment.size)
                                           : copySegment(segment);
        if (!done)
            return fail(done.error());
    }
    auto sealed = seal(hasher, out, durability, m_dir);
    if (!sealed)
        return fail(sealed.error());
    pending.hash = *sealed;
    pending.size = written;
    return pending;
}

bool BlobStore::onThisFileSystem(const SpoolFile &spool) const
{
    struct stat file{};
    struct stat dir{};
    return ::stat(native(spool.path()).constData(), &file) == 0
           && ::stat(native(m_dir).constData(), &dir) == 0 && file.st_dev == dir.st_dev;
}

Result<BlobStore::Pending> BlobStore::adopt(const SpoolFile &spool, JobContext *ctx, Durability durability)
{
    Pending pending;
    pending.m_fd = ::open(native(spool.path()).constData(), O_RDONLY | O_CLOEXEC);
    if (pending.m_fd < 0)
        return fail(ioError(QStringLiteral("Cannot open the received weights %1 as a blob of %2: %3")
                                .arg(spool.path(), m_dir, osError(errno)),
                            m_dir));
    const qint64 total = spool.size();
    BlobHasher hasher(pending.m_fd, total);
    hasher.advance(total);
    auto sealed = seal(hasher, pending.m_fd, durability, m_dir);
    if (!sealed)
        return fail(sealed.error());
    if (ctx) {
        ctx->addBytes(total);
        if (ctx->isCancelled())
            return fail(cancelledError());
    }
    pending.hash = *sealed;
    pending.size = total;
    return pending;
}

bool BlobStore::isComplete(const QString &hash, qint64 size) const
{
    const QFileInfo info(pathFor(hash));
    return info.isFile() && info.size() == size;
}

Result<std::shared_ptr<SpoolFile>> BlobStore::open(const QString &hash, qint64 size) const
{
    const QString path = pathFor(hash);
    auto held = SpoolFile::holdOpen(path);
    if (!held && held.error().code == ErrorCode::NotFound)
        return fail(held.error());
    QString why;
    if (!held)
        why = QFileInfo(path).isSymLink() ? QStringLiteral("is a link, not a file")
                                          : QStringLiteral("cannot be read (%1)").arg(held.error().detail);
    else if (size >= 0 && (*held)->size() != size)
        why = QStringLiteral("has %1 bytes, not %2").arg((*held)->size()).arg(size);
    if (why.isEmpty())
        return held;
    Error error{ErrorCode::Store, QStringLiteral("The weight blob %1 %2.").arg(path, why)};
    error.path = path;
    error.detail = why;
    return fail(error);
}

Result<void> BlobStore::verify(const SpoolFile &blob, const QString &hash, JobContext *ctx) const
{
    const QString path = blob.heldPath().isEmpty() ? pathFor(hash) : blob.heldPath();
    QFile file(blob.path());
    if (!file.open(QIODevice::ReadOnly))
        return fail(ioError(QStringLiteral("Cannot read the weight blob %1: %2").arg(path, file.errorString()), path));
    constexpr qint64 kChunk = 4 << 20;
    QByteArray buffer(kChunk, Qt::Uninitialized);
    Sha256 sha;
    for (;;) {
        if (ctx && ctx->isCancelled())
            return fail(cancelledError());
        const qint64 got = file.read(buffer.data(), kChunk);
        if (got < 0)
            return fail(ioError(QStringLiteral("Cannot read the weight blob %1: %2").arg(path, file.errorString()), path));
        if (got == 0)
            break;
        sha.addData(buffer.constData(), got);
        if (ctx)
            ctx->addBytes(got);
    }
    const QString actual = sha.hexResult();
    if (actual == hash)
        return {};
    const QString why = QStringLiteral("does not match its hash: its bytes were changed (they hash to %1)").arg(actual);
    Error error{ErrorCode::Store, QStringLiteral("The weight blob %1 %2.").arg(path, why)};
    error.path = path;
    error.detail = why;
    return fail(error);
}

Result<void> BlobStore::publish(Pending &pending)
{
    const QString target = pathFor(pending.hash);
    if (isComplete(pending.hash, pending.size)) {
        pending.discard();
        return {};
    }
    const QString folder = QFileInfo(target).path();
    const bool newFolder = !QFileInfo::exists(folder);
    if (newFolder && !QDir().mkpath(folder))
        return fail(ioError(QStringLiteral("Cannot create the blob folder %1.").arg(folder), folder));
    if (pending.m_tempPath.isEmpty()) {
        // Give the unnamed file a temporary name first: rename() then replaces any broken file
        // of the same name atomically, which linkat() cannot do.
        const QString temp = tempName();
        const QByteArray procPath = "/proc/self/fd/" + QByteArray::number(pending.m_fd);
        if (::linkat(AT_FDCWD, procPath.constData(), AT_FDCWD, native(temp).constData(),
                     AT_SYMLINK_FOLLOW)
            != 0)
            return fail(ioError(QStringLiteral("Cannot name the weight blob %1: %2")
                                    .arg(target, osError(errno)),
                                target));
        pending.m_tempPath = temp;
    }
    if (::rename(native(pending.m_tempPath).constData(), native(target).constData()) != 0)
        return fail(ioError(QStringLiteral("Cannot move the weight blob into place as %1: %2")
                                .arg(target, osError(errno)),
                            target));
    pending.m_tempPath.clear();
    pending.discard();
    pending.m_published = true;
    pending.m_newFolder = newFolder;
    return {};
}

Result<void> BlobStore::syncPublished(const Pending &pending)
{
    if (!pending.m_published)
        return {};
    const QString folder = QFileInfo(pathFor(pending.hash)).path();
    if (!syncFolder(folder) || (pending.m_newFolder && !syncFolder(m_dir)))
        return fail(ioError(QStringLiteral("Cannot sync the blob folder %1 to disk: %2")
                                .arg(folder, osError(errno)),
                            folder));
    return {};
}

int BlobStore::sweep(const std::function<bool(const QString &hash)> &isReferenced)
{
    int deleted = 0;
    const QDir root(m_dir);
    if (!root.exists())
        return 0;
    for (const QString &sub : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (sub == QLatin1String("tmp"))
            continue;
        const QDir folder(root.filePath(sub));
        for (const QString &name : folder.entryList(QDir::Files | QDir::Hidden)) {
            if (!isHash(name) || !name.startsWith(sub) || isReferenced(name))
                continue;
            if (QFile::remove(folder.filePath(name)))
                ++deleted;
        }
    }
    // Temporary files are named "<pid>-<uuid>"; those of ended processes are leftovers.
    const QDir tmp(root.filePath(QStringLiteral("tmp")));
    const QDateTime dayAgo = QDateTime::currentDateTimeUtc().addDays(-1);
    for (const QFileInfo &info : tmp.entryInfoList(QDir::Files | QDir::Hidden)) {
        const qint64 pid = info.fileName().section(QLatin1Char('-'), 0, 0).toLongLong();
        if (processAlive(pid) && info.lastModified().toUTC() > dayAgo)
            continue;
        if (QFile::remove(info.absoluteFilePath()))
            ++deleted;
    }
    return deleted;
}

QStringList BlobStore::hashes() const
{
    QStringList out;
    const QDir root(m_dir);
    for (const QString &sub : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QString &name : QDir(root.filePath(sub)).entryList(QDir::Files)) {
            if (isHash(name) && name.startsWith(sub))
                out << name;
        }
    }
    out.sort();
    return out;
}

} // namespace tfjs
