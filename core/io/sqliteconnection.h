#pragma once

#include "io/durability.h"
#include "io/sqlsession.h"
#include "base/error.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace tfjs {

// One QSQLITE connection, owned by one thread for its whole life (QtSql's rule): opened with a
// unique connection name, removed again by the destructor. WAL journal, a busy timeout, and
// every SQLite failure turned into an Error that says what happened to which store file
// (locked, read-only, corrupt, disk full ...). All SQL takes bound parameters.
class SqliteConnection final : public SqlSession
{
public:
    struct Options
    {
        int busyTimeoutMs = 10000;
        // Set before the file is first written (localStorage uses UTF-16 so that text lengths
        // are counted the way browsers count localStorage quota).
        QString encoding;
    };

    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    // Opens (creating when missing) the database file. `what` names the store in messages
    // ("the IndexedDB store"). The file's folder must exist.
    [[nodiscard]] static Result<std::unique_ptr<SqliteConnection>> open(const QString &file, const QString &what,
                                                          const Options &options);

    QString file() const { return m_file; }

    // Runs one statement with positional parameters; the returned query is positioned before
    // the first row. Statements that return no rows are finished already.
    [[nodiscard]] Result<QSqlQuery> exec(const QString &sql, const QVariantList &params = {}) override;

    // A write transaction takes the database's write lock at once (BEGIN IMMEDIATE), so it never
    // has to upgrade a read lock (which SQLite cannot wait for). `body` runs inside; any error
    // it returns rolls everything back. Read transactions see one snapshot.
    [[nodiscard]] Result<void> writeTransaction(const std::function<Result<void>()> &body);
    // Strict: this commit syncs the WAL (synchronous = FULL) before it returns.
    [[nodiscard]] Result<void> writeTransaction(Durability durability, const std::function<Result<void>()> &body);
    [[nodiscard]] Result<void> readTransaction(const std::function<Result<void>()> &body);

    // Brings the schema to `migrations.size()` (version N is reached by running
    // migrations[N-1]), stepwise, in one write transaction; takes no write lock when the schema
    // is current. Refuses a newer schema and a database that is not ours (tables but no
    // schema_version table), leaving the file untouched.
    using Migration = std::function<Result<void>(SqliteConnection &)>;
    [[nodiscard]] Result<void> migrate(const std::vector<Migration> &migrations);
    // The schema version as stored; 0 for a database without our tables.
    [[nodiscard]] Result<int> schemaVersion();

    // A store's connection to `file` in `folder`, migrated to `migrations`: the folder is
    // created when missing. When `create` is false and `file` does not exist yet, no connection
    // (null) and nothing created: a store that does not exist yet reads as empty. When `create`
    // is false and the disk is full (WAL mode needs room for its -shm and -wal files), a store
    // whose WAL holds nothing is opened read-only as an immutable file, so listing and loading
    // still work; writes through that connection fail as "read-only".
    [[nodiscard]] static Result<std::unique_ptr<SqliteConnection>> openStore(
        const QString &folder, const QString &file, const QString &what, const Options &options,
        const std::vector<Migration> &migrations, bool create);
    // openStore() into `db` unless it is open already (a store's lazy open).
    [[nodiscard]] static Result<void> openStoreOnce(
        std::unique_ptr<SqliteConnection> &db, const QString &folder, const QString &file,
        const QString &what, const Options &options, const std::vector<Migration> &migrations,
        bool create);

    // Why nothing can be written through this connection (its file system is read-only, or
    // it was opened as an immutable file on a full disk), or none.
    std::optional<Error> immutableError() const;

    // An Error for a failed statement, classified by SQLite's result code.
    Error sqlError(const QSqlError &error, const QString &doing) const override;

private:
    SqliteConnection() = default;
    // A connection to `file`, opened and nothing more; `immutable`: read-only, without locks or
    // WAL files (SQLite's immutable=1), for a full disk.
    [[nodiscard]] static Result<std::unique_ptr<SqliteConnection>> connect(
        const QString &file, const QString &what, const Options &options, bool immutable);
    QSqlDatabase db() const;

    QString m_name;
    QString m_file;
    QString m_what;
    int m_busyTimeoutMs = 0;
    bool m_inTransaction = false;
    bool m_immutable = false; // connect(immutable): the disk was full or mounted read-only
    bool m_readOnlyFs = false; // the database's file system is mounted read-only
};

// Runs `step` inside `transaction` (one of a connection's transactions, or a store's change)
// and returns its value.
template<typename T>
[[nodiscard]] Result<T> valueIn(
    const std::function<Result<void>(const std::function<Result<void>()> &body)> &transaction,
    const std::function<Result<T>()> &step)
{
    T value {};
    auto done = transaction([&]() -> Result<void> {
        auto result = step();
        if (!result)
            return fail(result.error());
        value = std::move(*result);
        return {};
    });
    if (!done)
        return fail(done.error());
    return value;
}

// The folder of a store opened on `dir`, absolute and clean; an empty `dir` is refused.
[[nodiscard]] Result<QString> storeFolder(const QString &dir);

} // namespace tfjs
