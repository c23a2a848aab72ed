// downloads://: TF.js's browserDownloads (browser_files.ts) as files in a folder: the names,
// the browser key order and manifest, topology-only saves, and never overwriting (" (1)").
#include "schemes/schemes.h"
#include "base/job.h"
#include "storetestdata.h"
#include "file/downloadshandler.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace storetest;

namespace {

class Fixture
{
public:
    Fixture()
    {
        options.downloadsDir = dir.path() + QStringLiteral("/Downloads");
        registry = makeDefaultRegistry(options);
    }
    Result<SaveResult> save(const QString &url, const ModelArtifacts &artifacts)
    {
        auto handler = registry.handlerFor(url);
        if (!handler)
            return fail(handler.error());
        return (*handler)->save(artifacts, ctx);
    }
    QString path(const QString &name) const { return options.downloadsDir + QLatin1Char('/') + name; }
    QByteArray read(const QString &name) const
    {
        QFile file(path(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
    }
    QStringList files() const
    {
        return QDir(options.downloadsDir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }

    QTemporaryDir dir;
    HandlerOptions options;
    HandlerRegistry registry;
    JobContext ctx;
};

QStringList keysOf(const Json &object)
{
    QStringList keys;
    for (const auto &[key, value] : object.items())
        keys << QString::fromStdString(key);
    return keys;
}

} // namespace

class TestDownloads : public QObject
{
    Q_OBJECT

private slots:
    void defaultName();
    void prefixAndScheme_data();
    void prefixAndScheme();
    void browserKeyOrder();
    void topologyOnly();
    void emptyWeights();
    void neverOverwrites();
    void onlyTheBinExists();
    void streamsFileSegments();
    void cannotLoad();
    void folderIsCreated();
};

void TestDownloads::defaultName()
{
    Fixture f;
    const ModelArtifacts model = artifacts1();
    auto saved = f.save(QStringLiteral("downloads://"), model);
    QVERIFY2(saved, why(saved));
    QCOMPARE(saved->files, (QStringList{f.path(QStringLiteral("model.weights.bin")),
                                        f.path(QStringLiteral("model.json"))}));
    QCOMPARE(f.files(), (QStringList{QStringLiteral("model.json"),
                                     QStringLiteral("model.weights.bin")}));
    QCOMPARE(f.read(QStringLiteral("model.weights.bin")), QByteArray(16, '\0'));
    const Json written = json(f.read(QStringLiteral("model.json")).constData());
    QCOMPARE(text(written["weightsManifest"]),
             QByteArray(R"([{"paths":["./model.weights.bin"],"weights":)") + kSpecs1 + "}]");
    QCOMPARE(saved->modelArtifactsInfo.modelTopologyBytes, kTopology1Bytes);
    QCOMPARE(saved->modelArtifactsInfo.weightSpecsBytes, kSpecs1Bytes);
    QCOMPARE(saved->modelArtifactsInfo.weightDataBytes, 16);
}

void TestDownloads::prefixAndScheme_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("stem");
    QTest::newRow("name") << QStringLiteral("downloads://test-model") << QStringLiteral("test-model");
    QTest::newRow("scheme twice") << QStringLiteral("downloads://downloads://x") << QStringLiteral("x");
    QTest::newRow("spaces and unicode") << QStringLiteral("downloads://my модель")
                                        << QStringLiteral("my модель");
    QTest::newRow("path separators") << QStringLiteral("downloads://a/b\\c") << QStringLiteral("a_b_c");
    QTest::newRow("dot dot") << QStringLiteral("downloads://..") << QStringLiteral("_");
}

void TestDownloads::prefixAndScheme()
{
    QFETCH(QString, url);
    QFETCH(QString, stem);
    Fixture f;
    auto saved = f.save(url, artifacts1());
    QVERIFY2(saved, why(saved));
    QCOMPARE(f.files(), (QStringList{stem + QStringLiteral(".json"),
                                     stem + QStringLiteral(".weights.bin")}));
    const Json written = json(f.read(stem + QStringLiteral(".json")).constData());
    QCOMPARE(QString::fromStdString(written["weightsManifest"][0]["paths"][0].get<std::string>()),
             QStringLiteral("./") + stem + QStringLiteral(".weights.bin"));
}

void TestDownloads::browserKeyOrder()
{
    // getModelJSONForModelArtifacts: modelTopology, format, generatedBy, convertedBy,
    // weightsManifest, then signature, userDefinedMetadata, modelInitializer,
    // initializerSignature, trainingConfig when non-null.
    Fixture f;
    ModelArtifacts model = artifactsWithMetadata();
    model.signature = json(R"({"inputs":{}})");
    model.initializerSignature = json(R"({"outputs":{}})");
    QVERIFY(f.save(QStringLiteral("downloads://graph"), model));
    const QByteArray bytes = f.read(QStringLiteral("graph.json"));
    const Json written = json(bytes.constData());
    QCOMPARE(keysOf(written),
             (QStringList{QStringLiteral("modelTopology"), QStringLiteral("format"),
                          QStringLiteral("generatedBy"), QStringLiteral("convertedBy"),
                          QStringLiteral("weightsManifest"), QStringLiteral("signature"),
                          QStringLiteral("userDefinedMetadata"), QStringLiteral("modelInitializer"),
                          QStringLiteral("initializerSignature"), QStringLiteral("trainingConfig")}));
    QCOMPARE(bytes, text(written)); // compact JSON.stringify form
    QVERIFY(!bytes.contains('\n'));
}

void TestDownloads::topologyOnly()
{
    Fixture f;
    ModelArtifacts model;
    model.modelTopology = json(kTopology1);
    auto saved = f.save(QStringLiteral("downloads://"), model);
    QVERIFY2(saved, why(saved));
    QCOMPARE(f.files(), QStringList{QStringLiteral("model.json")});
    QCOMPARE(saved->files, QStringList{f.path(QStringLiteral("model.json"))});
    QCOMPARE(f.read(QStringLiteral("model.json")),
             QByteArray("{\"modelTopology\":") + text(json(kTopology1))
                 + ",\"weightsManifest\":[{\"paths\":[\"./model.weights.bin\"]}]}");
}

void TestDownloads::emptyWeights()
{
    // Specs present but empty: TF.js still downloads the (empty) bin.
    Fixture f;
    ModelArtifacts model = artifacts1();
    model.weightSpecs = std::vector<WeightSpec>{};
    model.weightData = WeightData();
    QVERIFY(f.save(QStringLiteral("downloads://e"), model));
    QCOMPARE(f.files(), (QStringList{QStringLiteral("e.json"), QStringLiteral("e.weights.bin")}));
    QCOMPARE(f.read(QStringLiteral("e.weights.bin")), QByteArray());
}

void TestDownloads::neverOverwrites()
{
    Fixture f;
    const ModelArtifacts first = randomModel(1, 8, 1);
    const ModelArtifacts second = randomModel(1, 8, 2);
    const ModelArtifacts third = randomModel(1, 8, 3);
    QVERIFY(f.save(QStringLiteral("downloads://m"), first));
    const QByteArray firstJson = f.read(QStringLiteral("m.json"));
    auto saved = f.save(QStringLiteral("downloads://m"), second);
    QVERIFY2(saved, why(saved));
    QCOMPARE(saved->files, (QStringList{f.path(QStringLiteral("m (1).weights.bin")),
                                        f.path(QStringLiteral("m (1).json"))}));
    QVERIFY(f.save(QStringLiteral("downloads://m"), third));
    QCOMPARE(f.files(), (QStringList{QStringLiteral("m (1).json"), QStringLiteral("m (1).weights.bin"),
                                     QStringLiteral("m (2).json"), QStringLiteral("m (2).weights.bin"),
                                     QStringLiteral("m.json"), QStringLiteral("m.weights.bin")}));
    QCOMPARE(f.read(QStringLiteral("m.json")), firstJson);
    QCOMPARE(f.read(QStringLiteral("m.weights.bin")), bytesOf(first.weightData));
    QCOMPARE(f.read(QStringLiteral("m (1).weights.bin")), bytesOf(second.weightData));
    QCOMPARE(f.read(QStringLiteral("m (2).weights.bin")), bytesOf(third.weightData));
    const Json renamed = json(f.read(QStringLiteral("m (1).json")).constData());
    QCOMPARE(QString::fromStdString(renamed["weightsManifest"][0]["paths"][0].get<std::string>()),
             QStringLiteral("./m (1).weights.bin"));
}

void TestDownloads::onlyTheBinExists()
{
    // The JSON and its bin share one suffix, so a lone old bin moves both to " (1)".
    Fixture f;
    QDir().mkpath(f.options.downloadsDir);
    QFile old(f.path(QStringLiteral("model.weights.bin")));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("old");
    old.close();
    QVERIFY(f.save(QStringLiteral("downloads://"), artifacts1()));
    QCOMPARE(f.files(), (QStringList{QStringLiteral("model (1).json"),
                                     QStringLiteral("model (1).weights.bin"),
                                     QStringLiteral("model.weights.bin")}));
    QCOMPARE(f.read(QStringLiteral("model.weights.bin")), QByteArray("old"));
}

void TestDownloads::streamsFileSegments()
{
    Fixture f;
    ModelArtifacts model = randomModel(2, 1000, 4);
    const QByteArray bytes = bytesOf(model.weightData);
    const QString shard = f.dir.filePath(QStringLiteral("shard.bin"));
    QFile file(shard);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    model.weightData = WeightData();
    model.weightData.appendFile(shard, 0, 3000, QStringLiteral("a"));
    model.weightData.appendFile(shard, 3000, bytes.size() - 3000, QStringLiteral("b"));
    QVERIFY(f.save(QStringLiteral("downloads://s"), model));
    QCOMPARE(f.read(QStringLiteral("s.weights.bin")), bytes);
}

void TestDownloads::cannotLoad()
{
    Fixture f;
    auto handler = f.registry.handlerFor(QStringLiteral("downloads://model"));
    QVERIFY(handler);
    QVERIFY(!(*handler)->canLoad());
    QVERIFY((*handler)->canSave());
    auto loaded = (*handler)->load(f.ctx);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Unsupported);
    QCOMPARE(loaded.error().message,
             QStringLiteral("downloads:// can only be saved to (as in TF.js, where browser "
                            "downloads are save-only)."));
}

void TestDownloads::folderIsCreated()
{
    Fixture f;
    f.options.downloadsDir = f.dir.path() + QStringLiteral("/new/deeper");
    f.registry = makeDefaultRegistry(f.options);
    QVERIFY(f.save(QStringLiteral("downloads://x"), artifacts1()));
    QCOMPARE(f.files(), (QStringList{QStringLiteral("x.json"), QStringLiteral("x.weights.bin")}));
}

QTEST_GUILESS_MAIN(TestDownloads)
#include "tst_downloads.moc"
