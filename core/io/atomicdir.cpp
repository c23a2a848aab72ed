#include "atomicdir.h"

#include "filecopy.h"
#include "foldercommit.h"
#include "base/job.h"
#include "spoolfile.h"
#include "weightdata.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tfjs {

namespace {

Error ioError(const QString &message, const QString &path)
{
    Error error{ErrorCode::Io, message};
    error.path = path;
    return error;
}

Error targetExists(const QString &target)
{
    Error error{ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(target)};
    error.path = target;
    return error;
}

} // namespace

AtomicFolderWrite::~AtomicFolderWrite()
{
    if (!m_done)
        abandon();
}

AtomicFolderWrite::AtomicFolderWrite(AtomicFolderWrite &&other) noexcept
    : m_folder(std::move(other.m_folder)), m_existing(other.m_existing),
      m_durability(other.m_durability), m_tag(std::move(other.m_tag)),
      m_createdDirs(std::move(other.m_createdDirs)), m_entries(std::move(other.m_entries)),
      m_done(other.m_done)
{
    other.m_done = true;
}

Result<AtomicFolderWrite> AtomicFolderWrite::begin(const QString &folder, Existing existing,
                                                   Durability durability)
{
    if (folder.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The folder to save to is empty."));
    AtomicFolderWrite write;
    write.m_existing = existing;
    write.m_durability = durability;
    write.m_folder = QFileInfo(folder).absoluteFilePath();
    write.m_tag = newWriterTag();
    const QFileInfo info(write.m_folder);
    if (info.exists() && !info.isDir()) {
        Error error{ErrorCode::Exists,
                    QStringLiteral("Path %1 exists as a file. The path must be nonexistent or "
                                   "point to a directory.")
                        .arg(folder)};
        error.path = folder;
        return fail(error);
    }
    if (info.exists())
        recoverFolder(write.m_folder); // a killed writer's commit is finished first
    if (!info.exists()) {
        // Remember each folder we create so an abandoned write removes them again.
        QStringList missing;
        for (QFileInfo dir(write.m_folder); !dir.exists(); dir = QFileInfo(dir.absolutePath())) {
            missing.prepend(dir.absoluteFilePath());
            if (dir.isRoot())
                break;
        }
        for (const QString &dir : std::as_const(missing)) {
            if (::mkdir(QFile::encodeName(dir).constData(), 0777) != 0)
                return fail(ioError(QStringLiteral("Cannot create folder %1: %2.")
                                        .arg(dir, QString::fromLocal8Bit(std::strerror(errno))),
                                    dir));
            write.m_createdDirs.prepend(dir);
        }
    }
    return write;
}

Result<void> AtomicFolderWrite::addFile(const QString &name, const Writer &writer)
{
    const QString target = m_folder + QLatin1Char('/') + name;
    if (auto free = checkTarget(target); !free)
        return free;
    const QString temp = tempNameFor(name);
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(ioError(QStringLiteral("Cannot create %1: %2").arg(temp, file.errorString()),
                            target));
    m_entries.push_back({target, temp});
    if (auto written = writer(file); !written)
        return written;
    if (!file.flush() || (m_durability == Durability::Strict && ::fsync(file.handle()) != 0))
        return fail(ioError(QStringLiteral("Cannot write %1: %2").arg(target, file.errorString()),
                            target));
    file.close();
    if (file.error() != QFileDevice::NoError)
        return fail(ioError(QStringLiteral("Cannot write %1: %2").arg(target, file.errorString()),
                            target));
    return {};
}

Result<void> AtomicFolderWrite::checkTarget(const QString &target) const
{
    if (m_existing == Existing::Refuse && QFileInfo::exists(target))
        return fail(targetExists(target));
    return {};
}

QString AtomicFolderWrite::tempNameFor(const QString &name) const
{
    return m_folder + QStringLiteral("/.") + name + QStringLiteral(".tfjs-") + m_tag;
}

Result<void> AtomicFolderWrite::addWeights(const QString &name, const WeightData &data,
                                           JobContext *ctx)
{
    if (const std::shared_ptr<SpoolFile> spool = data.wholeSpool()) {
        const QString target = m_folder + QLatin1Char('/') + name;
        if (auto free = checkTarget(target); !free)
            return free;
        const QString temp = tempNameFor(name);
        if (spool->linkTo(temp, m_durability)) {
            m_entries.push_back({target, temp});
            if (ctx)
                ctx->addBytes(data.size());
            return {};
        }
        // Another file system, or named before: copy the bytes instead.
    }
    return addFile(name, [&](QFile &file) { return writeWeightData(file, data, ctx, m_durability); });
}

// A replaced model keeps its files' permissions: each new file takes the mode of the file it
// replaces, a file new to the folder that of the first file replaced (a 0600 model stays 0600);
// with nothing replaced the umask decides, as for any new file.
template<typename Entries>
static void keepModes(const Entries &entries)
{
    const auto modeOf = [](const QString &path) -> std::optional<mode_t> {
        struct stat st{};
        if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
            return std::nullopt;
        return st.st_mode & 07777;
    };
    std::optional<mode_t> model;
    for (const auto &entry : entries)
        if (!model)
            model = modeOf(entry.target);
    if (!model)
        return;
    for (const auto &entry : entries)
        ::chmod(QFile::encodeName(entry.temp).constData(), modeOf(entry.target).value_or(*model));
}

Result<QStringList> AtomicFolderWrite::commit()
{
    struct Moved
    {
        QString temp;
        QString target;
        QString backup; // empty: there was no old file
    };
    std::vector<Moved> moved;
    std::vector<CommitRename> renames;
    for (const Entry &entry : m_entries)
        renames.push_back({QFileInfo(entry.temp).fileName(), QFileInfo(entry.target).fileName()});
    if (m_existing == Existing::Replace)
        keepModes(m_entries);
    // From here on a killed commit is finished by the next recoverFolder() (foldercommit.h).
    auto marker = writeCommitMarker(m_folder, m_tag, m_existing == Existing::Refuse, renames,
                                    m_durability);
    if (!marker)
        return fail(marker.error());
    // Puts an old file back over the new one (also when the backup is a link to it).
    const auto restore = [](const Moved &step) {
        if (step.backup.isEmpty())
            return;
        ::rename(QFile::encodeName(step.backup).constData(), QFile::encodeName(step.target).constData());
        QFile::remove(step.backup);
    };
    // Undoes the renames done, the last first: the new file goes back to its temporary name,
    // then the old file back to its own. Killed before the marker is gone, the writer's commit
    // is redone whole by the next recoverFolder(): every new file is still under its temporary
    // name or its target's.
    const auto rollBack = [&] {
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
            if (::rename(QFile::encodeName(it->target).constData(),
                         QFile::encodeName(it->temp).constData())
                    != 0
                && it->backup.isEmpty())
                QFile::remove(it->target);
            restore(*it);
        }
        QFile::remove(*marker);
    };
    for (const Entry &entry : m_entries) {
        Moved step{entry.temp, entry.target, {}};
        if (m_existing == Existing::Refuse) {
            if (const int error = renameNoReplace(entry.temp, entry.target); error != 0) {
                rollBack();
                if (error == EEXIST)
                    return fail(targetExists(entry.target));
                return fail(ioError(QStringLiteral("Cannot rename %1 to %2: %3")
                                        .arg(entry.temp, entry.target,
                                             QString::fromLocal8Bit(std::strerror(error))),
                                    entry.target));
            }
            moved.push_back(step);
            continue;
        }
        // The old file is kept under a second name until every rename worked (a hard link, so
        // the target never goes missing; moved aside where the file system has no links).
        if (QFileInfo::exists(entry.target)) {
            step.backup = entry.temp + QStringLiteral(".old");
            if (::link(QFile::encodeName(entry.target).constData(),
                       QFile::encodeName(step.backup).constData())
                    != 0
                && !QFile::rename(entry.target, step.backup)) {
                rollBack();
                return fail(ioError(QStringLiteral("Cannot replace %1.").arg(entry.target),
                                    entry.target));
            }
        }
        if (::rename(QFile::encodeName(entry.temp).constData(),
                     QFile::encodeName(entry.target).constData())
            != 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            restore(step);
            rollBack();
            return fail(ioError(QStringLiteral("Cannot rename %1 to %2: %3")
                                    .arg(entry.temp, entry.target, why),
                                entry.target));
        }
        moved.push_back(step);
    }
    QStringList written;
    for (const Moved &step : moved)
        written << step.target;
    m_entries.clear();
    m_done = true;
    // The renames, and the folders begin() created, become durable with their parents, before
    // the marker goes.
    bool synced = true;
    if (m_durability == Durability::Strict) {
        synced = syncFolder(m_folder);
        for (const QString &dir : std::as_const(m_createdDirs))
            synced = syncFolder(QFileInfo(dir).absolutePath()) && synced;
    }
    const int syncError = errno;
    QFile::remove(*marker);
    for (const Moved &step : moved) {
        if (!step.backup.isEmpty())
            QFile::remove(step.backup);
    }
    if (m_durability == Durability::Strict)
        synced = syncFolder(m_folder) && synced;
    if (!synced)
        return fail(ioError(QStringLiteral("The files were written, but the folder %1 could "
                                           "not be synced to disk: %2")
                                .arg(m_folder, QString::fromLocal8Bit(std::strerror(syncError))),
                            m_folder));
    m_createdDirs.clear();
    return written;
}

