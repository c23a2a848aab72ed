// tfjs-model diff, in-process through tfjs::cli::run: exit codes (0 identical, 1 different or
// failure, 2 usage), the text and JSON reports, --tensor.
#include "clirun.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// The small model (testutil.h) with its kernel perturbed: value 1 by +0.25, value 4 by -0.125.
QString writePerturbed(const QString &dir)
{
    const QByteArray weights
        = f32({ 1.5f, -2.0f + 0.25f, 0.25f, 3.0f, 4.0f - 0.125f, -0.5f }) + i32({ 7, -8, 9 });
    return writeModel(dir, compact(smallModelJson({ QStringLiteral("weights.bin") })),
        { { QStringLiteral("weights.bin"), weights } });
}

// The small model with 4 units in its Dense layer (topology only; the weights unchanged).
QString writeWiderTopology(const QString &dir)
{
    Json json = smallModelJson({ QStringLiteral("weights.bin") });
    json["modelTopology"]["config"]["layers"][0]["config"]["units"] = 4;
    return writeModel(dir, compact(json), { { QStringLiteral("weights.bin"), smallWeights() } });
}

} // namespace

class TestDiffCli : public QObject
{
    Q_OBJECT

private slots:
    void listedWithItsExitCodes();
    void usageErrors_data();
    void usageErrors();
    void modelWithItself();
    void perturbedWeights();
    void perturbedWeightsJson();
    void topologyChange();
    void onlyNamedTensors();
    void acrossSchemes();
    void failures_data();
    void failures();
};

void TestDiffCli::listedWithItsExitCodes()
{
    const CliRun run = runCli({ QStringLiteral("--help") });
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.contains(QStringLiteral("  diff        Compare two models")));
    const CliRun help = runCli({ QStringLiteral("diff"), QStringLiteral("--help") });
    QCOMPARE(help.code, 0);
    QVERIFY2(
        help.out.contains(QStringLiteral("Exit status: 0 identical, 1 different or a failure")),
        qPrintable(help.out));
    QVERIFY(help.out.contains(QStringLiteral("2 usage error.")));
}

void TestDiffCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("one URL") << QStringList { QStringLiteral("diff"), QStringLiteral("a") }
                             << QStringLiteral("tfjs-model: diff takes two URLs, A and B.");
    QTest::newRow("three URLs") << QStringList { QStringLiteral("diff"), QStringLiteral("a"),
        QStringLiteral("b"), QStringLiteral("c") }
                                << QStringLiteral("tfjs-model: diff takes two URLs, A and B.");
    QTest::newRow("threads not a number")
        << QStringList { QStringLiteral("diff"), QStringLiteral("--threads"), QStringLiteral("x"),
               QStringLiteral("a"), QStringLiteral("b") }
        << QStringLiteral("tfjs-model: --threads takes a number from 0 to 1024.");
}

void TestDiffCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith(message + QStringLiteral("\n\nUsage: tfjs-model diff")),
        qPrintable(run.err));
}

void TestDiffCli::modelWithItself()
{
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const CliRun run = runCli({ QStringLiteral("diff"), a, a });
    QCOMPARE(run.code, 0);
    QVERIFY(run.err.isEmpty());
    QCOMPARE(run.out,
        QStringLiteral("A: %1\nB: %1\n"
                       "topology: layers-model vs layers-model, identical\n"
                       "tensors: 2 identical, 0 changed, 0 added, 0 removed, 0 renamed\n"
                       "values: 0 of 9 changed  max|a-b| 0  mean|a-b| 0  relL2 0\n"
                       "identical\n")
            .arg(a));
}

void TestDiffCli::perturbedWeights()
{
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString b = writePerturbed(dir.filePath(QStringLiteral("b")));
    const CliRun run = runCli({ QStringLiteral("diff"), a, b });
    QCOMPARE(run.code, 1);
    QVERIFY(run.err.isEmpty());
    QVERIFY2(run.out.contains(QStringLiteral(
                 "tensors: 1 identical, 1 changed, 0 added, 0 removed, 0 renamed\n"
                 "  ~ dense/kernel  float32 [2,3]  changed 2/6  max|a-b| 0.25  mean|a-b| 0.0625")),
        qPrintable(run.out));
    QVERIFY(run.out.endsWith(QStringLiteral("\ndifferent\n")));
}

void TestDiffCli::perturbedWeightsJson()
{
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString b = writePerturbed(dir.filePath(QStringLiteral("b")));
    const CliRun run = runCli({ QStringLiteral("diff"), QStringLiteral("--json"), a, b });
    QCOMPARE(run.code, 1);
    const Json json = stdoutJson(run.out);
    QCOMPARE(json["identical"].get<bool>(), false);
    QCOMPARE(json["a"].get<std::string>(), a.toStdString());
    const Json &kernel = json["tensors"][0];
    QCOMPARE(kernel["name"].get<std::string>(), std::string("dense/kernel"));
    QCOMPARE(kernel["status"].get<std::string>(), std::string("changed"));
    QCOMPARE(kernel["maxAbs"].get<double>(), 0.25);
    QCOMPARE(kernel["meanAbs"].get<double>(), 0.375 / 6);
    QCOMPARE(kernel["changed"].get<int>(), 2);
    QCOMPARE(json["tensors"][1]["status"].get<std::string>(), std::string("identical"));
    QCOMPARE(json["totals"]["maxAbs"].get<double>(), 0.25);
    QCOMPARE(json["totals"]["changedValues"].get<int>(), 2);
    QCOMPARE(json["totals"]["values"].get<int>(), 9);
}

