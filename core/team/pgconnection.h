#pragma once

#include "io/sqlsession.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace tfjs {

// One connection to a PostgreSQL database through QtSql's QPSQL driver, owned by one thread
// for its whole life (QtSql's rule). Every failure becomes an Error that names the store (its
// URI without password) and says what PostgreSQL said, classified by SQLSTATE: permission
// denied, locked, connection lost, disk full, ... Weight bytes go through the driver's libpq
// connection in binary (putBytes, bytes): QPSQL sends bytea as escaped text, which measured
// 5.5x slower (54 vs 299 MiB/s for 1 MiB rows on a local server).
class PgConnection final : public SqlSession
{
public:
    static constexpr int kLockTimeoutMs = 30000;

    ~PgConnection() override;
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // Connects to `uri`: a libpq connection URI (postgresql://user@host:port/db?sslmode=...)
    // or key=value string. `password` when the user typed one; empty: libpq's own places
    // (PGPASSWORD, ~/.pgpass). Waits at most `lockTimeoutMs` for another client's locks.
    [[nodiscard]] static Result<std::unique_ptr<PgConnection>> open(
        const QString &uri, const QString &password = {}, int lockTimeoutMs = kLockTimeoutMs);
    // The URI as users may see it: any password taken out.
    static QString displayUri(const QString &uri);
    // "the team store <displayUri>", for messages.
    QString where() const { return m_where; }

    [[nodiscard]] Result<QSqlQuery> exec(const QString &sql, const QVariantList &params = {}) override;
    Error sqlError(const QSqlError &error, const QString &doing) const override;

    // BEGIN (with `mode`, e.g. "ISOLATION LEVEL REPEATABLE READ READ ONLY"), `body`, COMMIT;
    // any error from `body` or the commit rolls everything back.
    [[nodiscard]] Result<void> transaction(const std::function<Result<void>()> &body,
                                           const QString &mode = {});
    bool inTransaction() const { return m_inTransaction; }

    // Binary parameters and results through libpq. `sql` takes $1..$n; `params` are text
    // except the one at `bytesIndex`, which is sent as bytea.
    [[nodiscard]] Result<int> execBytes(const QString &sql, const QList<QByteArray> &params,
                                        int bytesIndex, const QString &doing);
    // The bytea of the first column of the first row of `sql` ($1..$n text parameters); a
    // missing row is NotFound with `doing` in its message.
    [[nodiscard]] Result<QByteArray> bytes(const QString &sql, const QList<QByteArray> &params,
                                           const QString &doing);

    // Brings the schema to `migrations.size()` in one transaction under the store's lock,
    // as SqliteConnection::migrate does; refuses a newer schema.
    using Migration = std::function<Result<void>(PgConnection &)>;
    [[nodiscard]] Result<void> migrate(const std::vector<Migration> &migrations);
    // The stored schema version; 0 when the store's tables do not exist yet.
    [[nodiscard]] Result<int> schemaVersion();
    // Serialises the store's changes (and its garbage collection) until the transaction ends.
    [[nodiscard]] Result<void> lockStore();

    // The error for SQLSTATE `state` with PostgreSQL's message `text`.
    Error errorFor(const QString &state, const QString &text, const QString &doing) const;

private:
    PgConnection() = default;
    QSqlDatabase db() const;
    void *pgconn() const;

    QString m_name;
    QString m_where;
    int m_lockTimeoutMs = kLockTimeoutMs;
    bool m_inTransaction = false;
    std::vector<QSqlQuery> m_failedStatements; // freed once their transaction has ended
};

} // namespace tfjs
