// tfjs-model and existing models: copy, move and rename refuse a destination that holds a model
// (exit 1, a message naming it and --overwrite) unless --overwrite; remove sends models to the
// trash; trash list|restore|delete|empty, their output, usage errors (exit 2) and failures (exit
// 1), in-process through tfjs::cli::run and as the real binary.
#include "cli.h"
#include "clirun.h"
#include "schemes/schemes.h"
#include "base/job.h"
#include "storetestdata.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace tfjs;
using namespace storetest;

namespace {

using Run = test::CliRun;

class Fixture
{
public:
    Fixture()
    {
        options.storeDir = dir.filePath(QStringLiteral("store"));
        registry = makeDefaultRegistry(options);
    }
    // tfjs-model ARGS --store DIR, in-process.
    Run cli(QStringList args) const
    {
        return test::runCli(args << QStringLiteral("--store") << options.storeDir);
    }
    // The same through the real binary.
    Run binary(QStringList args) const
    {
        return test::runBinary(args << QStringLiteral("--store") << options.storeDir,
                               options.storeDir);
    }
    void save(const QString &url, const ModelArtifacts &model)
    {
        JobContext ctx;
        auto saved = registry.save(url, model, ctx);
        if (!saved)
            qFatal("cannot save %s: %s", qPrintable(url), qPrintable(saved.error().toString()));
    }
    QByteArray weights(const QString &url) const
    {
        JobContext ctx;
        auto loaded = registry.load(url, ctx);
        return loaded ? bytesOf(loaded->weightData) : QByteArray("<missing>");
    }

    QTemporaryDir dir;
    HandlerOptions options;
    HandlerRegistry registry;
};

QString refusal(const QString &url, const QString &path)
{
    return QStringLiteral("tfjs-model: %1 already exists; use --overwrite to replace it. "
                          "[path: %2, url: %1]\n")
        .arg(url, path);
}

} // namespace

class TestCliTrash : public QObject
{
    Q_OBJECT

private slots:
    void refusedUnlessOverwrite_data();
    void refusedUnlessOverwrite();
    void moveOntoFolder();
    void removeListRestoreEmpty();
    void listJson();
    void restoreOntoExisting();
    void deleteAllOrNone();
    void errors_data();
    void errors();
    void binaryExitCodes_data();
    void binaryExitCodes();
    void help();
};

void TestCliTrash::refusedUnlessOverwrite_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QString>("scheme");
    for (const char *verb : {"copy", "move", "rename"}) {
        for (const char *scheme : {"indexeddb", "localstorage"})
            QTest::addRow("%s, %s", verb, scheme) << QString::fromLatin1(verb) << QString::fromLatin1(scheme);
    }
}

void TestCliTrash::refusedUnlessOverwrite()
{
    QFETCH(QString, verb);
    QFETCH(QString, scheme);
    Fixture f;
    const QString a = scheme + QStringLiteral("://a");
    const QString b = scheme + QStringLiteral("://b");
    const ModelArtifacts modelA = randomModel(1, 10, 1);
    const ModelArtifacts modelB = randomModel(1, 20, 2);
    f.save(a, modelA);
    f.save(b, modelB);

    const Run refused = f.cli({verb, a, b});
    QCOMPARE(refused.code, 1);
    QCOMPARE(refused.err, refusal(b, QStringLiteral("b")));
    QVERIFY(refused.out.isEmpty());
    QCOMPARE(f.weights(a), bytesOf(modelA.weightData));
    QCOMPARE(f.weights(b), bytesOf(modelB.weightData));
    QCOMPARE(f.cli({QStringLiteral("trash"), QStringLiteral("list"), scheme}).out,
             QStringLiteral("the trash of %1 is empty\n").arg(scheme));

    const Run replaced = f.cli({verb, a, b, QStringLiteral("--overwrite")});
    QCOMPARE(replaced.code, 0);
    QVERIFY2(replaced.err.isEmpty(), qPrintable(replaced.err));
    QCOMPARE(f.weights(b), bytesOf(modelA.weightData));
    QCOMPARE(f.weights(a), verb == QLatin1String("copy") ? bytesOf(modelA.weightData)
                                                         : QByteArray("<missing>"));
    const QStringList lines = f.cli({QStringLiteral("trash"), QStringLiteral("list")})
                                  .out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[1].startsWith(scheme + QStringLiteral(":1  ") + b + QStringLiteral("  ")),
             qPrintable(lines[1]));
    QVERIFY2(lines[1].contains(QStringLiteral("  replaced  ")), qPrintable(lines[1]));
    QVERIFY2(lines[1].endsWith(QStringLiteral("80 B")), qPrintable(lines[1]));
}

