// What a power cut can leave of a --durable save depends on the order of its syncs, renames
// and removals: a file must be synced before the rename that publishes it, the rename synced
// (its folder) before anything that counts on it. A small library loaded with LD_PRELOAD
// (tests/faults/synclog.cpp) logs those calls of a real tfjs-model save; these tests check the
// order for file://, downloads:// and indexeddb:// saves. No power cut is simulated: the
// order is what makes a journaling file system (ext4's data=ordered) keep the old or the new
// model whole.
#include "preload.h"
#include "storetestdata.h"
#include "schemes/schemes.h"
#include "base/job.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace storetest;

namespace {

struct Event
{
    QString kind; // sync, rename, link, unlink
    QString path;
    QString to;   // rename and link
};

// The events of `tfjs-model ARGS --durable`; fails the test (empty) when it fails.
std::vector<Event> durableRun(const QString &work, QStringList args)
{
    const QString log = work + QStringLiteral("/sync.log");
    QFile::remove(log);
    QProcess child;
    QProcessEnvironment env = test::preloadEnvironment(QStringLiteral(TFJS_SYNC_LOG_LIB));
    env.insert(QStringLiteral("TFJS_SYNC_LOG"), log);
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    args << QStringLiteral("--durable") << QStringLiteral("--no-progress");
    child.start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"), args);
    if (!child.waitForFinished(60000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
        return {};
    QFile file(log);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::vector<Event> events;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QStringList fields = QString::fromUtf8(line).split(QLatin1Char('\t'));
        if (fields.size() >= 2)
            events.push_back({fields[0], fields[1], fields.value(2)});
    }
    return events;
}

// The index of the first event at or after `from` for which `match` holds; -1 when none.
qsizetype find(const std::vector<Event> &events, qsizetype from,
               const std::function<bool(const Event &)> &match)
{
    for (qsizetype i = std::max<qsizetype>(from, 0); i < qsizetype(events.size()); ++i) {
        if (match(events[std::size_t(i)]))
            return i;
    }
    return -1;
}

auto isSync(const QString &path)
{
    return [path](const Event &e) { return e.kind == QLatin1String("sync") && e.path == path; };
}

QString describe(const std::vector<Event> &events)
{
    QStringList lines;
    for (const Event &e : events)
        lines << e.kind + QLatin1Char(' ') + e.path + (e.to.isEmpty() ? QString() : QStringLiteral(" -> ") + e.to);
    return lines.join(QLatin1Char('\n'));
}

// Checks a folder commit (core/io/foldercommit.h) into `folder`: the marker synced before it
// is renamed into place, the folder synced before the first file is renamed in, every file
// synced before its rename, and the folder (and `alsoSynced`, the parent of a folder the save
// made) synced after the last rename, before the marker goes. Returns the problem, or empty.
QString checkFolderCommit(const std::vector<Event> &events, const QString &folder,
                          const QString &alsoSynced = {})
{
    const QRegularExpression markerPart(QStringLiteral("^\\.tfjs-commit-[0-9]+-[0-9a-f]{12}\\.part$"));
    const qsizetype marker = find(events, 0, [&](const Event &e) {
        return e.kind == QLatin1String("rename") && QFileInfo(e.path).path() == folder
               && markerPart.match(QFileInfo(e.path).fileName()).hasMatch();
    });
    if (marker < 0)
        return QStringLiteral("no commit marker was renamed into place");
    const Event &placed = events[std::size_t(marker)];
    if (find(events, 0, isSync(placed.path)) > marker || find(events, 0, isSync(placed.path)) < 0)
        return QStringLiteral("the marker was not synced before its rename");
    const QRegularExpression temp(QStringLiteral("^\\..+\\.tfjs-[0-9]+-[0-9a-f]{12}$"));
    std::vector<qsizetype> renames;
    for (qsizetype i = marker + 1; i < qsizetype(events.size()); ++i) {
        const Event &e = events[std::size_t(i)];
        if (e.kind == QLatin1String("rename") && QFileInfo(e.path).path() == folder
            && temp.match(QFileInfo(e.path).fileName()).hasMatch()) {
            renames.push_back(i);
            const qsizetype synced = find(events, 0, isSync(e.path));
            if (synced < 0 || synced > i)
                return QStringLiteral("%1 was renamed in before it was synced").arg(e.path);
        }
    }
    if (renames.empty())
        return QStringLiteral("no file was renamed in");
    const qsizetype folderSynced = find(events, marker, isSync(folder));
    if (folderSynced < 0 || folderSynced > renames.front())
        return QStringLiteral("the folder was not synced between the marker and the first rename");
    const qsizetype removed = find(events, renames.back(), [&](const Event &e) {
        return e.kind == QLatin1String("unlink") && e.path == placed.to;
    });
    if (removed < 0)
        return QStringLiteral("the marker was not removed");
    for (const QString &synced : {folder, alsoSynced}) {
        if (synced.isEmpty())
            continue;
        const qsizetype at = find(events, renames.back(), isSync(synced));
        if (at < 0 || at > removed)
            return QStringLiteral("%1 was not synced between the last rename and the marker's "
                                  "removal").arg(synced);
    }
    return {};
}

} // namespace

class TestDurableOrder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fileFolder();
    void newFileFolder();
    void downloads();
    void store();

private:
    QTemporaryDir m_dir;
    QString m_work; // m_dir's canonical path: the log's paths come from the kernel
    QString m_source;
};