void TestDiffCli::topologyChange()
{
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString b = writeWiderTopology(dir.filePath(QStringLiteral("b")));
    const CliRun run = runCli({ QStringLiteral("diff"), a, b });
    QCOMPARE(run.code, 1);
    QVERIFY2(
        run.out.contains(QStringLiteral("  ~ layer dense (Dense)\n      config.units: 3 -> 4\n")),
        qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("tensors: 2 identical, 0 changed")));
    const Json json
        = stdoutJson(runCli({ QStringLiteral("diff"), QStringLiteral("--json"), a, b }).out);
    const Json &node = json["topology"]["nodes"][0];
    QCOMPARE(node["status"].get<std::string>(), std::string("changed"));
    QCOMPARE(node["changes"][0]["key"].get<std::string>(), std::string("config.units"));
    QCOMPARE(node["changes"][0]["before"].get<int>(), 3);
    QCOMPARE(node["changes"][0]["after"].get<int>(), 4);
}

void TestDiffCli::onlyNamedTensors()
{
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString b = writePerturbed(dir.filePath(QStringLiteral("b")));
    const CliRun run = runCli(
        { QStringLiteral("diff"), QStringLiteral("--tensor"), QStringLiteral("dense/bias"), a, b });
    QCOMPARE(run.code, 0);
    QVERIFY2(run.out.contains(QStringLiteral("  = dense/bias  int32 [3]  changed 0/3  max|a-b| 0")),
        qPrintable(run.out));
    QVERIFY(!run.out.contains(QStringLiteral("dense/kernel")));
}

void TestDiffCli::acrossSchemes()
{
    // A folder against its copy in the indexeddb:// store: identical; against a perturbed
    // folder stored as localstorage://: the same difference as between the folders.
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    const QString b = writePerturbed(dir.filePath(QStringLiteral("b")));
    const QStringList store = { QStringLiteral("--store"), dir.filePath(QStringLiteral("store")) };
    QCOMPARE(runCli(QStringList { QStringLiteral("copy"), a, QStringLiteral("indexeddb://m") } + store).code, 0);
    QCOMPARE(runCli(QStringList { QStringLiteral("copy"), b, QStringLiteral("localstorage://p") } + store).code, 0);
    const CliRun same = runCli(QStringList { QStringLiteral("diff"), a, QStringLiteral("indexeddb://m") } + store);
    QCOMPARE(same.code, 0);
    QVERIFY2(same.out.endsWith(QStringLiteral("\nidentical\n")), qPrintable(same.out));
    const CliRun other = runCli(
        QStringList { QStringLiteral("diff"), QStringLiteral("--json"), QStringLiteral("indexeddb://m"), QStringLiteral("localstorage://p") }
        + store);
    QCOMPARE(other.code, 1);
    const Json json = stdoutJson(other.out);
    QCOMPARE(json["tensors"][0]["maxAbs"].get<double>(), 0.25);
    QCOMPARE(json["totals"]["changedValues"].get<int>(), 2);
}

void TestDiffCli::failures_data()
{
    QTest::addColumn<QString>("b");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing model")
        << QStringLiteral("{dir}/missing/model.json") << QStringList {}
        << QStringLiteral(
               "tfjs-model: Path {dir}/missing/model.json does not exist: loading failed "
               "[path: {dir}/missing/model.json]\n");
    QTest::newRow("unknown tensor")
        << QStringLiteral("{a}")
        << QStringList { QStringLiteral("--tensor"), QStringLiteral("nope") }
        << QStringLiteral("tfjs-model: Neither model has a tensor named 'nope'. [tensor: nope]\n");
    QTest::newRow("short weights")
        << QStringLiteral("{dir}/short/model.json") << QStringList {}
        << QStringLiteral("tfjs-model: The weight files of {dir}/short/model.json are too short: "
                          "tensor 'dense/bias' starts at byte 24");
}

void TestDiffCli::failures()
{
    QFETCH(QString, b);
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString a = writeSmallModel(dir.filePath(QStringLiteral("a")));
    writeModel(dir.filePath(QStringLiteral("short")),
        compact(smallModelJson({ QStringLiteral("weights.bin") })),
        { { QStringLiteral("weights.bin"), smallWeights().left(30) } });
    const auto expand = [&](QString text) {
        return text.replace(QStringLiteral("{dir}"), dir.path()).replace(QStringLiteral("{a}"), a);
    };
    const CliRun run
        = runCli(QStringList { QStringLiteral("diff") } + options + QStringList { a, expand(b) });
    QCOMPARE(run.code, 1);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith(expand(message)), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestDiffCli)
#include "tst_diffcli.moc"
