// localstorage://: what only the localStorage store does, from TF.js's local_storage_test.ts
// (the tests it shares with indexed_db_test.ts run for both stores in tst_modelstores): exact
// keys and values, missing and bad items, the quota as browsers count it (UTF-16), atomic
// saves, renames and odd paths.
#include "storefixture.h"
#include "store/localstoragestore.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace tfjs;
using namespace storetest;

namespace {

const QString kKeyPrefix = QStringLiteral("tensorflowjs_models/");

// The registry's fixture, and the store as LocalStorageStore.
class Fixture : public StoreFixture
{
public:
    explicit Fixture(qint64 quota = 0) : StoreFixture(quota) {}
    std::unique_ptr<LocalStorageStore> store()
    {
        auto opened = LocalStorageStore::open(options.storeDir, localStorageQuota(),
                                              LocalStorageStore::Access::Read);
        if (!opened)
            qFatal("cannot open store: %s", qPrintable(opened.error().toString()));
        return std::move(*opened);
    }
    QString item(const QString &key)
    {
        auto value = store()->getItem(key);
        return value && *value ? **value : QStringLiteral("<missing>");
    }
};

QStringList modelKeys(const QString &path)
{
    QStringList keys;
    for (const char *suffix : {"info", "model_topology", "weight_specs", "weight_data",
                               "model_metadata"})
        keys << kKeyPrefix + path + QLatin1Char('/') + QLatin1String(suffix);
    keys.sort();
    return keys;
}

} // namespace

class TestLocalStorage : public QObject
{
    Q_OBJECT

private slots:
    // local_storage_test.ts
    void saveArtifactsSucceeds();
    void roundTripWithMetadata();
    void roundTripV0();
    void roundTripWithoutMetadataItem();
    void missingItem_data();
    void missingItem();
    void dataSizeTooLarge();
    void emptyPathOnSave();
    void listModelsSkipsOtherItems();
    void removeModelRemovesEveryItem();

    // beyond TF.js
    void quotaBoundary();
    void quotaCountsUtf16();
    void quotaCountsOtherItems();
    void failedOverwriteKeepsOldModel();
    void quotaRefusedBeforeReadingWeights();
    void storageInterface();
    void badItems_data();
    void badItems();
    void unicodePathsAndMetadata();
    void renameModel();
    void modelWithoutManifestOrTopology();
};

void TestLocalStorage::saveArtifactsSucceeds()
{
    Fixture f;
    const QDateTime start = QDateTime::currentDateTimeUtc();
    auto saved = f.save(QStringLiteral("localstorage://foo/FooModel"), artifactsWithMetadata());
    QVERIFY2(saved, why(saved));
    const ModelArtifactsInfo &info = saved->modelArtifactsInfo;
    QVERIFY(info.dateSaved >= start.addMSecs(-1));
    QCOMPARE(info.modelTopologyBytes, kTopology1Bytes);
    QCOMPARE(info.weightSpecsBytes, kSpecs1Bytes);
    QCOMPARE(info.weightDataBytes, 16);

    QCOMPARE(f.store()->keys().value(), modelKeys(QStringLiteral("foo/FooModel")));
    const QString base = kKeyPrefix + QStringLiteral("foo/FooModel/");
    QCOMPARE(f.item(base + QStringLiteral("info")),
             QStringLiteral("{\"dateSaved\":\"%1\",\"modelTopologyType\":\"JSON\","
                            "\"modelTopologyBytes\":555,\"weightSpecsBytes\":109,"
                            "\"weightDataBytes\":16}")
                 .arg(info.dateSaved.toString(Qt::ISODateWithMs)));
    QVERIFY(info.dateSaved.toString(Qt::ISODateWithMs).endsWith(QLatin1Char('Z')));
    QCOMPARE(f.item(base + QStringLiteral("model_topology")).toUtf8(), text(json(kTopology1)));
    QCOMPARE(f.item(base + QStringLiteral("weight_specs")).toUtf8(), QByteArray(kSpecs1));
    QCOMPARE(f.item(base + QStringLiteral("weight_data")),
             QStringLiteral("AAAAAAAAAAAAAAAAAAAAAA==")); // btoa of 16 zero bytes
    // What TF.js 4.22 writes for these artifacts (signature and initializerSignature are null,
    // so absent; convertedBy is kept).
    QCOMPARE(f.item(base + QStringLiteral("model_metadata")),
             QStringLiteral("{\"format\":\"layers-model\",\"generatedBy\":\"TensorFlow.js v0.0.0\","
                            "\"convertedBy\":\"1.13.1\",\"userDefinedMetadata\":{},"
                            "\"modelInitializer\":{},\"trainingConfig\":{\"loss\":"
                            "\"categorical_crossentropy\",\"metrics\":[\"accuracy\"],"
                            "\"optimizer_config\":{\"class_name\":\"SGD\",\"config\":"
                            "{\"learningRate\":0.1}}}}"));
}

