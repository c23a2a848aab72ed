// SqliteConnection: one QSQLITE connection of a store. WAL and the options it opens with,
// bound parameters, write and read transactions, stepwise migrations, and what each SQLite
// failure becomes: a file that is not a database, a foreign or newer database, a lock held by
// another connection, a read-only file, a missing folder, a full disk.
#include "io/sqliteconnection.h"
#include "smalltmpfs.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSemaphore>
#include <QThread>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <unistd.h>

using namespace tfjs;
using namespace tfjs::test;

namespace {

const QString kWhat = QStringLiteral("test store");

std::unique_ptr<SqliteConnection> openOrDie(const QString &file, int busyTimeoutMs = 10000,
                                            const QString &encoding = {})
{
    auto connection = SqliteConnection::open(file, kWhat, {busyTimeoutMs, encoding});
    if (!connection)
        qFatal("cannot open %s: %s", qPrintable(file), qPrintable(connection.error().toString()));
    return std::move(*connection);
}

QVariant scalarOrDie(SqliteConnection &connection, const QString &sql)
{
    auto value = connection.scalar(sql);
    if (!value)
        qFatal("%s failed: %s", qPrintable(sql), qPrintable(value.error().toString()));
    return *value;
}

int rows(SqliteConnection &connection)
{
    return scalarOrDie(connection, QStringLiteral("SELECT count(*) FROM t")).toInt();
}

// Migrations that each create one table and count their runs.
std::vector<SqliteConnection::Migration> countingMigrations(int count, std::vector<int> &runs)
{
    std::vector<SqliteConnection::Migration> out;
    for (int i = 0; i < count; ++i) {
        out.push_back([i, &runs](SqliteConnection &connection) -> Result<void> {
            runs.push_back(i + 1);
            return connection.execAll({QStringLiteral("CREATE TABLE v%1 (x)").arg(i + 1)});
        });
    }
    return out;
}

QStringList tables(SqliteConnection &connection)
{
    QStringList out;
    auto query = connection.exec(
        QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    while (query && query->next())
        out << query->value(0).toString();
    return out;
}

// Makes `file` unwritable for this process: chattr +i as root (modes do not stop root), else
// its mode. False when that is not possible here.
bool makeReadOnly(const QString &file, bool readOnly)
{
    if (::geteuid() == 0)
        return QProcess::execute(QStringLiteral("chattr"),
                                 {readOnly ? QStringLiteral("+i") : QStringLiteral("-i"), file})
               == 0;
    return QFile::setPermissions(file, readOnly ? QFile::ReadOwner
                                                : QFile::ReadOwner | QFile::WriteOwner);
}

// Another connection (own thread, plain QSQLITE, rollback journal) holds a file's write lock
// for `holdMs`, as a process creating a store does while it switches the file to WAL. SQLite
// answers a journal-mode switch meanwhile with "busy" at once, without its busy handler.
class WriteLockHolder
{
public:
    WriteLockHolder(const QString &file, int holdMs)
    {
        m_thread = std::thread([this, file, holdMs] {
            const QString name = QStringLiteral("holder-%1").arg(quintptr(this));
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(file);
                const bool opened = db.open();
                QSqlQuery(QStringLiteral("CREATE TABLE IF NOT EXISTS t (k)"), db);
                m_locked = opened && QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"));
                m_ready.release();
                QThread::msleep(holdMs);
                QSqlQuery(QStringLiteral("ROLLBACK"), db);
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
        });
        m_ready.acquire();
    }
    ~WriteLockHolder() { m_thread.join(); }
    bool locked() const { return m_locked; }

private:
    QSemaphore m_ready;
    bool m_locked = false;
    std::thread m_thread;
};

} // namespace

class TestSqliteConnection : public QObject
{
    Q_OBJECT

private slots:
    void opensInWalMode();
    void encodingOfANewFile();
    void boundParameters_data();
    void boundParameters();
    void scalarWithoutRow();
    void statementErrors_data();
    void statementErrors();
    void writeTransactionCommits();
    void failedBodyRollsBack();
    void strictCommitSyncsFully();
    void readTransactionSeesOneSnapshot();
    void migratesStepwise();
    void failedMigrationChangesNothing();
    void newerSchema();
    void foreignDatabase();
    void notADatabase_data();
    void notADatabase();
    void lockedByAnotherConnection();
    void readOnlyFile();
    void missingFolder();
    void openStoreCreatesFolderAndMigrates();
    void openStoreForReadingCreatesNothing();
    void openStoreFolderUnderAFile();
    void storeFolderIsAbsoluteAndClean();
    void diskFull();
    void readsAFullDisk();
    void classifiesSqliteCodes_data();
    void classifiesSqliteCodes();
    void connectionGoesWithTheObject();
    void journalSwitchWaitsForACreator();
    void journalSwitchGivesUpAfterTheTimeout();
};

void TestSqliteConnection::opensInWalMode()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = openOrDie(file);
    QCOMPARE(connection->file(), file);
    QVERIFY(QFileInfo::exists(file));
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA journal_mode")).toString(),
             QStringLiteral("wal"));
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA synchronous")).toInt(), 1); // NORMAL
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA busy_timeout")).toInt(), 10000);
    auto schema = connection->schemaVersion();
    TFJS_VERIFY_OK(schema);
    QCOMPARE(*schema, 0);
}

