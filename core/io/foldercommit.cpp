#include "foldercommit.h"

#include "atomicdir.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <optional>
#include <unistd.h>

namespace tfjs {

namespace {

const QLatin1String kMarkerHeader("tfjs-commit 1 ");
const QLatin1String kMarkerEnd("end");

// `.NAME.tfjs-PID-ID` and `.NAME.tfjs-PID-ID.old`; `.tfjs-commit-PID-ID` and its `.part`.
const QRegularExpression &writerFilePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\..+\\.tfjs-(\\d+-[0-9a-f]{12})(\\.old)?$"));
    return pattern;
}

const QRegularExpression &markerPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\.tfjs-commit-(\\d+-[0-9a-f]{12})(\\.part)?$"));
    return pattern;
}

bool processAlive(const QString &tag)
{
    bool ok = false;
    const qint64 pid = tag.section(QLatin1Char('-'), 0, 0).toLongLong(&ok);
    if (!ok || pid <= 0 || pid > std::numeric_limits<pid_t>::max())
        return false;
    if (pid == ::getpid())
        return true; // this process: a write still under way (or abandoned by its destructor)
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

struct Marker
{
    bool noReplace = false;
    std::vector<CommitRename> renames;
};

// A marker is complete when it ends with "end"; anything else (cut short by a power loss
// without --durable) is treated as no marker.
std::optional<Marker> readMarker(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (lines.size() < 3 || !lines.front().startsWith(kMarkerHeader) || lines.back() != QString()
        || lines.at(lines.size() - 2) != kMarkerEnd)
        return std::nullopt;
    Marker marker;
    marker.noReplace = lines.front().mid(kMarkerHeader.size()) == QLatin1String("no-replace");
    for (qsizetype i = 1; i < lines.size() - 2; ++i) {
        const QStringList names = lines.at(i).split(QLatin1Char('/'));
        if (names.size() != 2 || names[0].isEmpty() || names[1].isEmpty())
            return std::nullopt;
        marker.renames.push_back({names[0], names[1]});
    }
    return marker;
}

// Redoes the renames whose temporary file is still there; false when one failed.
bool rollForward(const QString &folder, const Marker &marker)
{
    bool done = true;
    for (const CommitRename &step : marker.renames) {
        const QString temp = folder + QLatin1Char('/') + step.temp;
        const QString target = folder + QLatin1Char('/') + step.target;
        const QByteArray from = QFile::encodeName(temp);
        if (marker.noReplace) {
            const int error = renameNoReplace(temp, target);
            if (error == EEXIST)
                ::unlink(from.constData()); // the name was taken meanwhile: never replaced
            else if (error != 0 && error != ENOENT)
                done = false;
        } else if (::rename(from.constData(), QFile::encodeName(target).constData()) != 0
                   && errno != ENOENT) {
            done = false;
        }
    }
    return done && syncFolder(folder);
}

} // namespace

QString newWriterTag()
{
    return QStringLiteral("%1-%2").arg(::getpid()).arg(
        QUuid::createUuid().toString(QUuid::Id128).left(12));
}

Result<QString> writeCommitMarker(const QString &folder, const QString &tag, bool noReplace,
                                  const std::vector<CommitRename> &renames,
                                  Durability durability)
{
    const QString path = folder + QStringLiteral("/.tfjs-commit-") + tag;
    const QString part = path + QStringLiteral(".part");
    QByteArray text = QByteArray(kMarkerHeader.data(), kMarkerHeader.size())
                      + (noReplace ? "no-replace\n" : "replace\n");
    for (const CommitRename &step : renames)
        text += step.temp.toUtf8() + '/' + step.target.toUtf8() + '\n';
    text += QByteArray(kMarkerEnd.data(), kMarkerEnd.size()) + '\n';
    const auto failed = [&](const QString &why) {
        QFile::remove(part);
        Error error{ErrorCode::Io,
                    QStringLiteral("Cannot write the commit marker %1: %2").arg(part, why)};
        error.path = part;
        return fail(error);
    };
    QFile file(part);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return failed(file.errorString());
    if (auto written = writeAllBytes(file, text.constData(), text.size()); !written)
        return failed(written.error().message);
    if (!file.flush() || (durability == Durability::Strict && ::fsync(file.handle()) != 0))
        return failed(file.errorString());
    file.close();
    if (::rename(QFile::encodeName(part).constData(), QFile::encodeName(path).constData()) != 0)
        return failed(QString::fromLocal8Bit(std::strerror(errno)));
    if (durability == Durability::Strict && !syncFolder(folder)) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(path);
        return failed(why);
    }
    return path;
}

int recoverFolder(const QString &folder)
{
    const QStringList hidden = QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System);
    QSet<QString> keep; // tags whose files must stay: a live writer, or a commit left unfinished
    int finished = 0;
    for (const QString &name : hidden) {
        const QRegularExpressionMatch match = markerPattern().match(name);
        if (!match.hasMatch())
            continue;
        const QString tag = match.captured(1);
        if (processAlive(tag)) {
            keep.insert(tag);
            continue;
        }
        const QString path = folder + QLatin1Char('/') + name;
        if (!match.captured(2).isEmpty()) { // a marker never completed: the commit never began
            QFile::remove(path);
            continue;
        }
        const std::optional<Marker> marker = readMarker(path);
        if (marker && !rollForward(folder, *marker)) {
            keep.insert(tag);
            continue;
        }
        QFile::remove(path);
        finished += marker ? 1 : 0;
    }
    for (const QString &name : hidden) {
        const QRegularExpressionMatch match = writerFilePattern().match(name);
        if (!match.hasMatch() || keep.contains(match.captured(1)) || processAlive(match.captured(1)))
            continue;
        QFile::remove(folder + QLatin1Char('/') + name);
    }
    return finished;
}

bool commitInProgress(const QString &folder)
{
    const QStringList hidden = QDir(folder).entryList({QStringLiteral(".tfjs-commit-*")},
                                                      QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : hidden) {
        const QRegularExpressionMatch match = markerPattern().match(name);
        if (match.hasMatch() && match.captured(2).isEmpty())
            return true;
    }
    return false;
}

} // namespace tfjs
