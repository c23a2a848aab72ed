// tfjs-model on a full disk (a 1 MiB tmpfs the test mounts, filled up): the read verbs (list,
// info, validate, copy out) still work on the store and local storage; saves, moves and removes
// fail naming the full disk, leave the models as they were and no file behind. A model too big
// for the disk saved to file:// (new or over an old one) and downloads:// fails the same way,
// and uploaded to the model server is answered 500 with the reason, the server serving on.
#include "clirun.h"
#include "smalltmpfs.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>


using namespace tfjs;
using namespace tfjs::test;

namespace {

// Every file and folder under `dir`, with its size: what a failed command must leave as it was.
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        out << QStringLiteral("%1 %2").arg(it.filePath()).arg(it.fileInfo().size());
    }
    out.sort();
    return out;
}

// A model of 2 MiB of weights: more than a 1 MiB disk holds.
QString writeBigModel(const QString &dir)
{
    return writeModel(
        dir,
        R"({"modelTopology":{},"weightsManifest":[{"paths":["w.bin"],"weights":[{"name":"w","shape":[524288],"dtype":"float32"}]}]})",
        {{QStringLiteral("w.bin"), QByteArray(2 << 20, '\x01')}});
}

} // namespace

class TestCliFullDisk : public QObject
{
    Q_OBJECT

private slots:
    void readsWorkWritesNameTheDisk();
    void foldersOnAFullDisk();
    void serverOnAFullDisk();
};