void TestLocalStorage::roundTripWithMetadata()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://FooModel"), artifactsWithMetadata()));
    auto loaded = f.load(QStringLiteral("localstorage://FooModel"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->modelTopology), text(json(kTopology1)));
    QCOMPARE(text(specsToJson(*loaded->weightSpecs)), QByteArray(kSpecs1));
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
    QCOMPARE(loaded->format, std::optional<Json>(Json("layers-model")));
    QCOMPARE(loaded->generatedBy, std::optional<Json>(Json("TensorFlow.js v0.0.0")));
    QCOMPARE(loaded->convertedBy, std::optional<Json>(Json("1.13.1")));
    QCOMPARE(loaded->userDefinedMetadata, std::optional<Json>(Json::object()));
    QCOMPARE(loaded->modelInitializer, std::optional<Json>(Json::object()));
    QCOMPARE(loaded->trainingConfig, std::optional<Json>(json(kTrainingConfig1)));
    // null signatures are not stored, as in TF.js.
    QVERIFY(!loaded->signature);
    QVERIFY(!loaded->initializerSignature);
}

void TestLocalStorage::roundTripV0()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://FooModel"), artifactsV0()));
    QCOMPARE(f.item(kKeyPrefix + QStringLiteral("FooModel/model_metadata")), QStringLiteral("{}"));
    auto loaded = f.load(QStringLiteral("localstorage://FooModel"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->modelTopology), text(json(kTopology1)));
    QCOMPARE(text(specsToJson(*loaded->weightSpecs)), QByteArray(kSpecs1));
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
    QVERIFY(!loaded->format);
    QVERIFY(!loaded->generatedBy);
    QVERIFY(!loaded->convertedBy);
    QVERIFY(!loaded->userDefinedMetadata);
    QVERIFY(!loaded->trainingConfig);
    QVERIFY(!loaded->modelInitializer);
    QVERIFY(!loaded->initializerSignature);
}

void TestLocalStorage::roundTripWithoutMetadataItem()
{
    // Saves from TF.js before model_metadata existed have four items.
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://Old"), artifactsWithMetadata()));
    QVERIFY(f.store()->removeItem(kKeyPrefix + QStringLiteral("Old/model_metadata")));
    auto loaded = f.load(QStringLiteral("localstorage://Old"));
    QVERIFY2(loaded, why(loaded));
    QVERIFY(!loaded->format);
    QVERIFY(!loaded->convertedBy);
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
}

void TestLocalStorage::missingItem_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("message");
    QTest::newRow("topology") << QStringLiteral("model_topology")
                              << QStringLiteral("In local storage, the topology of model "
                                                "'FooModel' is missing.");
    QTest::newRow("weight specs") << QStringLiteral("weight_specs")
                                  << QStringLiteral("In local storage, the weight specs of model "
                                                    "'FooModel' are missing.");
    QTest::newRow("weight data") << QStringLiteral("weight_data")
                                 << QStringLiteral("In local storage, the binary weight values of "
                                                   "model 'FooModel' are missing.");
}