void TestCliTrash::moveOntoFolder()
{
    Fixture f;
    const ModelArtifacts model = randomModel(1, 10, 1);
    f.save(QStringLiteral("indexeddb://m"), model);
    const QString folder = f.dir.filePath(QStringLiteral("out"));
    f.save(QStringLiteral("file://") + folder, artifactsV0());
    const tfjs::test::Tree before = tfjs::test::snapshot(folder);
    // A plain path is file://, and the message names the model as a URL.
    const Run refused = f.cli({QStringLiteral("move"), QStringLiteral("indexeddb://m"), folder});
    QCOMPARE(refused.code, 1);
    QCOMPARE(refused.err, refusal(QStringLiteral("file://") + folder, folder));
    QCOMPARE(tfjs::test::snapshot(folder), before);
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), bytesOf(model.weightData));

    const Run moved = f.cli({QStringLiteral("move"), QStringLiteral("indexeddb://m"), folder,
                             QStringLiteral("--overwrite")});
    QCOMPARE(moved.code, 0);
    QCOMPARE(f.weights(QStringLiteral("file://") + folder), bytesOf(model.weightData));
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), QByteArray("<missing>"));
    // The source lives on in the folder, so it is not in the trash.
    QCOMPARE(f.cli({QStringLiteral("trash"), QStringLiteral("list")}).out,
             QStringLiteral("the trash of localstorage, indexeddb is empty\n"));
}

void TestCliTrash::removeListRestoreEmpty()
{
    Fixture f;
    f.save(QStringLiteral("indexeddb://r"), artifactsV0());
    f.save(QStringLiteral("localstorage://s"), artifactsV0());
    Run run = f.cli({QStringLiteral("remove"), QStringLiteral("indexeddb://r"),
                     QStringLiteral("localstorage://s")});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("removed indexeddb://r (to the trash; 'tfjs-model trash "
                                     "restore indexeddb://r' brings it back)\n"
                                     "removed localstorage://s (to the trash; 'tfjs-model trash "
                                     "restore localstorage://s' brings it back)\n"));

    run = f.cli({QStringLiteral("trash"), QStringLiteral("list")});
    QCOMPARE(run.code, 0);
    const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].simplified(), QStringLiteral("ID URL REMOVED (UTC) WHY WEIGHTS"));
    QVERIFY2(lines[1].startsWith(QStringLiteral("localstorage:1  localstorage://s  ")), qPrintable(run.out));
    QVERIFY2(lines[2].startsWith(QStringLiteral("indexeddb:1     indexeddb://r     ")), qPrintable(run.out));
    for (const QString &line : lines.mid(1)) {
        QVERIFY2(line.contains(QStringLiteral("  removed   ")), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral("16 B")), qPrintable(line));
    }
    QCOMPARE(f.cli({QStringLiteral("trash"), QStringLiteral("list"), QStringLiteral("localstorage://")})
                 .out.count(QLatin1Char('\n')),
             2);

    // By URL and by ID.
    run = f.cli({QStringLiteral("trash"), QStringLiteral("restore"), QStringLiteral("indexeddb://r")});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("restored indexeddb:1 to indexeddb://r\n"));
    run = f.cli({QStringLiteral("trash"), QStringLiteral("restore"), QStringLiteral("localstorage:1"),
                 QStringLiteral("--to"), QStringLiteral("localstorage://t")});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("restored localstorage:1 to localstorage://t\n"));
    QCOMPARE(f.weights(QStringLiteral("indexeddb://r")), QByteArray(16, '\0'));
    QCOMPARE(f.weights(QStringLiteral("localstorage://t")), QByteArray(16, '\0'));

    // Emptying: nothing is older than a day; then everything.
    QCOMPARE(f.cli({QStringLiteral("remove"), QStringLiteral("indexeddb://r")}).code, 0);
    QCOMPARE(f.cli({QStringLiteral("remove"), QStringLiteral("localstorage://t")}).code, 0);
    run = f.cli({QStringLiteral("trash"), QStringLiteral("empty"), QStringLiteral("--older-than"),
                 QStringLiteral("1")});
    QCOMPARE(run.code, 0);
    QCOMPARE(run.out, QStringLiteral("deleted 0 entries from the trash of localstorage, indexeddb "
                                     "(removed more than 1 days ago)\n"));
    run = f.cli({QStringLiteral("trash"), QStringLiteral("empty"), QStringLiteral("indexeddb")});
    QCOMPARE(run.out, QStringLiteral("deleted 1 entry from the trash of indexeddb\n"));
    run = f.cli({QStringLiteral("trash"), QStringLiteral("empty")});
    QCOMPARE(run.out, QStringLiteral("deleted 1 entry from the trash of localstorage, indexeddb\n"));
    QCOMPARE(f.cli({QStringLiteral("trash"), QStringLiteral("list")}).out,
             QStringLiteral("the trash of localstorage, indexeddb is empty\n"));
}