void TestSqliteConnection::encodingOfANewFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("utf16.sqlite"));
    {
        auto connection = openOrDie(file, 10000, QStringLiteral("UTF-16le"));
        QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA encoding")).toString(),
                 QStringLiteral("UTF-16le"));
        TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)"))); // as a store does
    }
    // A file with content keeps the encoding it was made with.
    auto again = openOrDie(file, 10000, QStringLiteral("UTF-8"));
    QCOMPARE(scalarOrDie(*again, QStringLiteral("PRAGMA encoding")).toString(),
             QStringLiteral("UTF-16le"));
}

void TestSqliteConnection::boundParameters_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::newRow("text with quotes and SQL")
        << QVariant(QStringLiteral("x'); DROP TABLE t; --\""));
    QTest::newRow("unicode") << QVariant(QStringLiteral("модель/模型/🙂"));
    QTest::newRow("percent and underscore") << QVariant(QStringLiteral("%_%"));
    QTest::newRow("integer") << QVariant(qint64(1) << 40);
    QTest::newRow("bytes with a zero") << QVariant(QByteArray("a\0b", 3));
}

void TestSqliteConnection::boundParameters()
{
    QFETCH(QVariant, value);
    QTemporaryDir tmp;
    auto connection = openOrDie(tmp.filePath(QStringLiteral("a.sqlite")));
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k, v)")));
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("INSERT INTO t VALUES (?, ?)"), {1, value}));
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("INSERT INTO t VALUES (?, ?)"), {2, QStringLiteral("other")}));
    auto found = connection->scalar(QStringLiteral("SELECT k FROM t WHERE v = ?"), {value});
    TFJS_VERIFY_OK(found);
    QCOMPARE(found->toInt(), 1);
    auto back = connection->scalar(QStringLiteral("SELECT v FROM t WHERE k = ?"), {1});
    TFJS_VERIFY_OK(back);
    QCOMPARE(*back, value);
    QCOMPARE(rows(*connection), 2);
}

void TestSqliteConnection::scalarWithoutRow()
{
    QTemporaryDir tmp;
    auto connection = openOrDie(tmp.filePath(QStringLiteral("a.sqlite")));
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)")));
    auto none = connection->scalar(QStringLiteral("SELECT k FROM t"));
    TFJS_VERIFY_OK(none);
    QVERIFY(!none->isValid());
}