void TestLocalStorage::missingItem()
{
    QFETCH(QString, suffix);
    QFETCH(QString, message);
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://FooModel"), artifactsWithMetadata()));
    QVERIFY(f.store()->removeItem(kKeyPrefix + QStringLiteral("FooModel/") + suffix));
    auto loaded = f.load(QStringLiteral("localstorage://FooModel"));
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::NotFound);
    QCOMPARE(loaded.error().message, message);
}

void TestLocalStorage::dataSizeTooLarge()
{
    // TF.js probes the browser's quota; ours is 5 MiB of UTF-16 by default, so 2 MiB of
    // weights (2.8 M base64 characters, 5.6 MB) overflow it.
    Fixture f;
    ModelArtifacts big = artifactsV0();
    big.weightData = WeightData::fromBytes(QByteArray(2 << 20, '\x7f'));
    auto saved = f.save(QStringLiteral("localstorage://FooModel"), big);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Quota);
    QCOMPARE(saved.error().message,
             QStringLiteral("Failed to save model 'FooModel' to local storage: size quota being "
                            "exceeded is a possible cause of this failure: "
                            "modelTopologyBytes=555, weightSpecsBytes=109, "
                            "weightDataBytes=2097152."));
    QVERIFY(saved.error().message.startsWith(
        QStringLiteral("Failed to save model 'FooModel' to local storage")));
    QCOMPARE(f.store()->keys().value(), QStringList{}); // nothing left behind
    // 1 MiB fits (with a spec that describes it: saves refuse data their specs do not fit).
    WeightSpec all;
    all.name = "all";
    all.shape = {1 << 18}; // float32
    big.weightSpecs = std::vector<WeightSpec>{all};
    big.weightData = WeightData::fromBytes(QByteArray(1 << 20, '\x7f'));
    QVERIFY(f.save(QStringLiteral("localstorage://FooModel"), big));
}

void TestLocalStorage::emptyPathOnSave()
{
    // The handler refuses an empty path (tst_modelstores); so does the store itself.
    Fixture f;
    auto saved = f.store()->saveModel(QString(), artifactsV0(), nullptr, Durability::Relaxed,
                                      Existing::Refuse);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(saved.error().message,
             QStringLiteral("For local storage, modelPath must not be null, undefined or empty."));
}

void TestLocalStorage::listModelsSkipsOtherItems()
{
    Fixture f;
    QVERIFY(f.store()->setItem(QStringLiteral("unrelated/info"), QStringLiteral("x")));
    const QStringList saved{QStringLiteral("QuxModel"), QStringLiteral("repeat/QuxModel")};
    for (const QString &path : saved) {
        auto result = f.save(QStringLiteral("localstorage://") + path, artifactsWithMetadata());
        QVERIFY2(result, why(result));
    }
    auto models = f.store()->listModels();
    QVERIFY2(models, why(models));
    QCOMPARE(paths(*models), saved);
}

void TestLocalStorage::removeModelRemovesEveryItem()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://QuxModel"), artifactsWithMetadata()));
    QVERIFY(f.save(QStringLiteral("localstorage://repeat/QuxModel"), artifactsWithMetadata()));
    QVERIFY(f.store()->removeModel(QStringLiteral("QuxModel")));
    // All five items go, model_metadata included.
    QCOMPARE(f.store()->keys().value(), modelKeys(QStringLiteral("repeat/QuxModel")));
    // With the scheme, as TF.js's manager accepts.
    QVERIFY(f.store()->removeModel(QStringLiteral("localstorage://repeat/QuxModel")));
    QCOMPARE(f.store()->keys().value(), QStringList{});
}

