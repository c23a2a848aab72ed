#include "sqliteconnection.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>
#include <QThread>
#include <QUrl>
#include <QUuid>

namespace tfjs {

namespace {

// SQLite primary result codes (sqlite3.h); Qt reports them as the native error code.
enum SqliteCode {
    kBusy = 5,
    kLocked = 6,
    kReadOnly = 8,
    kIoErr = 10,
    kCorrupt = 11,
    kFull = 13,
    kCantOpen = 14,
    kNotADb = 26,
};

constexpr unsigned long kBusyRetryMs = 10;

// Less room than this counts as a full disk: a WAL reader needs a 32 KiB -shm file. A writer
// is refused up front below kWriterNeedsBytes (the -shm file and a few WAL pages), before
// SQLite makes WAL files it then cannot fill.
constexpr qint64 kFullBelowBytes = 1 << 20;
constexpr qint64 kWriterNeedsBytes = 64 << 10;

bool diskFull(const QString &path, qint64 below = kFullBelowBytes)
{
    const QStorageInfo storage(QFileInfo(path).absolutePath());
    return storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < below;
}

// The file system holding `path` (or its nearest existing folder) is mounted read-only.
bool onReadOnlyFileSystem(const QString &path)
{
    QFileInfo at(path);
    while (!at.exists() && !at.isRoot() && at.absolutePath() != at.absoluteFilePath())
        at = QFileInfo(at.absolutePath());
    const QStorageInfo storage(at.absoluteFilePath());
    return storage.isValid() && storage.isReadOnly();
}

// Nothing committed waits in the WAL: the database file alone is the store.
bool walIsEmpty(const QString &file)
{
    const QFileInfo wal(file + QStringLiteral("-wal"));
    return !wal.exists() || wal.size() == 0;
}

bool isBusy(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    return ok && (code == kBusy || code == kLocked);
}

} // namespace

SqliteConnection::~SqliteConnection()
{
    if (m_name.isEmpty())
        return;
    {
        QSqlDatabase database = QSqlDatabase::database(m_name, false);
        if (database.isOpen()) {
            if (m_inTransaction)
                QSqlQuery(QStringLiteral("ROLLBACK"), database);
            database.close();
        }
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase SqliteConnection::db() const
{
    return QSqlDatabase::database(m_name, false);
}

std::optional<Error> SqliteConnection::immutableError() const
{
    if (!m_immutable && !m_readOnlyFs)
        return std::nullopt;
    Error out{ErrorCode::Io,
              m_readOnlyFs ? QStringLiteral("The %1 %2 is on a read-only file system: its models "
                                            "can be read but not saved, moved or removed.")
                                 .arg(m_what, m_file)
                           : QStringLiteral("The disk holding the %1 %2 is full: its models can "
                                            "be read but not saved, moved or removed.")
                                 .arg(m_what, m_file)};
    out.path = m_file;
    return out;
}

Error SqliteConnection::sqlError(const QSqlError &error, const QString &doing) const
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    const QString sqliteText = error.driverText().isEmpty() ? error.databaseText()
                                                            : error.databaseText().isEmpty()
                                                                  ? error.driverText()
                                                                  : error.databaseText();
    Error out;
    out.path = m_file;
    out.detail = sqliteText;
    out.code = ErrorCode::Store;
    switch (ok ? code : -1) {
    case kBusy:
    case kLocked:
        out.message = QStringLiteral("The %1 %2 is locked by another process that is changing "
                                     "it (gave up after waiting %3 ms).")
                          .arg(m_what, m_file)
                          .arg(m_busyTimeoutMs);
        break;
    case kReadOnly:
        if (m_immutable || m_readOnlyFs) {
            out = *immutableError();
            out.detail = sqliteText;
            break;
        }
        out.message = QStringLiteral("The %1 %2 is read-only: its models can be read but not "
                                     "saved, moved or removed.")
                          .arg(m_what, m_file);
        break;
    case kCorrupt:
    case kNotADb:
        out.message = QStringLiteral("The %1 %2 is corrupt or is not a SQLite database (%3); it "
                                     "was left untouched. Move it aside to start a new store.")
                          .arg(m_what, m_file, sqliteText);
        break;
    case kCantOpen:
        out.message = QStringLiteral("Cannot open the %1 %2: %3.").arg(m_what, m_file, sqliteText);
        break;
    case kFull:
        out.code = ErrorCode::Io;
        out.message = QStringLiteral("The disk holding the %1 %2 is full (while %3).")
                          .arg(m_what, m_file, doing);
        break;
    case kIoErr:
        out.code = ErrorCode::Io;
        out.message = diskFull(m_file)
            ? QStringLiteral("The disk holding the %1 %2 is full (while %3: %4).")
                  .arg(m_what, m_file, doing, sqliteText)
            : QStringLiteral("Input/output error on the %1 %2 while %3: %4.")
                  .arg(m_what, m_file, doing, sqliteText);
        break;
    default:
        out.message = QStringLiteral("The %1 %2 failed while %3: %4.")
                          .arg(m_what, m_file, doing, sqliteText);
        break;
    }
    return out;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::connect(const QString &file,
                                                                    const QString &what,
                                                                    const Options &options,
                                                                    bool immutable)
{
    std::unique_ptr<SqliteConnection> connection(new SqliteConnection);
    connection->m_file = file;
    connection->m_what = what;
    connection->m_busyTimeoutMs = options.busyTimeoutMs;
    connection->m_immutable = immutable;
    connection->m_name = QStringLiteral("tfjs-store-") + QUuid::createUuid().toString(QUuid::Id128);
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection->m_name);
    if (!database.isValid())
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("The QSQLITE driver of QtSql is not available, so the %1 "
                                   "cannot be opened.")
                        .arg(what));
    if (immutable) {
        // Read-only, without locks or WAL files: the file as it stands (SQLite's immutable=1).
        database.setDatabaseName(QUrl::fromLocalFile(file).toString(QUrl::FullyEncoded)
                                 + QStringLiteral("?immutable=1"));
        database.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI;QSQLITE_OPEN_READONLY"));
    } else {
        database.setDatabaseName(file);
        database.setConnectOptions(
            QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs));
    }
    if (!database.open())
        return fail(connection->sqlError(database.lastError(), QStringLiteral("opening it")));
    return connection;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const QString &file,
                                                                 const QString &what,
                                                                 const Options &options)
{
    auto opened = connect(file, what, options, false);
    if (!opened)
        return fail(opened.error());
    std::unique_ptr<SqliteConnection> connection = std::move(*opened);
    // The encoding only takes effect while the file is still empty; it must precede anything
    // that writes the header (such as switching the journal mode).
    if (!options.encoding.isEmpty()) {
        if (auto set = connection->exec(QStringLiteral("PRAGMA encoding = '%1'").arg(options.encoding));
            !set)
            return fail(set.error());
    }
    auto mode = connection->scalar(QStringLiteral("PRAGMA journal_mode"));
    if (!mode)
        return fail(mode.error());
    if (mode->toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        auto wal = connection->scalar(QStringLiteral("PRAGMA journal_mode = WAL"));
        if (!wal)
            return fail(wal.error());
    }
    // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits,
    // which at worst leaves a weight blob unreferenced (collected later).
    if (auto sync = connection->exec(QStringLiteral("PRAGMA synchronous = NORMAL")); !sync)
        return fail(sync.error());
    return connection;
}