void TestSqliteConnection::statementErrors_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("message"); // %1: the file
    QTest::newRow("syntax")
        << QStringLiteral("SELEC 1")
        << QStringLiteral("The test store %1 failed while preparing a statement: near \"SELEC\": "
                          "syntax error.");
    QTest::newRow("no such table")
        << QStringLiteral("SELECT * FROM missing")
        << QStringLiteral("The test store %1 failed while preparing a statement: no such table: "
                          "missing.");
    QTest::newRow("constraint")
        << QStringLiteral("INSERT INTO t VALUES (1)")
        << QStringLiteral("The test store %1 failed while running 'INSERT INTO t VALUES (1)': "
                          "UNIQUE constraint failed: t.k.");
}

void TestSqliteConnection::statementErrors()
{
    QFETCH(QString, sql);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->execAll({QStringLiteral("CREATE TABLE t (k PRIMARY KEY)"),
                                        QStringLiteral("INSERT INTO t VALUES (1)")}));
    auto failed = connection->exec(sql);
    TFJS_COMPARE_ERROR(failed, ErrorCode::Store, message.arg(file));
    QCOMPARE(failed.error().path, file);
    // execAll stops at the first failure.
    auto all = connection->execAll({QStringLiteral("INSERT INTO t VALUES (2)"), sql,
                                    QStringLiteral("INSERT INTO t VALUES (3)")});
    TFJS_COMPARE_ERROR(all, ErrorCode::Store, message.arg(file));
    QCOMPARE(rows(*connection), 2);
}

void TestSqliteConnection::writeTransactionCommits()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)")));
    TFJS_VERIFY_OK(connection->writeTransaction([&]() -> Result<void> {
        return connection->execAll({QStringLiteral("INSERT INTO t VALUES (1)"),
                                    QStringLiteral("INSERT INTO t VALUES (2)")});
    }));
    auto other = openOrDie(file);
    QCOMPARE(rows(*other), 2);
}

void TestSqliteConnection::failedBodyRollsBack()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)")));
    auto failed = connection->writeTransaction([&]() -> Result<void> {
        if (auto row = connection->exec(QStringLiteral("INSERT INTO t VALUES (1)")); !row)
            return fail(row.error());
        return fail(ErrorCode::Quota, QStringLiteral("no room"));
    });
    TFJS_COMPARE_ERROR(failed, ErrorCode::Quota, QStringLiteral("no room"));
    QCOMPARE(rows(*connection), 0);
    QCOMPARE(rows(*openOrDie(file)), 0);
    // The connection is out of the transaction: the next one works.
    TFJS_VERIFY_OK(connection->writeTransaction(
        [&]() -> Result<void> { return connection->execAll({QStringLiteral("INSERT INTO t VALUES (2)")}); }));
    QCOMPARE(rows(*openOrDie(file)), 1);
}

void TestSqliteConnection::strictCommitSyncsFully()
{
    QTemporaryDir tmp;
    auto connection = openOrDie(tmp.filePath(QStringLiteral("a.sqlite")));
    int during = -1;
    TFJS_VERIFY_OK(connection->writeTransaction(Durability::Strict, [&]() -> Result<void> {
        during = scalarOrDie(*connection, QStringLiteral("PRAGMA synchronous")).toInt();
        return {};
    }));
    QCOMPARE(during, 2); // FULL
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA synchronous")).toInt(), 1);
    TFJS_VERIFY_OK(connection->writeTransaction(Durability::Relaxed, [&]() -> Result<void> {
        during = scalarOrDie(*connection, QStringLiteral("PRAGMA synchronous")).toInt();
        return {};
    }));
    QCOMPARE(during, 1);
    // A failed strict transaction also leaves NORMAL behind.
    auto failed = connection->writeTransaction(Durability::Strict, []() -> Result<void> {
        return fail(ErrorCode::Io, QStringLiteral("stop"));
    });
    QVERIFY(!failed);
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("PRAGMA synchronous")).toInt(), 1);
}