void TestDurableOrder::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_work = QDir(m_dir.path()).canonicalPath();
    m_source = m_work + QStringLiteral("/source");
    const HandlerRegistry registry = makeDefaultRegistry({});
    auto handler = registry.handlerFor(QStringLiteral("file://") + m_source);
    QVERIFY(handler);
    JobContext ctx;
    auto saved = (*handler)->save(randomModel(3, 16 * 1024, 5), ctx);
    if (!saved)
        QFAIL(qPrintable(saved.error().toString()));
}

void TestDurableOrder::fileFolder()
{
    // Over a model already there, in three shards.
    const QString folder = m_work + QStringLiteral("/replace");
    const QStringList args{QStringLiteral("copy"), QStringLiteral("file://") + m_source,
                           QStringLiteral("file://") + folder, QStringLiteral("--overwrite"),
                           QStringLiteral("--shard-size"), QStringLiteral("65536")};
    QVERIFY(!durableRun(m_work, args).empty());
    const std::vector<Event> events = durableRun(m_work, args);
    QVERIFY(!events.empty());
    const QString problem = checkFolderCommit(events, folder);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral("\n") + describe(events)));
}

void TestDurableOrder::newFileFolder()
{
    // Into folders the save makes: the parent of the first one it made is synced too.
    const QString folder = m_work + QStringLiteral("/new/deeper");
    const std::vector<Event> events = durableRun(
        m_work, {QStringLiteral("copy"), QStringLiteral("file://") + m_source, QStringLiteral("file://") + folder});
    QVERIFY(!events.empty());
    const QString problem = checkFolderCommit(events, folder, m_work + QStringLiteral("/new"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral("\n") + describe(events)));
    QVERIFY2(find(events, 0, isSync(m_work)) >= 0, "the parent of the first folder made was not synced");
}

void TestDurableOrder::downloads()
{
    const QString folder = m_work + QStringLiteral("/downloads");
    QVERIFY(QDir().mkpath(folder));
    const std::vector<Event> events = durableRun(
        m_work, {QStringLiteral("copy"), QStringLiteral("file://") + m_source, QStringLiteral("downloads://m"),
                 QStringLiteral("--downloads"), folder});
    QVERIFY(!events.empty());
    const QString problem = checkFolderCommit(events, folder);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral("\n") + describe(events)));
}

void TestDurableOrder::store()
{
    // The blob synced before it is named, named before the database's commit, and its folder
    // synced before that commit is synced: a committed row never names a blob a power cut lost.
    const QString store = m_work + QStringLiteral("/store");
    const std::vector<Event> events = durableRun(
        m_work, {QStringLiteral("copy"), QStringLiteral("file://") + m_source, QStringLiteral("indexeddb://m"),
                 QStringLiteral("--store"), store});
    QVERIFY(!events.empty());
    const QString blobs = store + QStringLiteral("/tensorflowjs.blobs/");
    const qsizetype published = find(events, 0, [&](const Event &e) {
        return e.kind == QLatin1String("rename") && e.to.startsWith(blobs)
               && QFileInfo(e.to).fileName().size() == 64;
    });
    QVERIFY2(published >= 0, qPrintable(describe(events)));
    const Event &publish = events[std::size_t(published)];
    // The name it was renamed from was linked to the written (unnamed) file, synced before.
    const qsizetype named = find(events, 0, [&](const Event &e) {
        return e.kind == QLatin1String("link") && e.to == publish.path;
    });
    QVERIFY2(named >= 0 && named < published, qPrintable(describe(events)));
    const qsizetype written = find(events, 0, isSync(events[std::size_t(named)].path));
    QVERIFY2(written >= 0 && written < named, qPrintable(QStringLiteral("the blob was not synced before it was named\n") + describe(events)));
    const qsizetype committed = find(events, published, [&](const Event &e) {
        return e.kind == QLatin1String("sync") && e.path.startsWith(store + QStringLiteral("/tensorflowjs.sqlite"));
    });
    QVERIFY2(committed > published, qPrintable(QStringLiteral("no database sync after the blob was named\n") + describe(events)));
    const qsizetype folderSynced = find(events, published, isSync(QFileInfo(publish.to).path()));
    QVERIFY2(folderSynced > published && folderSynced < committed,
             qPrintable(QStringLiteral("the blob's folder was not synced before the commit\n") + describe(events)));
}

QTEST_GUILESS_MAIN(TestDurableOrder)
#include "tst_durableorder.moc"