void TestLocalStorage::quotaBoundary()
{
    // Measure what one model takes, then give exactly that (fits) or one byte less (refused).
    Fixture probe;
    QVERIFY(probe.save(QStringLiteral("localstorage://m"), artifactsWithMetadata()));
    const qint64 used = probe.store()->usedBytes().value();
    qint64 expected = 0;
    const QStringList keys = probe.store()->keys().value();
    for (const QString &key : keys)
        expected += 2 * (key.size() + probe.item(key).size());
    QCOMPARE(used, expected);

    Fixture exact(used);
    QVERIFY(exact.save(QStringLiteral("localstorage://m"), artifactsWithMetadata()));
    Fixture tight(used - 1);
    auto refused = tight.save(QStringLiteral("localstorage://m"), artifactsWithMetadata());
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Quota);
    QCOMPARE(tight.store()->keys().value(), QStringList{});
}

void TestLocalStorage::quotaCountsUtf16()
{
    // "🙂" is one code point, two UTF-16 units, four bytes in both UTF-8 and UTF-16.
    Fixture f;
    const QString key = QStringLiteral("🙂");
    QVERIFY(f.store()->setItem(key, QStringLiteral("é")));
    QCOMPARE(f.store()->usedBytes().value(), 2 * (2 + 1));
    QCOMPARE(f.item(key), QStringLiteral("é"));
}

void TestLocalStorage::quotaCountsOtherItems()
{
    Fixture probe;
    QVERIFY(probe.save(QStringLiteral("localstorage://m"), artifactsV0()));
    const qint64 one = probe.store()->usedBytes().value();
    // Room for one model and a bit: the second one does not fit beside the first.
    Fixture f(one + 100);
    QVERIFY(f.save(QStringLiteral("localstorage://m"), artifactsV0()));
    auto second = f.save(QStringLiteral("localstorage://n"), artifactsV0());
    QVERIFY(!second);
    QCOMPARE(second.error().code, ErrorCode::Quota);
    QCOMPARE(paths(*f.store()->listModels()), QStringList{QStringLiteral("m")});
    // Replacing the model at the same path reuses its room (the trash does not count).
    auto replaced = f.save(QStringLiteral("localstorage://m"), artifactsV0(), Existing::Replace);
    QVERIFY2(replaced, why(replaced));
    QCOMPARE(f.store()->listTrash()->size(), std::size_t(1));
}

void TestLocalStorage::failedOverwriteKeepsOldModel()
{
    // TF.js removes all five items when a save fails, losing the old model; ours keeps it.
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://m"), artifactsWithMetadata()));
    const QStringList before = f.store()->keys().value();
    const QString oldInfo = f.item(kKeyPrefix + QStringLiteral("m/info"));
    ModelArtifacts big = artifactsV0();
    big.weightData = WeightData::fromBytes(QByteArray(3 << 20, 'x'));
    auto saved = f.save(QStringLiteral("localstorage://m"), big, Existing::Replace);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Quota);
    QCOMPARE(f.store()->keys().value(), before);
    QCOMPARE(f.store()->listTrash()->size(), std::size_t(0)); // its move to the trash undone
    QCOMPARE(f.item(kKeyPrefix + QStringLiteral("m/info")), oldInfo);
    auto loaded = f.load(QStringLiteral("localstorage://m"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
}

void TestLocalStorage::quotaRefusedBeforeReadingWeights()
{
    // Weights that cannot fit are not even read (the file here does not exist).
    Fixture f;
    ModelArtifacts huge = artifactsV0();
    huge.weightData = WeightData();
    huge.weightData.appendFile(f.dir.filePath(QStringLiteral("absent.bin")), 0, qint64(1) << 40,
                               QStringLiteral("absent.bin"));
    auto saved = f.save(QStringLiteral("localstorage://huge"), huge);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Quota);
    QCOMPARE(saved.error().message,
             QStringLiteral("Failed to save model 'huge' to local storage: size quota being "
                            "exceeded is a possible cause of this failure: modelTopologyBytes=555, "
                            "weightSpecsBytes=109, weightDataBytes=1099511627776."));
}