void TestSqliteConnection::readTransactionSeesOneSnapshot()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto reader = openOrDie(file);
    auto writer = openOrDie(file);
    TFJS_VERIFY_OK(writer->execAll({QStringLiteral("CREATE TABLE t (k)"),
                                    QStringLiteral("INSERT INTO t VALUES (1)")}));
    int before = -1;
    int after = -1;
    TFJS_VERIFY_OK(reader->readTransaction([&]() -> Result<void> {
        before = rows(*reader);
        // Another connection commits meanwhile (WAL: the writer is not blocked by the reader).
        if (auto added = writer->writeTransaction([&]() -> Result<void> {
                return writer->execAll({QStringLiteral("INSERT INTO t VALUES (2)")});
            });
            !added)
            return added;
        after = rows(*reader);
        return {};
    }));
    QCOMPARE(before, 1);
    QCOMPARE(after, 1);
    QCOMPARE(rows(*reader), 2);
}

void TestSqliteConnection::migratesStepwise()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    std::vector<int> runs;
    {
        auto connection = openOrDie(file);
        TFJS_VERIFY_OK(connection->migrate(countingMigrations(1, runs)));
        QCOMPARE(*connection->schemaVersion(), 1);
    }
    QCOMPARE(runs, std::vector<int>{1});
    // A later program adds two steps: only those run, in order.
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->migrate(countingMigrations(3, runs)));
    QCOMPARE(runs, (std::vector<int>{1, 2, 3}));
    QCOMPARE(*connection->schemaVersion(), 3);
    QCOMPARE(tables(*connection),
             (QStringList{QStringLiteral("schema_version"), QStringLiteral("v1"),
                          QStringLiteral("v2"), QStringLiteral("v3")}));
    // Current: nothing runs.
    TFJS_VERIFY_OK(connection->migrate(countingMigrations(3, runs)));
    QCOMPARE(runs.size(), std::size_t(3));
}

void TestSqliteConnection::failedMigrationChangesNothing()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    std::vector<int> runs;
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->migrate(countingMigrations(1, runs)));
    auto steps = countingMigrations(3, runs);
    steps[2] = [](SqliteConnection &c) -> Result<void> {
        return c.execAll({QStringLiteral("CREATE TABLE v3 (x)"), QStringLiteral("NOT SQL")});
    };
    auto failed = connection->migrate(steps);
    TFJS_COMPARE_ERROR(failed, ErrorCode::Store,
                       QStringLiteral("The test store %1 failed while preparing a statement: "
                                      "near \"NOT\": syntax error.")
                           .arg(file));
    QCOMPARE(*connection->schemaVersion(), 1);
    QCOMPARE(tables(*connection), (QStringList{QStringLiteral("schema_version"), QStringLiteral("v1")}));
}

void TestSqliteConnection::newerSchema()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    std::vector<int> runs;
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->migrate(countingMigrations(3, runs)));
    runs.clear();
    auto older = connection->migrate(countingMigrations(2, runs));
    TFJS_COMPARE_ERROR(older, ErrorCode::Store,
                       QStringLiteral("The test store %1 has schema version 3, newer than this "
                                      "program supports (2); it was left untouched. Use a newer "
                                      "TFJS Model Manager to open it.")
                           .arg(file));
    QCOMPARE(older.error().path, file);
    QVERIFY(runs.empty());
    QCOMPARE(*connection->schemaVersion(), 3);
}

void TestSqliteConnection::foreignDatabase()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = openOrDie(file);
    TFJS_VERIFY_OK(connection->execAll({QStringLiteral("CREATE TABLE notes (body)"),
                                        QStringLiteral("INSERT INTO notes VALUES ('mine')")}));
    std::vector<int> runs;
    auto migrated = connection->migrate(countingMigrations(2, runs));
    TFJS_COMPARE_ERROR(migrated, ErrorCode::Store,
                       QStringLiteral("The file %1 is a SQLite database but not a TFJS Model "
                                      "Manager test store (it has no schema_version table); it "
                                      "was left untouched.")
                           .arg(file));
    QVERIFY(runs.empty());
    QCOMPARE(tables(*connection), QStringList{QStringLiteral("notes")});
    QCOMPARE(scalarOrDie(*connection, QStringLiteral("SELECT body FROM notes")).toString(),
             QStringLiteral("mine"));
}

