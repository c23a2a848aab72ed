#pragma once

#include "base/error.h"

#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

namespace tfjs {

class SqliteConnection;

// One SQLite database of a browser profile, read through a private copy: the file and its
// -wal (and -journal) are copied into a temporary folder and the copy is opened, so the
// profile is never written, a browser's lock does not matter, and the copy applies the WAL
// (the latest commits of a running browser are seen). When the file changes while it is
// copied (a checkpoint), the copy is taken again. Errors name the profile's file.
class ProfileDatabase
{
public:
    ~ProfileDatabase();
    ProfileDatabase(const ProfileDatabase &) = delete;
    ProfileDatabase &operator=(const ProfileDatabase &) = delete;

    // `what` names the database in messages ("the Firefox IndexedDB database").
    [[nodiscard]] static Result<std::unique_ptr<ProfileDatabase>> open(const QString &file,
                                                                       const QString &what);

    QString file() const { return m_file; }

    // A read with bound parameters, positioned before the first row.
    [[nodiscard]] Result<QSqlQuery> exec(const QString &sql, const QVariantList &params = {});
    // First column of the first row; an invalid QVariant when there is none.
    [[nodiscard]] Result<QVariant> scalar(const QString &sql, const QVariantList &params = {});

    // Refuses a database whose PRAGMA user_version is not Mozilla's MakeSchemaVersion(major,
    // any minor) = major << 4 | minor, naming the version found.
    [[nodiscard]] Result<void> requireMozillaSchema(int major);

    // An Error about this database: "<what> <file>: <message>", with its path.
    Error error(ErrorCode code, const QString &message) const;

private:
    ProfileDatabase() = default;
    Error sqlError(const Error &error) const;

    QString m_file;
    QString m_what;
    QTemporaryDir m_copy;
    std::unique_ptr<SqliteConnection> m_connection;
};

} // namespace tfjs