int renameNoReplace(const QString &from, const QString &to, NoReplaceMethod method)
{
    const QByteArray source = QFile::encodeName(from);
    const QByteArray target = QFile::encodeName(to);
    if (method == NoReplaceMethod::RenameAt2) {
        if (::renameat2(AT_FDCWD, source.constData(), AT_FDCWD, target.constData(),
                        RENAME_NOREPLACE)
            == 0)
            return 0;
        if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            return errno;
        method = NoReplaceMethod::Link; // the file system does not know the flag
    }
    if (method == NoReplaceMethod::Link) {
        if (::link(source.constData(), target.constData()) == 0) {
            ::unlink(source.constData());
            return 0;
        }
        if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS && errno != EMLINK)
            return errno;
        // No hard links here (FAT, some network file systems).
    }
    struct stat info;
    if (::lstat(target.constData(), &info) == 0)
        return EEXIST;
    return ::rename(source.constData(), target.constData()) == 0 ? 0 : errno;
}

QString nearestExistingFolder(const QString &path)
{
    for (QFileInfo dir(QFileInfo(path).absoluteFilePath());; dir = QFileInfo(dir.absolutePath())) {
        if (dir.isDir())
            return dir.absoluteFilePath();
        if (dir.isRoot())
            return {};
    }
}

