// What tfjs-model writes follows the user's umask, on every write path: the stores' databases
// (and SQLite's -wal/-shm files), blobs, the trash, localStorage, a file:// folder, downloads.
// With 077 nothing is readable by others (models can be private work); with 022 nothing is
// writable by others.
#include "clirun.h"
#include "testutil.h"

#include <QDirIterator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace tfjs;
using namespace tfjs::test;

class TestCliUmask : public QObject
{
    Q_OBJECT

private slots:
    void filesFollowTheUmask_data();
    void filesFollowTheUmask();
};

void TestCliUmask::filesFollowTheUmask_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("077") << 077;
    QTest::newRow("027") << 027;
    QTest::newRow("022") << 022;
}

void TestCliUmask::filesFollowTheUmask()
{
    QFETCH(int, mask);
    QTemporaryDir dir;
    const QString source = writeSmallModel(dir.filePath(QStringLiteral("src")));
    const QString out = dir.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(out));
    QVERIFY(QFile::setPermissions(out, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                           | QFileDevice::ExeOwner | QFileDevice::ReadOther
                                           | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                           | QFileDevice::ExeGroup));

    const mode_t before = ::umask(mode_t(mask));
    auto restore = qScopeGuard([before] { ::umask(before); });
    const QStringList common = {QStringLiteral("--store"), out + QStringLiteral("/store"),
                                QStringLiteral("--downloads"), out + QStringLiteral("/downloads")};
    const QList<QStringList> writes = {
        {QStringLiteral("copy"), source, QStringLiteral("indexeddb://m")},
        {QStringLiteral("copy"), QStringLiteral("--overwrite"), source, QStringLiteral("indexeddb://m")},
        {QStringLiteral("copy"), source, QStringLiteral("localstorage://m")},
        {QStringLiteral("copy"), source, out + QStringLiteral("/folder")},
        {QStringLiteral("copy"), QStringLiteral("--shard-size"), QStringLiteral("16"), source,
         out + QStringLiteral("/sharded")},
        {QStringLiteral("copy"), source, QStringLiteral("downloads://m")},
        {QStringLiteral("remove"), QStringLiteral("localstorage://m")},
    };
    for (const QStringList &args : writes) {
        const CliRun run = runCli(args + common);
        QVERIFY2(run.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err));
    }
    restore.dismiss();
    ::umask(before);

    int checked = 0;
    QDirIterator it(out, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat st{};
        QCOMPARE(::lstat(QFile::encodeName(path).constData(), &st), 0);
        QVERIFY2((st.st_mode & mode_t(mask)) == 0,
                 qPrintable(QStringLiteral("%1 has mode %2 with umask %3")
                                .arg(path)
                                .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'))
                                .arg(mask, 3, 8, QLatin1Char('0'))));
        ++checked;
    }
    // The stores' databases, blobs, both folders' files and the download are all there.
    QVERIFY2(checked >= 12, qPrintable(QString::number(checked)));
}

QTEST_GUILESS_MAIN(TestCliUmask)
#include "tst_cliumask.moc"