void TestCliFullDisk::readsWorkWritesNameTheDisk()
{
    TFJS_SMALL_TMPFS(mountPoint, "1m")
    QTemporaryDir outside;
    const QString source = writeSmallModel(outside.filePath(QStringLiteral("src")));
    const QString store = mountPoint.filePath(QStringLiteral("store"));
    const auto cli = [&](QStringList args) {
        args << QStringLiteral("--store") << store;
        return runCli(args);
    };
    for (const char *url : {"indexeddb://m", "localstorage://m"}) {
        const CliRun saved = cli({QStringLiteral("copy"), source, QString::fromLatin1(url)});
        QVERIFY2(saved.code == 0, qPrintable(saved.err));
    }
    mountPoint.fill();
    const QStringList before = filesUnder(store);

    // Reading.
    const CliRun listed = cli({QStringLiteral("list")});
    QVERIFY2(listed.code == 0, qPrintable(listed.err));
    QVERIFY(listed.out.contains(QStringLiteral("indexeddb://m ")));
    QVERIFY(listed.out.contains(QStringLiteral("localstorage://m ")));
    for (const char *url : {"indexeddb://m", "localstorage://m"}) {
        const QString model = QString::fromLatin1(url);
        const CliRun valid = cli({QStringLiteral("validate"), model});
        QVERIFY2(valid.code == 0, qPrintable(valid.err));
        QVERIFY2(valid.out.contains(QStringLiteral(": OK")), qPrintable(valid.out));
        const CliRun info = cli({QStringLiteral("info"), model});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        const QString copy = outside.filePath(QStringLiteral("out-") + model.section(QLatin1Char(':'), 0, 0));
        const CliRun out = cli({QStringLiteral("copy"), model, QStringLiteral("file://") + copy});
        QVERIFY2(out.code == 0, qPrintable(out.err));
        QCOMPARE(readFile(copy + QStringLiteral("/weights.bin")), smallWeights());
    }

    // Writing: each names the full disk and changes nothing.
    const QList<QStringList> writes = {
        {QStringLiteral("copy"), source, QStringLiteral("indexeddb://n")},
        {QStringLiteral("copy"), source, QStringLiteral("localstorage://n")},
        {QStringLiteral("copy"), source, QStringLiteral("indexeddb://m"), QStringLiteral("--overwrite")},
        {QStringLiteral("move"), QStringLiteral("indexeddb://m"), QStringLiteral("indexeddb://k")},
        {QStringLiteral("remove"), QStringLiteral("localstorage://m")},
    };
    for (const QStringList &args : writes) {
        const CliRun run = cli(args);
        QVERIFY2(run.code == 1, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: The disk holding the ")),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral(" is full")), qPrintable(run.err));
        QCOMPARE(filesUnder(store), before);
    }
    const CliRun after = cli({QStringLiteral("validate"), QStringLiteral("indexeddb://m")});
    QVERIFY2(after.code == 0, qPrintable(after.err));
}

void TestCliFullDisk::foldersOnAFullDisk()
{
    TFJS_SMALL_TMPFS(mountPoint, "1m")
    QTemporaryDir outside;
    const QString small = writeSmallModel(outside.filePath(QStringLiteral("small")));
    const QString big = writeBigModel(outside.filePath(QStringLiteral("big")));
    const QString old = mountPoint.filePath(QStringLiteral("old"));
    QCOMPARE(runCli({QStringLiteral("copy"), small, QStringLiteral("file://") + old}).code, 0);
    const QStringList before = filesUnder(mountPoint.path());

    const QList<QStringList> writes = {
        {QStringLiteral("copy"), big, QStringLiteral("file://") + mountPoint.filePath(QStringLiteral("new"))},
        {QStringLiteral("copy"), big, QStringLiteral("file://") + old, QStringLiteral("--overwrite")},
        {QStringLiteral("copy"), big, QStringLiteral("downloads://dl"), QStringLiteral("--downloads"),
         mountPoint.filePath(QStringLiteral("downloads"))},
    };
    for (const QStringList &args : writes) {
        const CliRun run = runCli(args);
        QVERIFY2(run.code == 1, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(run.err.contains(QStringLiteral(": No space left on device")), qPrintable(run.err));
        QCOMPARE(filesUnder(mountPoint.path()), before); // no temporary file, no new folder
        QVERIFY(!QDir(mountPoint.filePath(QStringLiteral("new"))).exists());
    }
    QCOMPARE(readFile(old + QStringLiteral("/weights.bin")), smallWeights());
}

void TestCliFullDisk::serverOnAFullDisk()
{
    TFJS_SMALL_TMPFS(mountPoint, "1m")
    QTemporaryDir outside;
    const QString small = writeSmallModel(outside.filePath(QStringLiteral("small")));
    const QString big = writeBigModel(outside.filePath(QStringLiteral("big")));
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"),
                 {QStringLiteral("serve"), QStringLiteral("--port"), QString::number(port),
                  QStringLiteral("--store"), mountPoint.filePath(QStringLiteral("store"))});
    QVERIFY(server.waitForStarted());
    const auto stop = qScopeGuard([&] {
        server.kill();
        server.waitForFinished(10000);
    });
    bool up = false;
    for (int attempt = 0; attempt < 400 && !up; ++attempt) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        up = socket.waitForConnected(50);
        if (!up)
            QThread::msleep(25);
    }
    QVERIFY(up);
    const QString base = QStringLiteral("http://127.0.0.1:%1/models/").arg(port);
    QCOMPARE(runCli({QStringLiteral("copy"), small, base + QStringLiteral("small")}).code, 0);
    const QStringList before = filesUnder(mountPoint.path());

    const CliRun refused = runCli({QStringLiteral("copy"), big, base + QStringLiteral("big")});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("HTTP response status 500")), qPrintable(refused.err));
    QVERIFY2(refused.err.contains(QStringLiteral("No space left on device")), qPrintable(refused.err));
    QCOMPARE(filesUnder(mountPoint.path()), before);
    // Still serving, the first model whole.
    const CliRun valid = runCli({QStringLiteral("validate"), base + QStringLiteral("small/model.json")});
    QVERIFY2(valid.code == 0, qPrintable(valid.err));
}

QTEST_GUILESS_MAIN(TestCliFullDisk)
#include "tst_clifulldisk.moc"