void TestLocalStorage::storageInterface()
{
    Fixture f(1000);
    auto store = f.store();
    QVERIFY(store->setItem(QStringLiteral("a"), QStringLiteral("1")));
    QVERIFY(store->setItem(QStringLiteral("a"), QStringLiteral("22")));
    QCOMPARE(f.item(QStringLiteral("a")), QStringLiteral("22"));
    auto refused = store->setItem(QStringLiteral("b"), QString(600, QLatin1Char('x')));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Quota);
    QCOMPARE(refused.error().message,
             QStringLiteral("Failed to execute 'setItem' on 'Storage': Setting the value of 'b' "
                            "exceeded the quota."));
    QCOMPARE(store->keys().value(), QStringList{QStringLiteral("a")});
    QVERIFY(store->removeItem(QStringLiteral("a")));
    QVERIFY(store->removeItem(QStringLiteral("never there")));
    QCOMPARE(store->getItem(QStringLiteral("a")).value(), std::optional<QString>());
}

void TestLocalStorage::badItems_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message"); // whole, or the start of another module's message
    QTest::newRow("info not JSON")
        << QStringLiteral("info") << QStringLiteral("{oops") << int(ErrorCode::Parse)
        << QStringLiteral("Invalid JSON in local storage item 'tensorflowjs_models/m/info' at byte "
                          "1: ");
    QTest::newRow("binary topology")
        << QStringLiteral("info")
        << QStringLiteral("{\"dateSaved\":\"2020-01-01T00:00:00.000Z\",\"modelTopologyType\":"
                          "\"ArrayBuffer\"}")
        << int(ErrorCode::Unsupported)
        << QStringLiteral("BrowserLocalStorage does not support loading non-JSON model topology "
                          "yet.");
    QTest::newRow("topology null") << QStringLiteral("model_topology") << QStringLiteral("null")
                                   << int(ErrorCode::NotFound)
                                   << QStringLiteral("In local storage, the topology of model 'm' "
                                                     "is missing.");
    QTest::newRow("specs not an array")
        << QStringLiteral("weight_specs") << QStringLiteral("{}") << int(ErrorCode::Format)
        << QStringLiteral("The local storage item 'tensorflowjs_models/m/weight_specs' is not a "
                          "list of weight specs.");
    QTest::newRow("data not base64")
        << QStringLiteral("weight_data") << QStringLiteral("AAA*") << int(ErrorCode::Format)
        << QStringLiteral("The local storage item 'tensorflowjs_models/m/weight_data' is not "
                          "valid base64.");
    QTest::newRow("data too short")
        << QStringLiteral("weight_data") << QStringLiteral("AAAA") << int(ErrorCode::Weights)
        << QStringLiteral("The weight files of localstorage://m are too short: tensor "
                          "'dense/kernel' starts at byte 0 and needs 12 bytes, but the data ends "
                          "at byte 3");
}

void TestLocalStorage::badItems()
{
    QFETCH(QString, suffix);
    QFETCH(QString, value);
    QFETCH(int, code);
    QFETCH(QString, message);
    Fixture f;
    QVERIFY(f.save(QStringLiteral("localstorage://m"), artifactsWithMetadata()));
    QVERIFY(f.store()->setItem(kKeyPrefix + QStringLiteral("m/") + suffix, value));
    auto loaded = f.load(QStringLiteral("localstorage://m"));
    QVERIFY(!loaded);
    QCOMPARE(int(loaded.error().code), code);
    if (code == int(ErrorCode::Parse) || code == int(ErrorCode::Weights))
        QVERIFY2(loaded.error().message.startsWith(message), qPrintable(loaded.error().message));
    else
        QCOMPARE(loaded.error().message, message);
}

