// ProfileDatabase: a browser's SQLite database is read through a private copy. Rows that are
// only in the -wal of a database another connection holds open are seen; the original files
// (bytes and modification times) are untouched; failures name the browser's file.

#include "browser/profiledatabase.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;

namespace {

// Size, modification time and hash of the file and its -wal and -shm.
QStringList stamps(const QString &file)
{
    QStringList out;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        const QFileInfo info(file + suffix);
        QFile in(file + suffix);
        QByteArray hash;
        if (in.open(QIODevice::ReadOnly))
            hash = QCryptographicHash::hash(in.readAll(), QCryptographicHash::Sha256).toHex();
        out.append(QStringLiteral("%1 %2 %3 %4")
                       .arg(suffix)
                       .arg(info.exists() ? info.size() : -1)
                       .arg(info.exists() ? info.lastModified().toMSecsSinceEpoch() : 0)
                       .arg(QString::fromLatin1(hash)));
    }
    return out;
}

} // namespace

class TestProfileDatabase : public QObject
{
    Q_OBJECT

private slots:
    // A "browser" keeps its connection open with rows only in the WAL (no checkpoint yet).
    void seesRowsOnlyInTheWal()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("browser.sqlite"));
        {
            QSqlDatabase browser = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                             QStringLiteral("browser"));
            browser.setDatabaseName(file);
            QVERIFY(browser.open());
            QSqlQuery query(browser);
            QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
            QVERIFY(query.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")));
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE t (v INTEGER)")));
            for (int i = 0; i < 5; ++i)
                QVERIFY(query.exec(QStringLiteral("INSERT INTO t VALUES (%1)").arg(i)));
            query.finish();
            QVERIFY(QFileInfo(file + QStringLiteral("-wal")).size() > 0);
            const QStringList before = stamps(file);

            auto db = ProfileDatabase::open(file, QStringLiteral("Test database"));
            QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
            auto sum = (*db)->scalar(QStringLiteral("SELECT sum(v) FROM t"));
            QVERIFY(sum);
            QCOMPARE(sum->toInt(), 10);
            auto rows = (*db)->exec(QStringLiteral("SELECT v FROM t WHERE v > ? ORDER BY v"), {2});
            QVERIFY(rows);
            QVERIFY(rows->next());
            QCOMPARE(rows->value(0).toInt(), 3);
            db->reset();
            QCOMPARE(stamps(file), before);
            browser.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("browser"));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("absent.sqlite"));
        auto db = ProfileDatabase::open(file, QStringLiteral("Test database"));
        QVERIFY(!db);
        QCOMPARE(db.error().code, ErrorCode::NotFound);
        QCOMPARE(db.error().message, QStringLiteral("Test database %1: the file does not exist.").arg(file));
        QCOMPARE(db.error().path, file);
    }

    void notADatabase()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("garbage.sqlite"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray(8192, 'g'));
        out.close();
        const QStringList before = stamps(file);
        auto db = ProfileDatabase::open(file, QStringLiteral("Test database"));
        QVERIFY(!db);
        QCOMPARE(db.error().code, ErrorCode::Format);
        QCOMPARE(db.error().path, file);
        QVERIFY2(db.error().message.startsWith(
                     QStringLiteral("Test database %1: it cannot be read as a SQLite database (")
                         .arg(file)),
                 qPrintable(db.error().message));
        QCOMPARE(stamps(file), before);
    }

    void failedStatementNamesTheFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("empty.sqlite"));
        {
            QSqlDatabase made = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("made"));
            made.setDatabaseName(file);
            QVERIFY(made.open());
            QVERIFY(QSqlQuery(made).exec(QStringLiteral("CREATE TABLE t (v)")));
            made.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("made"));
        auto db = ProfileDatabase::open(file, QStringLiteral("Test database"));
        QVERIFY(db);
        auto rows = (*db)->exec(QStringLiteral("SELECT nope FROM missing"));
        QVERIFY(!rows);
        QCOMPARE(rows.error().path, file);
        QVERIFY2(rows.error().message.startsWith(QStringLiteral("Test database %1: ").arg(file)),
                 qPrintable(rows.error().message));
        QVERIFY2(rows.error().message.contains(QStringLiteral("no such table: missing")),
                 qPrintable(rows.error().message));
    }
};

QTEST_GUILESS_MAIN(TestProfileDatabase)
#include "tst_profiledatabase.moc"
