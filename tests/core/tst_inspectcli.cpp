// tfjs-model summary and stats, in-process through tfjs::cli::run: output, --json, options and
// exit codes (0 success, 1 failure, 2 usage).
#include "clirun.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {


// A Sequential model saved the way tfjs-node does: model.json + weights.bin.
QString writeModel(const QString &dir)
{
    const QByteArray json = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[
        {"class_name":"Dense","config":{"units":2,"name":"d","batch_input_shape":[null,3]}}]},
        "keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"},
        "weightsManifest":[{"paths":["weights.bin"],"weights":[{"name":"d/kernel","shape":[3,2],"dtype":"float32"},
        {"name":"d/bias","shape":[2],"dtype":"float32"}]}],
        "format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null})";
    const QString path = dir + QStringLiteral("/model.json");
    if (!writeFile(path, json)
        || !writeFile(dir + QStringLiteral("/weights.bin"),
                      f32({1, -2, 0, 4, 0.5f, 0, std::numeric_limits<float>::quiet_NaN(), 0.25f})))
        qFatal("cannot write the test model");
    return path;
}

} // namespace

class TestInspectCli : public QObject
{
    Q_OBJECT

private slots:
    void verbsAreListed();
    void usageErrors_data();
    void usageErrors();
    void summaryText();
    void summaryJson();
    void statsJson();
    void statsTable();
    void statsOfOneTensor();
    void failures();
};

void TestInspectCli::verbsAreListed()
{
    const CliRun run = runCli({QStringLiteral("--help")});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.contains(QStringLiteral("  summary     ")));
    QVERIFY(run.out.contains(QStringLiteral("  stats       ")));
}

void TestInspectCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("summary without URL") << QStringList{QStringLiteral("summary")}
                                         << QStringLiteral("tfjs-model: summary takes one URL.");
    QTest::newRow("stats with two URLs") << QStringList{QStringLiteral("stats"), QStringLiteral("a"), QStringLiteral("b")}
                                         << QStringLiteral("tfjs-model: stats takes one URL.");
    QTest::newRow("bins not a number") << QStringList{QStringLiteral("stats"), QStringLiteral("--bins"), QStringLiteral("ten"), QStringLiteral("m")}
                                       << QStringLiteral("tfjs-model: --bins takes a number from 0 to 100000.");
    QTest::newRow("bins too many") << QStringList{QStringLiteral("stats"), QStringLiteral("--bins"), QStringLiteral("100001"), QStringLiteral("m")}
                                   << QStringLiteral("tfjs-model: --bins takes a number from 0 to 100000.");
    QTest::newRow("threads negative") << QStringList{QStringLiteral("stats"), QStringLiteral("--threads"), QStringLiteral("-1"), QStringLiteral("m")}
                                      << QStringLiteral("tfjs-model: --threads takes a number from 0 to 1024.");
}

void TestInspectCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.code, 2);
    QVERIFY2(run.err.startsWith(message + QStringLiteral("\n\n")), qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("Usage: tfjs-model ")));
    QVERIFY(run.out.isEmpty());
}

void TestInspectCli::summaryText()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    const CliRun run = runCli({QStringLiteral("summary"), model});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("model:          %1\n").arg(model)));
    QVERIFY(run.out.contains(QStringLiteral("d (Dense)                   [[null,3]]                [null,2]                  8         \n")));
    QVERIFY(run.out.contains(QStringLiteral("Total params: 8\nTrainable params: 8\nNon-trainable params: 0\n")));
}

void TestInspectCli::summaryJson()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    const CliRun run = runCli({QStringLiteral("summary"), QStringLiteral("--json"), model});
    QCOMPARE(run.code, 0);
    const Json json = stdoutJson(run.out);
    QCOMPARE(json["schema"].get<std::string>(), std::string("tfjs-model/summary/1"));
    QCOMPARE(json["url"].get<std::string>(), model.toStdString());
    QCOMPARE(json["layers"]["params"]["total"].get<std::int64_t>(), std::int64_t(8));
    QCOMPARE(json["weights"]["tensors"].get<int>(), 2);
}

void TestInspectCli::statsJson()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    const CliRun run = runCli({QStringLiteral("stats"), QStringLiteral("--json"), QStringLiteral("--bins"),
                            QStringLiteral("4"), model});
    QCOMPARE(run.code, 0);
    const Json json = stdoutJson(run.out);
    QCOMPARE(json["schema"].get<std::string>(), std::string("tfjs-model/stats/1"));
    QCOMPARE(json["bins"].get<int>(), 4);
    const Json &kernel = json["tensors"][0];
    QCOMPARE(kernel["name"].get<std::string>(), std::string("d/kernel"));
    QCOMPARE(kernel["min"].get<double>(), -2.0);
    QCOMPARE(kernel["max"].get<double>(), 4.0);
    QCOMPARE(kernel["zeros"].get<int>(), 2);
    QCOMPARE(kernel["mean"].get<double>(), 3.5 / 6);
    // bins of width 1.5 over [-2, 4]: -2 | 0, 0, 0.5 | 1 | 4 (the max goes in the last bin)
    QCOMPARE(QString::fromStdString(stringify(kernel["histogram"]["counts"])), QStringLiteral("[1,3,1,1]"));
    const Json &bias = json["tensors"][1];
    QCOMPARE(bias["nan"].get<int>(), 1);
    QCOMPARE(bias["finite"].get<int>(), 1);
    QCOMPARE(json["model"]["count"].get<int>(), 8);
    QCOMPARE(json["model"]["nan"].get<int>(), 1);
    QVERIFY(json["optimizer"].is_null());
}

void TestInspectCli::statsTable()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    const CliRun run = runCli({QStringLiteral("stats"), model});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.contains(QStringLiteral("weights:  2 tensors, 32 bytes (32 B)\n")));
    QVERIFY(run.out.contains(QStringLiteral("d/kernel  float32")));
    QVERIFY(run.out.contains(QStringLiteral("model (2 float32 tensors):\n  values:   8 (7 finite, 1 NaN, 0 +Inf, 0 -Inf)\n")));
}

void TestInspectCli::statsOfOneTensor()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    const CliRun run = runCli({QStringLiteral("stats"), QStringLiteral("--tensor"), QStringLiteral("d/bias"),
                            QStringLiteral("--bins"), QStringLiteral("2"), model});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.contains(QStringLiteral("d/bias  float32 [2]  bytes 8 at 24\n")));
    QVERIFY(run.out.contains(QStringLiteral("  histogram:\n")));
    QVERIFY(!run.out.contains(QStringLiteral("d/kernel")));
}

void TestInspectCli::failures()
{
    QTemporaryDir dir;
    const QString model = writeModel(dir.path());
    CliRun run = runCli({QStringLiteral("stats"), QStringLiteral("--tensor"), QStringLiteral("nope"), model});
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: The model has no tensor named 'nope'.")), qPrintable(run.err));
    run = runCli({QStringLiteral("summary"), dir.filePath(QStringLiteral("missing/model.json"))});
    QCOMPARE(run.code, 1);
    QVERIFY(run.err.startsWith(QStringLiteral("tfjs-model: ")));
    QVERIFY(QFile::resize(dir.filePath(QStringLiteral("weights.bin")), 30));
    run = runCli({QStringLiteral("stats"), model});
    QCOMPARE(run.code, 1);
    QVERIFY(run.err.startsWith(QStringLiteral("tfjs-model: ")));
}

QTEST_GUILESS_MAIN(TestInspectCli)
#include "tst_inspectcli.moc"