void TestLocalStorage::unicodePathsAndMetadata()
{
    Fixture f;
    ModelArtifacts model = artifactsWithMetadata();
    model.userDefinedMetadata = json(R"({"description":"模型 — ünïcødé 🙂","n":1e-7})");
    const QString path = QStringLiteral("dir/модель 🙂/'quoted'");
    auto saved = f.save(QStringLiteral("localstorage://") + path, model);
    QVERIFY2(saved, why(saved));
    QCOMPARE(f.item(kKeyPrefix + path + QStringLiteral("/model_metadata")).toUtf8(),
             text(json(R"({"format":"layers-model","generatedBy":"TensorFlow.js v0.0.0",)"
                       R"("convertedBy":"1.13.1","userDefinedMetadata":{"description":)"
                       R"("模型 — ünïcødé 🙂","n":1e-7},"modelInitializer":{},"trainingConfig":)"
                       R"({"loss":"categorical_crossentropy","metrics":["accuracy"],)"
                       R"("optimizer_config":{"class_name":"SGD","config":{"learningRate":0.1}}}})")));
    QCOMPARE(paths(*f.store()->listModels()), QStringList{path});
    auto loaded = f.load(QStringLiteral("localstorage://") + path);
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(loaded->userDefinedMetadata, model.userDefinedMetadata);
}

void TestLocalStorage::renameModel()
{
    Fixture f;
    auto first = f.save(QStringLiteral("localstorage://a"), artifactsWithMetadata());
    QVERIFY(first);
    QVERIFY(f.save(QStringLiteral("localstorage://b"), artifactsV0())); // replaced
    const QString topology = f.item(kKeyPrefix + QStringLiteral("a/model_topology"));
    auto renamed = f.store()->renameModel(QStringLiteral("a"), QStringLiteral("b"),
                                          Existing::Replace);
    QVERIFY2(renamed, why(renamed));
    QCOMPARE(renamed->dateSaved, first->modelArtifactsInfo.dateSaved);
    QCOMPARE(f.store()->keys().value(), modelKeys(QStringLiteral("b")));
    QCOMPARE(f.item(kKeyPrefix + QStringLiteral("b/model_topology")), topology);
    auto loaded = f.load(QStringLiteral("localstorage://b"));
    QVERIFY(loaded);
    QCOMPARE(loaded->convertedBy, std::optional<Json>(Json("1.13.1")));

    auto missing = f.store()->renameModel(QStringLiteral("a"), QStringLiteral("c"),
                                          Existing::Refuse);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QCOMPARE(missing.error().message,
             QStringLiteral("In local storage, there is no model with name 'a'"));
}

void TestLocalStorage::modelWithoutManifestOrTopology()
{
    Fixture f;
    ModelArtifacts topologyOnly;
    topologyOnly.modelTopology = json(kTopology1);
    QVERIFY(f.save(QStringLiteral("localstorage://t"), topologyOnly));
    QCOMPARE(f.item(kKeyPrefix + QStringLiteral("t/weight_specs")), QStringLiteral("[]"));
    QCOMPARE(f.item(kKeyPrefix + QStringLiteral("t/weight_data")), QString());
    auto loaded = f.load(QStringLiteral("localstorage://t"));
    QVERIFY2(loaded, why(loaded));
    QVERIFY(loaded->weightSpecs && loaded->weightSpecs->empty());

    ModelArtifacts weightsOnly = artifactsV0();
    weightsOnly.modelTopology.reset();
    auto saved = f.save(QStringLiteral("localstorage://w"), weightsOnly);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Format);
    QCOMPARE(saved.error().message,
             QStringLiteral("Cannot save 'w' to local storage: the model has no topology, and "
                            "TF.js cannot load a model without one from local storage."));
}

QTEST_GUILESS_MAIN(TestLocalStorage)
#include "tst_localstorage.moc"