void TestCliTrash::listJson()
{
    Fixture f;
    f.save(QStringLiteral("indexeddb://m"), artifacts1());
    JobContext ctx;
    auto info = f.registry.load(QStringLiteral("indexeddb://m"), ctx);
    QVERIFY(info);
    QCOMPARE(f.cli({QStringLiteral("remove"), QStringLiteral("indexeddb://m")}).code, 0);
    const Run run = f.cli({QStringLiteral("trash"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.code, 0);
    const Json listed = json(run.out.toUtf8().constData());
    QVERIFY(listed.is_array());
    QCOMPARE(listed.size(), std::size_t(1));
    const Json &entry = listed[0];
    QCOMPARE(text(entry["id"]), QByteArray("\"indexeddb:1\""));
    QCOMPARE(text(entry["url"]), QByteArray("\"indexeddb://m\""));
    QCOMPARE(text(entry["reason"]), QByteArray("\"removed\""));
    QVERIFY(QDateTime::fromString(QString::fromStdString(entry["removed"].get<std::string>()),
                                  Qt::ISODateWithMs)
                .isValid());
    QCOMPARE(entry["modelArtifactsInfo"]["weightDataBytes"].get<int>(), 16);
    QCOMPARE(entry["modelArtifactsInfo"]["modelTopologyBytes"].get<qint64>(), kTopology1Bytes);
}

void TestCliTrash::restoreOntoExisting()
{
    Fixture f;
    const ModelArtifacts old = randomModel(1, 10, 1);
    const ModelArtifacts now = randomModel(1, 20, 2);
    f.save(QStringLiteral("indexeddb://m"), old);
    QCOMPARE(f.cli({QStringLiteral("remove"), QStringLiteral("indexeddb://m")}).code, 0);
    f.save(QStringLiteral("indexeddb://m"), now);
    const QStringList restore = {QStringLiteral("trash"), QStringLiteral("restore"),
                                 QStringLiteral("indexeddb://m")};
    Run run = f.cli(restore);
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err, refusal(QStringLiteral("indexeddb://m"), QStringLiteral("m")));
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), bytesOf(now.weightData));
    run = f.cli(restore + QStringList{QStringLiteral("--overwrite")});
    QCOMPARE(run.code, 0);
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), bytesOf(old.weightData));
    // The model it replaced is the newest entry for that URL now: restoring again swaps back.
    run = f.cli(restore + QStringList{QStringLiteral("--overwrite")});
    QCOMPARE(run.out, QStringLiteral("restored indexeddb:2 to indexeddb://m\n"));
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), bytesOf(now.weightData));
}

void TestCliTrash::deleteAllOrNone()
{
    Fixture f;
    for (const QString &url : { QStringLiteral("indexeddb://a"), QStringLiteral("indexeddb://b"),
             QStringLiteral("localstorage://c") }) {
        f.save(url, artifactsV0());
        QCOMPARE(f.cli({ QStringLiteral("remove"), url }).code, 0);
    }
    const QStringList del = { QStringLiteral("trash"), QStringLiteral("delete") };
    const auto listed = [&f] {
        return f.cli({ QStringLiteral("trash"), QStringLiteral("list"), QStringLiteral("--json") })
            .out;
    };
    const QString before = listed();

    // One ID missing (or two): exit 1 naming them, and nothing deleted in either store.
    Run run = f.binary(
        del + QStringList { QStringLiteral("localstorage:1"), QStringLiteral("indexeddb:7") });
    QCOMPARE(run.code, 1);
    QCOMPARE(run.err,
        QStringLiteral("tfjs-model: indexeddb:7 is not in the trash; nothing was "
                       "deleted ('tfjs-model trash list' shows the entries).\n"));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(listed(), before);
    run = f.cli(del
        + QStringList { QStringLiteral("indexeddb:9"), QStringLiteral("indexeddb:1"),
            QStringLiteral("localstorage:8") });
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: indexeddb:9, localstorage:8 are not in "
                                               "the trash; nothing was deleted")),
        qPrintable(run.err));
    QCOMPARE(listed(), before);

    // All there: each store's entries go, in the order given; the others stay.
    run = f.binary(del
        + QStringList { QStringLiteral("localstorage:1"), QStringLiteral("INDEXEDDB:2"),
            QStringLiteral("localstorage:1") });
    QCOMPARE(run.code, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.out,
        QStringLiteral("deleted localstorage:1 (localstorage://c) for good\n"
                       "deleted indexeddb:2 (indexeddb://b) for good\n"));
    const QStringList lines = f.cli({ QStringLiteral("trash"), QStringLiteral("list") })
                                  .out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(
        lines[1].startsWith(QStringLiteral("indexeddb:1  indexeddb://a  ")), qPrintable(lines[1]));
    // It can still be restored; the deleted ones cannot.
    QCOMPARE(
        f.cli({ QStringLiteral("trash"), QStringLiteral("restore"), QStringLiteral("indexeddb:1") })
            .code,
        0);
    QCOMPARE(
        f.cli({ QStringLiteral("trash"), QStringLiteral("restore"), QStringLiteral("indexeddb:2") })
            .code,
        1);
    QCOMPARE(f.weights(QStringLiteral("indexeddb://b")), QByteArray("<missing>"));
}

