#include "profiledatabase.h"

#include "io/filecopy.h"
#include "io/sqliteconnection.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

namespace tfjs {

namespace {

// The database file and what SQLite keeps beside it; the -shm index is rebuilt by the copy.
const QStringList &companionSuffixes()
{
    static const QStringList suffixes = {QString(), QStringLiteral("-wal"),
                                         QStringLiteral("-journal")};
    return suffixes;
}

constexpr int kCopyAttempts = 3;

// Size and modification time of each file, to see whether a copy raced a change.
QList<QPair<qint64, QDateTime>> stamps(const QString &file)
{
    QList<QPair<qint64, QDateTime>> out;
    for (const QString &suffix : companionSuffixes()) {
        const QFileInfo info(file + suffix);
        out.append({info.exists() ? info.size() : -1,
                    info.exists() ? info.lastModified() : QDateTime()});
    }
    return out;
}

Result<void> copyOne(const QString &source, const QString &target)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly)) {
        Error error{in.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                    QStringLiteral("Cannot read %1: %2").arg(source, in.errorString())};
        error.path = source;
        return fail(error);
    }
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot write %1: %2").arg(target, out.errorString())};
        error.path = target;
        return fail(error);
    }
    const FileCopy copy{.source = in.handle(),
                        .target = out.handle(),
                        .size = in.size(),
                        .sourcePath = source,
                        .targetPath = target};
    return copyFileRange(copy);
}

} // namespace

ProfileDatabase::~ProfileDatabase() = default;

Result<std::unique_ptr<ProfileDatabase>> ProfileDatabase::open(const QString &file,
                                                               const QString &what)
{
    std::unique_ptr<ProfileDatabase> db(new ProfileDatabase);
    db->m_file = file;
    db->m_what = what;
    if (!db->m_copy.isValid())
        return fail(db->error(ErrorCode::Io,
                              QStringLiteral("no temporary folder for its copy (%1).")
                                  .arg(db->m_copy.errorString())));
    const QString copy = db->m_copy.filePath(QFileInfo(file).fileName());
    for (int attempt = 1; attempt <= kCopyAttempts; ++attempt) {
        const auto before = stamps(file);
        if (before.front().first < 0)
            return fail(db->error(ErrorCode::NotFound, QStringLiteral("the file does not exist.")));
        for (qsizetype i = 0; i < companionSuffixes().size(); ++i) {
            const QString suffix = companionSuffixes()[i];
            QFile::remove(copy + suffix);
            if (before[i].first < 0)
                continue;
            auto copied = copyOne(file + suffix, copy + suffix);
            // A -wal or -journal may vanish between the look and the copy (a checkpoint).
            if (!copied && !(i > 0 && copied.error().code == ErrorCode::NotFound))
                return fail(copied.error());
        }
        if (stamps(file) == before)
            break; // else the browser changed the files meanwhile: copy again (at most 3 times)
    }
    auto connection = SqliteConnection::open(copy, what, {});
    if (!connection)
        return fail(db->sqlError(connection.error()));
    db->m_connection = std::move(*connection);
    return db;
}

Error ProfileDatabase::error(ErrorCode code, const QString &message) const
{
    Error out{code, QStringLiteral("%1 %2: %3").arg(m_what, m_file, message)};
    out.path = m_file;
    return out;
}

Error ProfileDatabase::sqlError(const Error &sql) const
{
    Error out = error(ErrorCode::Format,
                      QStringLiteral("it cannot be read as a SQLite database (%1).")
                          .arg(sql.detail.isEmpty() ? sql.message : sql.detail));
    out.detail = sql.detail;
    return out;
}

Result<void> ProfileDatabase::requireMozillaSchema(int major)
{
    auto version = scalar(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return fail(version.error());
    const int found = version->toInt();
    if ((found >> 4) != major)
        return fail(error(ErrorCode::Unsupported,
                          QStringLiteral("its schema version %1.%2 is not the one this program "
                                         "reads (%3.x).")
                              .arg(found >> 4)
                              .arg(found & 0xF)
                              .arg(major)));
    return {};
}

Result<QSqlQuery> ProfileDatabase::exec(const QString &sql, const QVariantList &params)
{
    auto query = m_connection->exec(sql, params);
    if (!query)
        return fail(sqlError(query.error()));
    return query;
}

Result<QVariant> ProfileDatabase::scalar(const QString &sql, const QVariantList &params)
{
    auto value = m_connection->scalar(sql, params);
    if (!value)
        return fail(sqlError(value.error()));
    return value;
}

} // namespace tfjs
