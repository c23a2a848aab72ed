#include "pgconnection.h"

#include <QScopeGuard>
#include <QSqlDriver>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>
#include <QRegularExpression>

#include <libpq-fe.h>

namespace tfjs {

namespace {

// The team store's tables live in their own schema, so a database can hold other things too.
const QString kSchema = QStringLiteral("tfjs");
// pg_advisory_xact_lock key of a store's changes: "tfjs" in ASCII.
constexpr qint64 kStoreLockKey = 0x74666a73;

// libpq's quoting for a key=value connection string value.
QString quoteValue(QString value)
{
    value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    value.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

bool connectionLost(const QString &state, const QString &text)
{
    return state.startsWith(QLatin1String("08")) || state == QLatin1String("57P01")
        || state == QLatin1String("57P02") || state == QLatin1String("57P03")
        || (state.isEmpty()
            && (text.contains(QLatin1String("server closed the connection"))
                || text.contains(QLatin1String("no connection to the server"))
                || text.contains(QLatin1String("connection to server"))));
}

QString firstLine(const QString &text)
{
    return text.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
}

struct ResultFree
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

} // namespace

PgConnection::~PgConnection()
{
    if (m_name.isEmpty())
        return;
    {
        QSqlDatabase database = QSqlDatabase::database(m_name, false);
        if (database.isOpen()) {
            if (m_inTransaction)
                QSqlQuery(QStringLiteral("ROLLBACK"), database);
            m_failedStatements.clear();
            database.close();
        }
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase PgConnection::db() const
{
    return QSqlDatabase::database(m_name, false);
}

void *PgConnection::pgconn() const
{
    const QVariant handle = db().driver()->handle();
    if (!handle.isValid() || !handle.constData())
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

QString PgConnection::displayUri(const QString &uri)
{
    const QString trimmed = uri.trimmed();
    if (trimmed.startsWith(QLatin1String("postgresql://")) || trimmed.startsWith(QLatin1String("postgres://"))) {
        QUrl url(trimmed);
        url.setPassword({});
        QUrlQuery query(url);
        query.removeAllQueryItems(QStringLiteral("password"));
        url.setQuery(query);
        return url.toString();
    }
    static const QRegularExpression password(QStringLiteral("password\\s*=\\s*('([^'\\\\]|\\\\.)*'|\\S*)"));
    QString out = trimmed;
    out.replace(password, QStringLiteral("password=***"));
    return out;
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const QString &uri, const QString &password,
                                                         int lockTimeoutMs)
{
    if (uri.trimmed().isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("No team store is configured: give --team URI or set TFJS_TEAM "
                                   "to a PostgreSQL connection URI (postgresql://user@host/database)."));
    const QString shown = displayUri(uri);
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(uri.trimmed().toUtf8().constData(), &parseError);
    if (!options) {
        const QString why = parseError ? firstLine(QString::fromUtf8(parseError)) : QStringLiteral("out of memory");
        PQfreemem(parseError);
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The team store URI '%1' is not a PostgreSQL connection string: %2")
                        .arg(shown, why));
    }
    const auto freeOptions = qScopeGuard([options] { PQconninfoFree(options); });

    std::unique_ptr<PgConnection> connection(new PgConnection);
    connection->m_where = QStringLiteral("the team store %1").arg(shown);
    connection->m_lockTimeoutMs = lockTimeoutMs;
    connection->m_name = QStringLiteral("tfjs-team-") + QUuid::createUuid().toString(QUuid::Id128);
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection->m_name);
    if (!database.isValid())
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("The QPSQL driver of QtSql is not available (Debian package "
                                   "libqt6sql6-psql), so %1 cannot be opened.")
                        .arg(connection->m_where));
    QStringList extra;
    bool timeoutGiven = false;
    bool nameGiven = false;
    for (const PQconninfoOption *option = options; option->keyword; ++option) {
        if (!option->val)
            continue;
        const QString key = QString::fromUtf8(option->keyword);
        const QString value = QString::fromUtf8(option->val);
        if (key == QLatin1String("host"))
            database.setHostName(value);
        else if (key == QLatin1String("port"))
            database.setPort(value.toInt());
        else if (key == QLatin1String("user"))
            database.setUserName(value);
        else if (key == QLatin1String("password"))
            database.setPassword(value);
        else if (key == QLatin1String("dbname"))
            database.setDatabaseName(value);
        else {
            if (value.contains(QLatin1Char(';')))
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("The team store URI '%1' has a ';' in its %2 option, "
                                           "which QtSql's PostgreSQL driver cannot pass on.")
                                .arg(shown, key));
            timeoutGiven |= key == QLatin1String("connect_timeout");
            nameGiven |= key == QLatin1String("application_name");
            extra << key + QLatin1Char('=') + quoteValue(value);
        }
    }
    if (!timeoutGiven)
        extra << QStringLiteral("connect_timeout=10");
    if (!nameGiven)
        extra << QStringLiteral("application_name=tfjs-model-manager");
    if (!password.isEmpty())
        database.setPassword(password);
    database.setConnectOptions(extra.join(QLatin1Char(';')));
    if (!database.open()) {
        const QString text = firstLine(database.lastError().databaseText().isEmpty()
                                           ? database.lastError().driverText()
                                           : database.lastError().databaseText());
        Error error{ErrorCode::Network,
                    QStringLiteral("Cannot connect to %1: %2").arg(connection->m_where, text)};
        if (text.contains(QLatin1String("password")) || text.contains(QLatin1String("authentication")))
            error.code = ErrorCode::Store;
        error.url = shown;
        error.detail = text;
        return fail(error);
    }
    for (const QString &setting :
         {QStringLiteral("SET lock_timeout = %1").arg(lockTimeoutMs),
          QStringLiteral("SET search_path TO %1").arg(kSchema),
          QStringLiteral("SET client_min_messages = warning")}) {
        if (auto set = connection->exec(setting); !set)
            return fail(set.error());
    }
    return connection;
}

Error PgConnection::errorFor(const QString &state, const QString &rawText, const QString &doing) const
{
    const QString text = firstLine(rawText);
    Error out{ErrorCode::Store, {}};
    out.url = m_where.mid(QStringLiteral("the team store ").size());
    out.detail = text;
    if (state == QLatin1String("42501")) {
        out.message = QStringLiteral("Permission denied by %1 while %2: %3.").arg(m_where, doing, text);
    } else if (state == QLatin1String("55P03") || state == QLatin1String("40P01")
               || state == QLatin1String("40001")) {
        out.message = QStringLiteral("%1 is busy: another client is changing it (gave up after "
                                     "waiting %2 ms while %3).")
                          .arg(m_where)
                          .arg(m_lockTimeoutMs)
                          .arg(doing);
        out.message[0] = out.message[0].toUpper();
    } else if (connectionLost(state, text)) {
        out.code = ErrorCode::Network;
        out.message = QStringLiteral("The connection to %1 was lost while %2 (%3); nothing of "
                                     "this operation was kept.")
                          .arg(m_where, doing, text);
    } else if (state == QLatin1String("53100")) {
        out.code = ErrorCode::Io;
        out.message = QStringLiteral("The disk of the database server of %1 is full (while %2): %3.")
                          .arg(m_where, doing, text);
    } else if (state == QLatin1String("3D000") || state == QLatin1String("3F000")) {
        out.message = QStringLiteral("%1 does not exist: %2.").arg(m_where, text);
        out.message[0] = out.message[0].toUpper();
    } else {
        out.message = QStringLiteral("%1 failed while %2: %3%4.")
                          .arg(m_where, doing, text,
                               state.isEmpty() ? QString() : QStringLiteral(" (SQLSTATE %1)").arg(state));
        out.message[0] = out.message[0].toUpper();
    }
    return out;
}

Error PgConnection::sqlError(const QSqlError &error, const QString &doing) const
{
    const QString text = error.databaseText().isEmpty() ? error.driverText() : error.databaseText();
    return errorFor(error.nativeErrorCode(), text, doing);
}

Result<QSqlQuery> PgConnection::exec(const QString &sql, const QVariantList &params)
{
    QSqlQuery query(db());
    query.setForwardOnly(true);
    const QString doing = QStringLiteral("running '%1'").arg(sql.left(60));
    if (params.isEmpty()) {
        if (!query.exec(sql))
            return fail(sqlError(query.lastError(), doing));
    } else {
        if (!query.prepare(sql))
            return fail(sqlError(query.lastError(), doing));
        for (const QVariant &param : params)
            query.addBindValue(param);
        if (!query.exec()) {
            const Error error = sqlError(query.lastError(), doing);
            if (m_inTransaction) // its DEALLOCATE would fail in the aborted transaction
                m_failedStatements.push_back(std::move(query));
            return fail(error);
        }
    }
    return query;
}

Result<void> PgConnection::transaction(const std::function<Result<void>()> &body, const QString &mode)
{
    Q_ASSERT(!m_inTransaction);
    if (auto begin = exec(mode.isEmpty() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN ") + mode);
        !begin)
        return fail(begin.error());
    m_inTransaction = true;
    auto done = body();
    if (done) {
        if (auto commit = exec(QStringLiteral("COMMIT")); !commit)
            done = fail(commit.error());
    } else {
        QSqlQuery(QStringLiteral("ROLLBACK"), db());
    }
    m_inTransaction = false;
    m_failedStatements.clear();
    return done;
}

Result<int> PgConnection::execBytes(const QString &sql, const QList<QByteArray> &params, int bytesIndex,
                                    const QString &doing)
{
    auto *conn = static_cast<PGconn *>(pgconn());
    if (!conn)
        return fail(errorFor({}, QStringLiteral("no connection to the server"), doing));
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (qsizetype i = 0; i < params.size(); ++i) {
        values.push_back(params[i].constData());
        lengths.push_back(int(params[i].size()));
        formats.push_back(i == bytesIndex ? 1 : 0);
    }
    const QByteArray text = sql.toUtf8();
    PgResult result(PQexecParams(conn, text.constData(), int(params.size()), nullptr, values.data(),
                                 lengths.data(), formats.data(), 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char *state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
        return fail(errorFor(QString::fromLatin1(state ? state : ""),
                             QString::fromUtf8(result ? PQresultErrorMessage(result.get())
                                                      : PQerrorMessage(conn)),
                             doing));
    }
    return QByteArray(PQcmdTuples(result.get())).toInt();
}

Result<QByteArray> PgConnection::bytes(const QString &sql, const QList<QByteArray> &params,
                                       const QString &doing)
{
    auto *conn = static_cast<PGconn *>(pgconn());
    if (!conn)
        return fail(errorFor({}, QStringLiteral("no connection to the server"), doing));
    std::vector<const char *> values;
    for (const QByteArray &param : params)
        values.push_back(param.constData());
    const QByteArray text = sql.toUtf8();
    PgResult result(PQexecParams(conn, text.constData(), int(params.size()), nullptr, values.data(),
                                 nullptr, nullptr, 1));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK) {
        const char *state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
        return fail(errorFor(QString::fromLatin1(state ? state : ""),
                             QString::fromUtf8(result ? PQresultErrorMessage(result.get())
                                                      : PQerrorMessage(conn)),
                             doing));
    }
    if (PQntuples(result.get()) < 1)
        return fail(ErrorCode::NotFound, QStringLiteral("%1 has no row for %2.").arg(m_where, doing));
    return QByteArray(PQgetvalue(result.get(), 0, 0), PQgetlength(result.get(), 0, 0));
}

Result<void> PgConnection::lockStore()
{
    auto locked = exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kStoreLockKey));
    if (!locked)
        return fail(locked.error());
    return {};
}