void TestCliTrash::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrStart");
    const QString trash = QStringLiteral("trash");
    const auto row = [](const char *name, const QStringList &args, int code, const QString &err) {
        QTest::newRow(name) << args << code << err;
    };
    row("no action", { trash }, 2,
        QStringLiteral("tfjs-model: trash takes list, restore, delete or empty.\n\nUsage:"));
    row("unknown action", { trash, QStringLiteral("frob") }, 2,
        QStringLiteral("tfjs-model: trash takes list, restore, delete or empty."));
    row("delete nothing", { trash, QStringLiteral("delete") }, 2,
        QStringLiteral("tfjs-model: trash delete takes one or more IDs."));
    row("delete a URL", { trash, QStringLiteral("delete"), QStringLiteral("indexeddb://m") }, 2,
        QStringLiteral("tfjs-model: 'indexeddb://m' is not a trash ID (STORE:N, as 'trash list' "
                       "prints it)."));
    row("delete a bare number", { trash, QStringLiteral("delete"), QStringLiteral("1") }, 2,
        QStringLiteral("tfjs-model: '1' is not a trash ID"));
    row("delete from an unknown store",
        { trash, QStringLiteral("delete"), QStringLiteral("file:1") }, 2,
        QStringLiteral("tfjs-model: 'file:1' is not a trash ID"));
    row("delete a missing ID", { trash, QStringLiteral("delete"), QStringLiteral("indexeddb:1") },
        1,
        QStringLiteral("tfjs-model: indexeddb:1 is not in the trash; nothing was deleted "
                       "('tfjs-model trash list' shows the entries).\n"));
    row("--overwrite on delete",
        { trash, QStringLiteral("delete"), QStringLiteral("indexeddb:1"),
            QStringLiteral("--overwrite") },
        2, QStringLiteral("tfjs-model: --overwrite is for trash restore."));
    row("restore nothing", {trash, QStringLiteral("restore")}, 2,
        QStringLiteral("tfjs-model: trash restore takes one URL or ID."));
    row("restore two", {trash, QStringLiteral("restore"), QStringLiteral("indexeddb:1"), QStringLiteral("indexeddb:2")},
        2, QStringLiteral("tfjs-model: trash restore takes one URL or ID."));
    row("bare number", {trash, QStringLiteral("restore"), QStringLiteral("7")}, 2,
        QStringLiteral("tfjs-model: '7' is neither a trash ID (STORE:N, as 'trash list' prints it) "
                       "nor a model URL."));
    row("--to on list", {trash, QStringLiteral("list"), QStringLiteral("--to"), QStringLiteral("indexeddb://x")},
        2, QStringLiteral("tfjs-model: --to is for trash restore."));
    row("--json on empty", {trash, QStringLiteral("empty"), QStringLiteral("--json")}, 2,
        QStringLiteral("tfjs-model: --json is for trash list."));
    row("--older-than on list", {trash, QStringLiteral("list"), QStringLiteral("--older-than"), QStringLiteral("3")},
        2, QStringLiteral("tfjs-model: --older-than is for trash empty."));
    row("negative days", {trash, QStringLiteral("empty"), QStringLiteral("--older-than"), QStringLiteral("-1")},
        2, QStringLiteral("tfjs-model: --older-than takes a whole number of days, 0 or more."));
    row("days not a number", {trash, QStringLiteral("empty"), QStringLiteral("--older-than"), QStringLiteral("x")},
        2, QStringLiteral("tfjs-model: --older-than takes a whole number of days, 0 or more."));
    row("URL not in the trash", {trash, QStringLiteral("restore"), QStringLiteral("indexeddb://nope")}, 1,
        QStringLiteral("tfjs-model: indexeddb://nope is not in the trash. [url: indexeddb://nope]\n"));
    row("ID not in the trash", {trash, QStringLiteral("restore"), QStringLiteral("indexeddb:99")}, 1,
        QStringLiteral("tfjs-model: There is no entry 99 in the trash of the IndexedDB store "));
    row("restore across stores",
        {trash, QStringLiteral("restore"), QStringLiteral("indexeddb:1"), QStringLiteral("--to"),
         QStringLiteral("localstorage://x")},
        1, QStringLiteral("tfjs-model: Cannot restore entry 1 of the indexeddb:// trash to "
                          "'localstorage://x': a restore stays inside its store; restore it, then "
                          "move it.\n"));
    row("list an unknown store", {trash, QStringLiteral("list"), QStringLiteral("file://")}, 1,
        QStringLiteral("tfjs-model: Cannot find model manager for scheme 'file'\n"));
    row("empty an unknown store", {trash, QStringLiteral("empty"), QStringLiteral("http")}, 1,
        QStringLiteral("tfjs-model: Cannot find model manager for scheme 'http'\n"));
}