void TestSqliteConnection::notADatabase_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("text") << QByteArray("this is not a database at all, just some text\n").repeated(100);
    QTest::newRow("zeros") << QByteArray(8192, '\0');
    QTest::newRow("a SQLite header and garbage")
        << QByteArray("SQLite format 3\0", 16) + QByteArray(4080, '\x7f');
}

void TestSqliteConnection::notADatabase()
{
    QFETCH(QByteArray, content);
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    QVERIFY(writeFile(file, content));
    auto connection = SqliteConnection::open(file, kWhat, {});
    QVERIFY(!connection);
    QCOMPARE(connection.error().code, ErrorCode::Store);
    QVERIFY2(connection.error().message.startsWith(
                 QStringLiteral("The test store %1 is corrupt or is not a SQLite database (").arg(file)),
             qPrintable(connection.error().message));
    QVERIFY(connection.error().message.endsWith(
        QStringLiteral("); it was left untouched. Move it aside to start a new store.")));
    QCOMPARE(connection.error().message,
             QStringLiteral("The test store %1 is corrupt or is not a SQLite database (%2); it was "
                            "left untouched. Move it aside to start a new store.")
                 .arg(file, connection.error().detail));
    QCOMPARE(connection.error().path, file);
    QCOMPARE(readFile(file), content); // never reset
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{QStringLiteral("a.sqlite")});
}

void TestSqliteConnection::lockedByAnotherConnection()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto holder = openOrDie(file);
    TFJS_VERIFY_OK(holder->execAll({QStringLiteral("CREATE TABLE t (k)"),
                                    QStringLiteral("INSERT INTO t VALUES (1)")}));
    auto connection = openOrDie(file, 100);
    Result<void> blocked;
    TFJS_VERIFY_OK(holder->writeTransaction([&]() -> Result<void> {
        // Readers are not blocked (WAL) ...
        if (rows(*connection) != 1)
            return fail(ErrorCode::Store, QStringLiteral("the reader saw no row"));
        // ... a writer gives up after its busy timeout.
        blocked = connection->writeTransaction([&]() -> Result<void> {
            return connection->execAll({QStringLiteral("INSERT INTO t VALUES (2)")});
        });
        return {};
    }));
    TFJS_COMPARE_ERROR(blocked, ErrorCode::Store,
                       QStringLiteral("The test store %1 is locked by another process that is "
                                      "changing it (gave up after waiting 100 ms).")
                           .arg(file));
    QCOMPARE(blocked.error().path, file);
    // Once the lock is gone the same connection writes.
    TFJS_VERIFY_OK(connection->writeTransaction([&]() -> Result<void> {
        return connection->execAll({QStringLiteral("INSERT INTO t VALUES (2)")});
    }));
    QCOMPARE(rows(*holder), 2);
}

void TestSqliteConnection::readOnlyFile()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    {
        auto connection = openOrDie(file);
        TFJS_VERIFY_OK(connection->execAll({QStringLiteral("CREATE TABLE t (k)"),
                                            QStringLiteral("INSERT INTO t VALUES (1)")}));
    }
    if (!makeReadOnly(file, true))
        QSKIP("running as root on a file system without chattr +i: cannot make the file read-only");
    auto connection = SqliteConnection::open(file, kWhat, {});
    Result<void> written;
    int seen = -1;
    if (connection) {
        seen = rows(**connection);
        written = (*connection)->writeTransaction([&]() -> Result<void> {
            return (*connection)->execAll({QStringLiteral("INSERT INTO t VALUES (2)")});
        });
    }
    makeReadOnly(file, false);
    TFJS_VERIFY_OK(connection); // reading still works
    QCOMPARE(seen, 1);
    TFJS_COMPARE_ERROR(written, ErrorCode::Store,
                       QStringLiteral("The test store %1 is read-only: its models can be read but "
                                      "not saved, moved or removed.")
                           .arg(file));
    QCOMPARE(written.error().path, file);
}