Result<int> PgConnection::schemaVersion()
{
    // The catalog itself, not to_regclass(): that answers from this session's catalog cache,
    // which still says "no such table" after another client made the store while this
    // transaction waited for the store's lock.
    auto exists = scalar(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                                        "n.oid = c.relnamespace WHERE n.nspname = ? AND "
                                        "c.relname = 'schema_version'"),
                         {kSchema});
    if (!exists)
        return fail(exists.error());
    if (exists->toInt() == 0)
        return 0;
    auto version = scalar(QStringLiteral("SELECT max(version) FROM schema_version"));
    if (!version)
        return fail(version.error());
    return version->toInt();
}

Result<void> PgConnection::migrate(const std::vector<Migration> &migrations)
{
    const int latest = int(migrations.size());
    const auto newer = [&](int version) {
        Error error{ErrorCode::Store,
                    QStringLiteral("The schema of %1 has version %2, newer than this program "
                                   "supports (%3); it was left untouched. Use a newer TFJS Model "
                                   "Manager to open it.")
                        .arg(m_where)
                        .arg(version)
                        .arg(latest)};
        return error;
    };
    auto current = schemaVersion();
    if (!current)
        return fail(current.error());
    if (*current == latest)
        return {};
    if (*current > latest)
        return fail(newer(*current));
    return transaction([&]() -> Result<void> {
        if (auto locked = lockStore(); !locked)
            return locked;
        auto version = schemaVersion(); // another client may have migrated meanwhile
        if (!version)
            return fail(version.error());
        if (*version > latest)
            return fail(newer(*version));
        if (*version == 0) {
            auto tables = scalar(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = ?"),
                                 {kSchema});
            if (!tables)
                return fail(tables.error());
            if (tables->toInt() > 0)
                return fail(ErrorCode::Store,
                            QStringLiteral("The schema '%1' of %2 holds tables but no "
                                           "schema_version: it is not a TFJS Model Manager team "
                                           "store, and was left untouched.")
                                .arg(kSchema, m_where));
            if (auto made = execAll({QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(kSchema),
                                     QStringLiteral("CREATE TABLE schema_version (version integer NOT NULL)"),
                                     QStringLiteral("INSERT INTO schema_version (version) VALUES (0)")});
                !made)
                return made;
        }
        for (int step = *version; step < latest; ++step) {
            if (auto done = migrations[std::size_t(step)](*this); !done)
                return done;
        }
        auto stored = exec(QStringLiteral("UPDATE schema_version SET version = ?"), {latest});
        if (!stored)
            return fail(stored.error());
        return {};
    });
}

} // namespace tfjs