void TestCliTrash::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, stderrStart);
    Fixture f;
    f.save(QStringLiteral("indexeddb://m"), artifactsV0());
    const Run run = f.cli(args);
    QCOMPARE(run.code, code);
    QVERIFY2(run.err.startsWith(stderrStart), qPrintable(run.err));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    QCOMPARE(f.weights(QStringLiteral("indexeddb://m")), QByteArray(16, '\0'));
}

void TestCliTrash::binaryExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    const QString m = QStringLiteral("indexeddb://m");
    const QString n = QStringLiteral("indexeddb://n");
    QTest::newRow("copy onto a model") << QStringList{QStringLiteral("copy"), m, n} << 1;
    QTest::newRow("copy --overwrite") << QStringList{QStringLiteral("copy"), m, n, QStringLiteral("--overwrite")} << 0;
    QTest::newRow("move onto a model") << QStringList{QStringLiteral("move"), m, n} << 1;
    QTest::newRow("rename --overwrite") << QStringList{QStringLiteral("rename"), m, n, QStringLiteral("--overwrite")} << 0;
    QTest::newRow("remove") << QStringList{QStringLiteral("remove"), m} << 0;
    QTest::newRow("trash list") << QStringList{QStringLiteral("trash"), QStringLiteral("list")} << 0;
    QTest::newRow("trash restore missing") << QStringList{QStringLiteral("trash"), QStringLiteral("restore"), m} << 1;
    QTest::newRow("trash bogus") << QStringList{QStringLiteral("trash"), QStringLiteral("bogus")} << 2;
    QTest::newRow("trash empty") << QStringList{QStringLiteral("trash"), QStringLiteral("empty")} << 0;
}

void TestCliTrash::binaryExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    Fixture f;
    f.save(QStringLiteral("indexeddb://m"), artifactsV0());
    f.save(QStringLiteral("indexeddb://n"), artifactsV0());
    const Run run = f.binary(args);
    QCOMPARE(run.code, code);
    if (code == 0) {
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QVERIFY(!run.out.isEmpty());
    } else {
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
        QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: ")), qPrintable(run.err));
    }
}

void TestCliTrash::help()
{
    Fixture f;
    for (const QString &verb : {QStringLiteral("copy"), QStringLiteral("move"), QStringLiteral("rename")}) {
        const Run run = f.cli({verb, QStringLiteral("--help")});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.contains(QStringLiteral("--overwrite")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("unless --overwrite")), qPrintable(run.out));
    }
    Run run = f.cli({QStringLiteral("trash"), QStringLiteral("--help")});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral(
                 "Usage: tfjs-model trash [options] list|restore|delete|empty [ARGS...]")),
        qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("| delete ID...")), qPrintable(run.out));
    run = f.cli({QStringLiteral("remove"), QStringLiteral("--help")});
    QVERIFY2(run.out.contains(QStringLiteral("to its trash")), qPrintable(run.out));
    run = f.cli({QStringLiteral("--help")});
    QVERIFY2(run.out.contains(
                 QStringLiteral("\n  trash       List, restore, delete or empty the trash")),
        qPrintable(run.out));
}

QTEST_GUILESS_MAIN(TestCliTrash)
#include "tst_clitrash.moc"
