// tfjs-model with a read-only destination on every write path: a tmpfs the test mounts, fills
// with models and remounts read-only (root ignores folder permissions, so a 0555 folder proves
// nothing in CI, which runs as root). Saves, moves and removes fail naming the read-only file
// system, nothing on it changes (a move out of it is refused before it copies), and the read
// verbs still work.

#include "clirun.h"
#include "smalltmpfs.h"
#include "testutil.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// Every file and folder under `dir` with its size and bytes' hash: what must stay as it was.
QStringList treeOf(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        QString line = it.filePath();
        if (it.fileInfo().isFile()) {
            QFile file(it.filePath());
            line += QLatin1Char(' ') + QString::number(it.fileInfo().size());
            if (file.open(QIODevice::ReadOnly))
                line += QLatin1Char(' ') + QString::number(qHash(file.readAll()));
        }
        out << line;
    }
    out.sort();
    return out;
}

} // namespace

class TestCliReadOnly : public QObject
{
    Q_OBJECT

private slots:
    void everyWritePathRefusesAndChangesNothing();
};

void TestCliReadOnly::everyWritePathRefusesAndChangesNothing()
{
    TFJS_SMALL_TMPFS(mountPoint, "8m")
    QTemporaryDir outside;
    const QString source = writeSmallModel(outside.filePath(QStringLiteral("src")));
    QByteArray otherWeights = smallWeights();
    std::reverse(otherWeights.begin(), otherWeights.end());
    const QString other = writeModel(outside.filePath(QStringLiteral("other")),
                                     compact(smallModelJson({QStringLiteral("weights.bin")})),
                                     {{QStringLiteral("weights.bin"), otherWeights}});
    const QString store = mountPoint.filePath(QStringLiteral("store"));
    const QString downloads = mountPoint.filePath(QStringLiteral("downloads"));
    const QString folder = mountPoint.filePath(QStringLiteral("folder"));
    const auto cli = [&](QStringList args) {
        args << QStringLiteral("--store") << store << QStringLiteral("--downloads") << downloads;
        return runCli(args);
    };
    for (const QString &url : {QStringLiteral("indexeddb://m"), QStringLiteral("localstorage://m"), folder,
                               QStringLiteral("downloads://m")}) {
        const CliRun saved = cli({QStringLiteral("copy"), source, url});
        QVERIFY2(saved.code == 0, qPrintable(url + QStringLiteral(": ") + saved.err));
    }
    QVERIFY(mountPoint.makeReadOnly());
    const QStringList before = treeOf(mountPoint.path());

    // Every write path: the old model stays, nothing is added, the message says why.
    const QList<QStringList> writes = {
        {QStringLiteral("copy"), QStringLiteral("--overwrite"), other, QStringLiteral("indexeddb://m")},
        {QStringLiteral("copy"), other, QStringLiteral("indexeddb://new")},
        {QStringLiteral("copy"), QStringLiteral("--overwrite"), other, QStringLiteral("localstorage://m")},
        {QStringLiteral("copy"), QStringLiteral("--overwrite"), other, folder},
        {QStringLiteral("copy"), other, mountPoint.filePath(QStringLiteral("new-folder"))},
        {QStringLiteral("copy"), other, QStringLiteral("downloads://m")},
        {QStringLiteral("rename"), QStringLiteral("indexeddb://m"), QStringLiteral("indexeddb://n")},
        {QStringLiteral("remove"), QStringLiteral("localstorage://m")},
        {QStringLiteral("move"), QStringLiteral("indexeddb://m"), outside.filePath(QStringLiteral("moved"))},
    };
    for (const QStringList &args : writes) {
        const CliRun run = cli(args);
        const QString what = args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err;
        QVERIFY2(run.code == 1, qPrintable(what));
        QVERIFY2(run.err.contains(QStringLiteral("read-only"), Qt::CaseInsensitive), qPrintable(what));
        QCOMPARE(treeOf(mountPoint.path()), before);
    }
    // The move out of the read-only store was refused before it copied anything.
    QVERIFY(!QFileInfo::exists(outside.filePath(QStringLiteral("moved"))));

    // Reading still works.
    const CliRun listed = cli({QStringLiteral("list")});
    QVERIFY2(listed.code == 0, qPrintable(listed.err));
    QVERIFY(listed.out.contains(QStringLiteral("indexeddb://m")) && listed.out.contains(QStringLiteral("localstorage://m")));
    for (const QString &url : {QStringLiteral("indexeddb://m"), QStringLiteral("localstorage://m"), folder}) {
        const CliRun info = cli({QStringLiteral("validate"), url});
        QVERIFY2(info.code == 0, qPrintable(url + QStringLiteral(": ") + info.err));
    }
    const CliRun exported = cli({QStringLiteral("copy"), QStringLiteral("indexeddb://m"),
                                 outside.filePath(QStringLiteral("exported"))});
    QVERIFY2(exported.code == 0, qPrintable(exported.err));
    QCOMPARE(treeOf(mountPoint.path()), before);
}

QTEST_GUILESS_MAIN(TestCliReadOnly)
#include "tst_clireadonly.moc"
