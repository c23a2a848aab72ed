#include "io/savefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;

namespace {
QByteArray contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
}
} // namespace

class TestSaveFile : public QObject
{
    Q_OBJECT

private slots:
    void writesAndReplaces()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QVERIFY(saveFile(path, "a,b\r\n1,2\r\n"));
        QCOMPARE(contents(path), QByteArray("a,b\r\n1,2\r\n"));
        QVERIFY(saveFile(path, "x"));
        QCOMPARE(contents(path), QByteArray("x"));
        QVERIFY(saveFile(path, {}));
        QCOMPARE(contents(path), QByteArray());
    }

    void missingFolder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/out.json"));
        auto saved = saveFile(path, "{}");
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::Io);
        QCOMPARE(saved.error().path, path);
        QVERIFY2(saved.error().message.startsWith(QStringLiteral("Cannot write %1: ").arg(path)),
            qPrintable(saved.error().message));
        QVERIFY(!QFile::exists(path));
    }

    void folderInTheWay()
    {
        // The target is a folder: refused, the folder and what it holds left as they were.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(QDir().mkpath(path));
        QVERIFY(saveFile(path + QStringLiteral("/inside"), "kept"));
        auto saved = saveFile(path, "{}");
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::Io);
        QCOMPARE(saved.error().path, path);
        QVERIFY(QFileInfo(path).isDir());
        QCOMPARE(contents(path + QStringLiteral("/inside")), QByteArray("kept"));
    }
};

QTEST_GUILESS_MAIN(TestSaveFile)
#include "tst_savefile.moc"