void TestSqliteConnection::missingFolder()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("missing/a.sqlite"));
    auto connection = SqliteConnection::open(file, kWhat, {});
    TFJS_COMPARE_ERROR(connection, ErrorCode::Store,
                       QStringLiteral("Cannot open the test store %1: unable to open database file.")
                           .arg(file));
    QCOMPARE(connection.error().path, file);
    QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("missing"))));
}

void TestSqliteConnection::openStoreCreatesFolderAndMigrates()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("a/b"));
    const QString file = folder + QStringLiteral("/s.sqlite");
    std::vector<int> runs;
    auto connection =
        SqliteConnection::openStore(folder, file, kWhat, {}, countingMigrations(2, runs), false);
    QVERIFY(connection);
    QVERIFY(!*connection); // not created: reading a missing store
    QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("a"))));
    connection =
        SqliteConnection::openStore(folder, file, kWhat, {}, countingMigrations(2, runs), true);
    QVERIFY(connection && *connection);
    QCOMPARE(runs, (std::vector<int>{1, 2}));
    QVERIFY(QFileInfo::exists(file));
    QCOMPARE((*connection)->schemaVersion().value_or(-1), 2);
    connection->reset();
    // It exists now: opened (and current) even when not asked to create it.
    connection =
        SqliteConnection::openStore(folder, file, kWhat, {}, countingMigrations(2, runs), false);
    QVERIFY(connection && *connection);
    QCOMPARE(runs, (std::vector<int>{1, 2}));
}

void TestSqliteConnection::openStoreForReadingCreatesNothing()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("s.sqlite"));
    std::vector<int> runs;
    auto connection =
        SqliteConnection::openStore(tmp.path(), file, kWhat, {}, countingMigrations(1, runs), false);
    QVERIFY(connection);
    QVERIFY(!*connection);
    QVERIFY(runs.empty());
    QVERIFY(QDir(tmp.path()).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot));
}

void TestSqliteConnection::openStoreFolderUnderAFile()
{
    QTemporaryDir tmp;
    const QString blocker = tmp.filePath(QStringLiteral("file"));
    QVERIFY(writeFile(blocker, "x"));
    const QString folder = blocker + QStringLiteral("/store");
    std::vector<int> runs;
    auto connection = SqliteConnection::openStore(folder, folder + QStringLiteral("/s.sqlite"),
                                                  kWhat, {}, countingMigrations(1, runs), true);
    TFJS_COMPARE_ERROR(connection, ErrorCode::Io,
                       QStringLiteral("Cannot create the store folder %1.").arg(folder));
    QCOMPARE(connection.error().path, folder);
    QVERIFY(runs.empty());
    QCOMPARE(QFileInfo(blocker).size(), 1);
}

void TestSqliteConnection::storeFolderIsAbsoluteAndClean()
{
    TFJS_COMPARE_ERROR(storeFolder(QString()), ErrorCode::InvalidArgument,
                       QStringLiteral("The store folder is empty."));
    QTemporaryDir tmp;
    const QString messy = tmp.path() + QStringLiteral("/x/../y/");
    QCOMPARE(storeFolder(messy).value_or(QString()), tmp.path() + QStringLiteral("/y"));
    QCOMPARE(storeFolder(QStringLiteral("rel")).value_or(QString()),
             QDir::cleanPath(QDir::current().absoluteFilePath(QStringLiteral("rel"))));
}

void TestSqliteConnection::diskFull()
{
    TFJS_SMALL_TMPFS(mountPoint, "256k")
    const QString file = mountPoint.filePath(QStringLiteral("a.sqlite"));
    Result<void> written;
    {
        auto connection = openOrDie(file);
        TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)")));
        written = connection->writeTransaction([&]() -> Result<void> {
            return connection->execAll({QStringLiteral("INSERT INTO t VALUES (zeroblob(1000000))")});
        });
        QCOMPARE(rows(*connection), 0);
    }
    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::Io);
    QVERIFY2(written.error().message.startsWith(
                 QStringLiteral("The disk holding the test store %1 is full (while running '").arg(file)),
             qPrintable(written.error().message));
    QCOMPARE(written.error().path, file);
}