bool syncFolder(const QString &folder)
{
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

void AtomicFolderWrite::abandon()
{
    for (const Entry &entry : m_entries)
        QFile::remove(entry.temp);
    m_entries.clear();
    for (const QString &dir : std::as_const(m_createdDirs))
        QDir().rmdir(dir);
    m_done = true;
}

Result<void> writeAllBytes(QFile &file, const char *data, qint64 size)
{
    while (size > 0) {
        const qint64 n = file.write(data, size);
        if (n <= 0)
            return fail(ioError(QStringLiteral("Cannot write %1: %2")
                                    .arg(file.fileName(), file.errorString()),
                                file.fileName()));
        data += n;
        size -= n;
    }
    return {};
}

Result<void> writeWeightData(QFile &file, const WeightData &data, JobContext *ctx,
                             Durability durability)
{
    for (const WeightData::Segment &segment : data.segments()) {
        if (segment.file.isEmpty()) {
            Error writeError;
            auto read = WeightData::fromBytes(segment.bytes, segment.label).read(
                [&](const char *bytes, qint64 size) {
                    auto ok = writeAllBytes(file, bytes, size);
                    if (!ok)
                        writeError = ok.error();
                    return ok.has_value();
                },
                ctx);
            if (!read)
                return fail(writeError.message.isEmpty() ? read.error() : writeError);
            continue;
        }
        // In the kernel where the file systems allow; the copy writes behind QFile's back.
        if (!file.flush())
            return fail(ioError(file.errorString(), file.fileName()));
        QFile in(segment.file);
        if (!in.open(QIODevice::ReadOnly))
            return fail(WeightData::readError(segment, segment.offset, in.errorString()));
        const qint64 start = file.pos();
        FileCopy copy{.source = in.handle(),
                      .sourceOffset = segment.offset,
                      .target = file.handle(),
                      .targetOffset = start,
                      .size = segment.size,
                      .sourcePath = segment.name(),
                      .targetPath = file.fileName()};
        copy.describe = [&](const CopyFailure &failure) {
            return failure.side == CopyFailure::Side::Source
                       ? WeightData::readError(segment, failure.offset, failure.why)
                       : copyFailureError(copy, failure);
        };
        if (durability == Durability::Strict) {
            // Start write-back now so the closing fsync has little left to wait for.
            copy.copied = [&](qint64 at, qint64 bytes) -> Result<void> {
                ::sync_file_range(file.handle(), at, bytes, SYNC_FILE_RANGE_WRITE);
                return {};
            };
        }
        if (auto copied = copyFileRange(copy, ctx); !copied)
            return copied;
        if (!file.seek(start + segment.size))
            return fail(ioError(file.errorString(), file.fileName()));
    }
    return {};
}

} // namespace tfjs
