// modelJsonInFolder: the one rule for a folder given where a model is expected, and
// FileHandler loading such a folder.
#include "base/job.h"
#include "file/filehandler.h"
#include "file/modelfolder.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestModelFolder : public QObject
{
    Q_OBJECT

private slots:
    void modelJsonWins();
    void onlyJson();
    void notOneModel_data();
    void notOneModel();
    void missingFolder();
    void fileHandlerLoadsOnlyJson();
    void fileHandlerRefusesSeveral();
};

void TestModelFolder::modelJsonWins()
{
    QTemporaryDir tmp;
    writeSmallModel(tmp.path());
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("other.json")), "{}"));
    QCOMPARE(modelJsonInFolder(tmp.path()), tmp.filePath(QStringLiteral("model.json")));
}

void TestModelFolder::onlyJson()
{
    QTemporaryDir tmp;
    writeModel(tmp.path(), compact(smallModelJson({QStringLiteral("w.bin")})),
               {{QStringLiteral("w.bin"), smallWeights()}}, QStringLiteral("mobilenet.json"));
    QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("sub.json")))); // a folder, not a file
    QCOMPARE(modelJsonInFolder(tmp.path()), tmp.filePath(QStringLiteral("mobilenet.json")));
}

void TestModelFolder::notOneModel_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message"); // %1: the folder
    QTest::newRow("no JSON") << QStringList{QStringLiteral("weights.bin")} << ErrorCode::NotFound
                             << QStringLiteral("The folder %1 holds no model JSON file; give the "
                                               "path of the model JSON file to load.");
    QTest::newRow("two JSON") << QStringList{QStringLiteral("b.json"), QStringLiteral("a.json")}
                              << ErrorCode::InvalidArgument
                              << QStringLiteral("The folder %1 holds 2 JSON files (a.json, b.json) "
                                                "and no model.json; give the path of the one to load.");
}

void TestModelFolder::notOneModel()
{
    QFETCH(QStringList, files);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    for (const QString &file : files)
        QVERIFY(writeFile(tmp.filePath(file), "{}"));
    const auto json = modelJsonInFolder(tmp.path());
    QVERIFY(!json);
    QCOMPARE(json.error().code, code);
    QCOMPARE(json.error().path, tmp.path());
    QCOMPARE(json.error().message, message.arg(tmp.path()));
}

void TestModelFolder::missingFolder()
{
    QTemporaryDir tmp;
    const QString gone = tmp.filePath(QStringLiteral("gone"));
    const auto json = modelJsonInFolder(gone);
    QVERIFY(!json);
    QCOMPARE(json.error().code, ErrorCode::NotFound);
    QCOMPARE(json.error().path, gone);
}

void TestModelFolder::fileHandlerLoadsOnlyJson()
{
    QTemporaryDir tmp;
    writeModel(tmp.path(), compact(smallModelJson({QStringLiteral("w.bin")})),
               {{QStringLiteral("w.bin"), smallWeights()}}, QStringLiteral("mobilenet.json"));
    JobContext ctx;
    auto loaded = FileHandler(tmp.path()).load(ctx);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().toString()));
    QVERIFY(loaded->weightSpecs);
    QCOMPARE(loaded->weightSpecs->size(), std::size_t(2));
}

void TestModelFolder::fileHandlerRefusesSeveral()
{
    QTemporaryDir tmp;
    writeSmallModel(tmp.filePath(QStringLiteral("x")));
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("a.json")), "{}"));
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("b.json")), "{}"));
    JobContext ctx;
    auto loaded = FileHandler(tmp.path()).load(ctx);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().toString(), modelJsonInFolder(tmp.path()).error().toString());
}

QTEST_GUILESS_MAIN(TestModelFolder)
#include "tst_modelfolder.moc"