void TestSqliteConnection::readsAFullDisk()
{
    TFJS_SMALL_TMPFS(mountPoint, "256k")
    const QString folder = mountPoint.filePath(QStringLiteral("store"));
    const QString file = folder + QStringLiteral("/a.sqlite");
    const std::vector<SqliteConnection::Migration> migrations{
        [](SqliteConnection &connection) -> Result<void> {
            return connection.execAll({QStringLiteral("CREATE TABLE t (k)"),
                                       QStringLiteral("INSERT INTO t VALUES (7)")});
        }};
    {
        auto made = SqliteConnection::openStore(folder, file, kWhat, {}, migrations, true);
        TFJS_VERIFY_OK(made);
    } // closed: the WAL is checkpointed and its files removed
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
    mountPoint.fill();

    // Reading works, and leaves no -shm or -wal file behind.
    {
        auto reader = SqliteConnection::openStore(folder, file, kWhat, {}, migrations, false);
        TFJS_VERIFY_OK(reader);
        QCOMPARE(rows(**reader), 1);
        const Result<void> written = (*reader)->execAll({QStringLiteral("INSERT INTO t VALUES (8)")});
        TFJS_COMPARE_ERROR(written, ErrorCode::Io,
                           QStringLiteral("The disk holding the test store %1 is full: its models "
                                          "can be read but not saved, moved or removed.")
                               .arg(file));
    }
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-shm")));
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));

    // Opening to write names the full disk, before SQLite makes files it cannot fill.
    auto writer = SqliteConnection::openStore(folder, file, kWhat, {}, migrations, true);
    TFJS_COMPARE_ERROR(writer, ErrorCode::Io,
                       QStringLiteral("The disk holding the test store %1 is full (less than 64 "
                                      "KiB free): nothing can be saved, moved or removed there "
                                      "until space is freed; its models can still be read.")
                           .arg(file));
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-shm")));
    QVERIFY(!QFileInfo::exists(file + QStringLiteral("-wal")));
}

void TestSqliteConnection::classifiesSqliteCodes_data()
{
    // QtSql hands SQLite's (extended) result code over as the native error code.
    QTest::addColumn<QString>("native");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message"); // %1: the file
    QTest::newRow("busy") << QStringLiteral("5") << int(ErrorCode::Store)
                          << QStringLiteral("The test store %1 is locked by another process that "
                                            "is changing it (gave up after waiting 250 ms).");
    QTest::newRow("busy, extended") << QStringLiteral("517") << int(ErrorCode::Store) // BUSY_SNAPSHOT
                                    << QStringLiteral("The test store %1 is locked by another "
                                                      "process that is changing it (gave up "
                                                      "after waiting 250 ms).");
    QTest::newRow("locked") << QStringLiteral("6") << int(ErrorCode::Store)
                            << QStringLiteral("The test store %1 is locked by another process "
                                              "that is changing it (gave up after waiting 250 ms).");
    QTest::newRow("read-only") << QStringLiteral("8") << int(ErrorCode::Store)
                               << QStringLiteral("The test store %1 is read-only: its models can "
                                                 "be read but not saved, moved or removed.");
    QTest::newRow("I/O error") << QStringLiteral("10") << int(ErrorCode::Io)
                               << QStringLiteral("Input/output error on the test store %1 while "
                                                 "writing: disk I/O error.");
    QTest::newRow("corrupt") << QStringLiteral("11") << int(ErrorCode::Store)
                             << QStringLiteral("The test store %1 is corrupt or is not a SQLite "
                                               "database (disk I/O error); it was left untouched. "
                                               "Move it aside to start a new store.");
    QTest::newRow("full") << QStringLiteral("13") << int(ErrorCode::Io)
                          << QStringLiteral("The disk holding the test store %1 is full (while "
                                            "writing).");
    QTest::newRow("cannot open") << QStringLiteral("14") << int(ErrorCode::Store)
                                 << QStringLiteral("Cannot open the test store %1: disk I/O error.");
    QTest::newRow("not a database") << QStringLiteral("26") << int(ErrorCode::Store)
                                    << QStringLiteral("The test store %1 is corrupt or is not a "
                                                      "SQLite database (disk I/O error); it was "
                                                      "left untouched. Move it aside to start a "
                                                      "new store.");
    QTest::newRow("other") << QStringLiteral("1") << int(ErrorCode::Store)
                           << QStringLiteral("The test store %1 failed while writing: disk I/O "
                                             "error.");
    QTest::newRow("no code") << QString() << int(ErrorCode::Store)
                             << QStringLiteral("The test store %1 failed while writing: disk I/O "
                                               "error.");
}