Result<QSqlQuery> SqliteConnection::exec(const QString &sql, const QVariantList &params)
{
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return fail(sqlError(query.lastError(), QStringLiteral("preparing a statement")));
    for (const QVariant &param : params)
        query.addBindValue(param);
    // SQLite returns "busy" without waiting where waiting could deadlock (a reader upgrading to
    // a writer, a journal-mode switch racing a store's creation). Outside a transaction nothing
    // was applied, so the statement is tried again until the busy timeout has passed.
    const QDeadlineTimer deadline(m_busyTimeoutMs);
    while (!query.exec()) {
        if (m_inTransaction || !isBusy(query.lastError()) || deadline.hasExpired())
            return fail(sqlError(query.lastError(), QStringLiteral("running '%1'").arg(sql.left(60))));
        QThread::msleep(kBusyRetryMs);
    }
    if (!query.isSelect())
        query.finish();
    return query;
}

Result<void> SqliteConnection::writeTransaction(const std::function<Result<void>()> &body)
{
    Q_ASSERT(!m_inTransaction);
    if (auto begin = exec(QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return fail(begin.error());
    m_inTransaction = true;
    auto done = body();
    if (done) {
        if (auto commit = exec(QStringLiteral("COMMIT")); !commit)
            done = fail(commit.error());
        else {
            m_inTransaction = false;
            return {};
        }
    }
    QSqlQuery(QStringLiteral("ROLLBACK"), db());
    m_inTransaction = false;
    return done;
}

Result<void> SqliteConnection::writeTransaction(Durability durability,
                                              const std::function<Result<void>()> &body)
{
    if (durability == Durability::Relaxed)
        return writeTransaction(body);
    if (auto full = exec(QStringLiteral("PRAGMA synchronous = FULL")); !full)
        return fail(full.error());
    auto done = writeTransaction(body);
    (void)exec(QStringLiteral("PRAGMA synchronous = NORMAL")); // the connection's default again
    return done;
}

Result<void> SqliteConnection::readTransaction(const std::function<Result<void>()> &body)
{
    Q_ASSERT(!m_inTransaction);
    if (auto begin = exec(QStringLiteral("BEGIN")); !begin)
        return fail(begin.error());
    m_inTransaction = true;
    auto done = body();
    QSqlQuery(done ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"), db());
    m_inTransaction = false;
    return done;
}

Result<int> SqliteConnection::schemaVersion()
{
    auto hasTable = scalar(QStringLiteral(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"));
    if (!hasTable)
        return fail(hasTable.error());
    if (hasTable->toInt() == 0)
        return 0;
    auto version = scalar(QStringLiteral("SELECT max(version) FROM schema_version"));
    if (!version)
        return fail(version.error());
    return version->toInt();
}

Result<void> SqliteConnection::migrate(const std::vector<Migration> &migrations)
{
    const int latest = int(migrations.size());
    const auto newer = [&](int version) {
        Error error{ErrorCode::Store,
                    QStringLiteral("The %1 %2 has schema version %3, newer than this program "
                                   "supports (%4); it was left untouched. Use a newer TFJS Model "
                                   "Manager to open it.")
                        .arg(m_what, m_file)
                        .arg(version)
                        .arg(latest)};
        error.path = m_file;
        return error;
    };
    auto current = schemaVersion();
    if (!current)
        return fail(current.error());
    if (*current == latest)
        return {};
    if (*current > latest)
        return fail(newer(*current));
    return writeTransaction([&]() -> Result<void> {
        // Another process may have migrated while we waited for the lock.
        auto version = schemaVersion();
        if (!version)
            return fail(version.error());
        if (*version > latest)
            return fail(newer(*version));
        if (*version == 0) {
            auto tables = scalar(QStringLiteral(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"));
            if (!tables)
                return fail(tables.error());
            if (tables->toInt() > 0) {
                Error error{ErrorCode::Store,
                            QStringLiteral("The file %1 is a SQLite database but not a TFJS Model "
                                           "Manager %2 (it has no schema_version table); it was "
                                           "left untouched.")
                                .arg(m_file, m_what)};
                error.path = m_file;
                return fail(error);
            }
            if (auto made = exec(QStringLiteral("CREATE TABLE schema_version (version INTEGER "
                                                "NOT NULL)"));
                !made)
                return fail(made.error());
            if (auto row = exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (0)"));
                !row)
                return fail(row.error());
        }
        for (int step = *version; step < latest; ++step) {
            if (auto migrated = migrations[std::size_t(step)](*this); !migrated)
                return migrated;
        }
        if (auto set = exec(QStringLiteral("UPDATE schema_version SET version = ?"), {latest}); !set)
            return fail(set.error());
        return {};
    });
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::openStore(
    const QString &folder, const QString &file, const QString &what, const Options &options,
    const std::vector<Migration> &migrations, bool create)
{
    if (!create && !QFileInfo::exists(file))
        return std::unique_ptr<SqliteConnection>();
    const bool readOnlyFs = onReadOnlyFileSystem(folder);
    if (create && readOnlyFs) {
        Error error{ErrorCode::Io, QStringLiteral("The %1 %2 is on a read-only file system: its models "
                                                  "can be read but not saved, moved or removed.")
                                       .arg(what, file)};
        error.path = file;
        return fail(error);
    }
    if (!QDir().mkpath(folder)) {
        Error error{ErrorCode::Io, QStringLiteral("Cannot create the store folder %1.").arg(folder)};
        error.path = folder;
        return fail(error);
    }
    // Reading a full disk or a read-only file system: the WAL files could not be made (and on
    // a full disk trying would leave them behind).
    const bool readImmutable = !create && (diskFull(file) || readOnlyFs) && walIsEmpty(file);
    if (create && diskFull(file, kWriterNeedsBytes) && walIsEmpty(file)
        && !QFileInfo::exists(file + QStringLiteral("-shm"))) {
        Error error{ErrorCode::Io,
                    QStringLiteral("The disk holding the %1 %2 is full (less than %3 KiB free): "
                                   "nothing can be saved, moved or removed there until space is "
                                   "freed; its models can still be read.")
                        .arg(what, file)
                        .arg(kWriterNeedsBytes / 1024)};
        error.path = file;
        return fail(error);
    }
    auto connection = readImmutable ? connect(file, what, options, true) : open(file, what, options);
    if (!connection)
        return fail(connection.error());
    (*connection)->m_readOnlyFs = readOnlyFs;
    if (auto migrated = (*connection)->migrate(migrations); !migrated)
        return fail(migrated.error());
    return connection;
}

Result<QString> storeFolder(const QString &dir)
{
    if (dir.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The store folder is empty."));
    return QDir::cleanPath(QDir(dir).absolutePath());
}

Result<void> SqliteConnection::openStoreOnce(std::unique_ptr<SqliteConnection> &db,
                                             const QString &folder, const QString &file,
                                             const QString &what, const Options &options,
                                             const std::vector<Migration> &migrations, bool create)
{
    if (db)
        return {};
    auto connection = openStore(folder, file, what, options, migrations, create);
    if (!connection)
        return fail(connection.error());
    db = std::move(*connection);
    return {};
}

} // namespace tfjs