void TestSqliteConnection::classifiesSqliteCodes()
{
    QFETCH(QString, native);
    QFETCH(int, code);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    auto connection = SqliteConnection::open(file, kWhat, {250, {}});
    TFJS_VERIFY_OK(connection);
    const Error error = (*connection)->sqlError(
        QSqlError(QStringLiteral("Unable to execute"), QStringLiteral("disk I/O error"),
                  QSqlError::StatementError, native),
        QStringLiteral("writing"));
    QCOMPARE(errorCodeName(error.code), errorCodeName(ErrorCode(code)));
    QCOMPARE(error.message, message.arg(file));
    QCOMPARE(error.path, file);
    QCOMPARE(error.detail, QStringLiteral("disk I/O error"));
}

void TestSqliteConnection::connectionGoesWithTheObject()
{
    QTemporaryDir tmp;
    const QStringList before = QSqlDatabase::connectionNames();
    {
        auto connection = openOrDie(tmp.filePath(QStringLiteral("a.sqlite")));
        QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 1);
        // Destroyed inside a transaction: rolled back, not committed.
        TFJS_VERIFY_OK(connection->exec(QStringLiteral("CREATE TABLE t (k)")));
        TFJS_VERIFY_OK(connection->exec(QStringLiteral("BEGIN")));
        TFJS_VERIFY_OK(connection->exec(QStringLiteral("INSERT INTO t VALUES (1)")));
    }
    QCOMPARE(QSqlDatabase::connectionNames(), before);
    QCOMPARE(rows(*openOrDie(tmp.filePath(QStringLiteral("a.sqlite")))), 0);
}

void TestSqliteConnection::journalSwitchWaitsForACreator()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    QElapsedTimer timer;
    timer.start();
    WriteLockHolder holder(file, 300);
    QVERIFY(holder.locked());
    auto connection = SqliteConnection::open(file, kWhat, {5000, {}});
    TFJS_VERIFY_OK(connection);
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(scalarOrDie(**connection, QStringLiteral("PRAGMA journal_mode")).toString(),
             QStringLiteral("wal"));
}

void TestSqliteConnection::journalSwitchGivesUpAfterTheTimeout()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("a.sqlite"));
    WriteLockHolder holder(file, 1500);
    QVERIFY(holder.locked());
    QElapsedTimer timer;
    timer.start();
    auto connection = SqliteConnection::open(file, kWhat, {200, {}});
    const qint64 waited = timer.elapsed();
    TFJS_COMPARE_ERROR(connection, ErrorCode::Store,
                       QStringLiteral("The test store %1 is locked by another process that is "
                                      "changing it (gave up after waiting 200 ms).")
                           .arg(file));
    // It waited (it used to give up at once), and not much longer than it says.
    QVERIFY2(waited >= 200 && waited < 1400, qPrintable(QString::number(waited)));
}

QTEST_GUILESS_MAIN(TestSqliteConnection)
#include "tst_sqliteconnection.moc"
