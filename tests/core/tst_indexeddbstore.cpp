// indexeddb://: what only the IndexedDB-like store does, beyond TF.js's indexed_db_test.ts
// (whose tests shared with local storage run for both stores in tst_modelstores): weights as
// content-addressed blob files outside the database, the records' shape, metadata-only copies
// and renames, streaming, garbage collection, damage, threads.
#include "storefixture.h"
#include "store/indexeddbstore.h"
#include "store/sha256.h"
#include "format/validate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace tfjs;
using namespace storetest;

namespace {

// The registry's fixture, and the store as IndexedDbStore.
class Fixture : public StoreFixture
{
public:
    std::unique_ptr<IndexedDbStore> store()
    {
        auto opened = IndexedDbStore::open(options.storeDir, IndexedDbStore::Access::Read);
        if (!opened)
            qFatal("cannot open store: %s", qPrintable(opened.error().toString()));
        return std::move(*opened);
    }
    QString databaseFile() const
    {
        return options.storeDir + QStringLiteral("/tensorflowjs.sqlite");
    }
};

} // namespace

class TestIndexedDbStore : public QObject
{
    Q_OBJECT

private slots:
    // indexed_db_test.ts
    void saveLoadRoundTrip();
    void saveTwoModelsLoadOne();

    // the SQLite store
    void recordShape();
    void weightsLiveOutsideTheDatabase();
    void loadReadsNoWeightBytes();
    void equalWeightsAreStoredOnce();
    void overwriteKeepsOneVersion();
    void weightsByHashOutliveTheirModel();
    void copyWithinStoreIsMetadataOnly();
    void renameIsMetadataOnly();
    void allMetadataRoundTrips();
    void modelWithoutWeights();
    void largeModelStreams();
    void emptyDatabaseFileIsMigrated();
    void garbageCollection();
    void missingBlobIsDamage();
    void changedBlobFailsVerifiedLoad();
    void threadsShareStore();
};

void TestIndexedDbStore::saveLoadRoundTrip()
{
    Fixture f;
    const QDateTime start = QDateTime::currentDateTimeUtc();
    auto saved = f.save(QStringLiteral("indexeddb://FooModel"), artifacts1());
    QVERIFY2(saved, why(saved));
    const ModelArtifactsInfo &info = saved->modelArtifactsInfo;
    QVERIFY(info.dateSaved >= start.addMSecs(-1));
    QCOMPARE(info.modelTopologyType, QStringLiteral("JSON"));
    QCOMPARE(info.modelTopologyBytes, kTopology1Bytes);
    QCOMPARE(info.weightSpecsBytes, kSpecs1Bytes);
    QCOMPARE(info.weightDataBytes, 16);

    auto loaded = f.load(QStringLiteral("indexeddb://FooModel"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->modelTopology), text(json(kTopology1)));
    QCOMPARE(text(specsToJson(*loaded->weightSpecs)), text(json(kSpecs1)));
    QCOMPARE(loaded->format, std::optional<Json>(Json("layers-model")));
    QCOMPARE(loaded->generatedBy, std::optional<Json>(Json("TensorFlow.js v0.0.0")));
    QVERIFY(loaded->convertedBy && loaded->convertedBy->is_null());
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
}

void TestIndexedDbStore::saveTwoModelsLoadOne()
{
    Fixture f;
    ModelArtifacts artifacts2;
    artifacts2.modelTopology = json(kTopology1);
    artifacts2.weightSpecs = specs(kSpecs2);
    artifacts2.weightData = WeightData::fromBytes(QByteArray(24, '\x01'));

    auto saved1 = f.save(QStringLiteral("indexeddb://Model/1"), artifacts1());
    QVERIFY2(saved1, why(saved1));
    QCOMPARE(saved1->modelArtifactsInfo.modelTopologyBytes, kTopology1Bytes);
    QCOMPARE(saved1->modelArtifactsInfo.weightSpecsBytes, kSpecs1Bytes);
    QCOMPARE(saved1->modelArtifactsInfo.weightDataBytes, 16);
    auto saved2 = f.save(QStringLiteral("indexeddb://Model/2"), artifacts2);
    QVERIFY2(saved2, why(saved2));
    QVERIFY(saved2->modelArtifactsInfo.dateSaved >= saved1->modelArtifactsInfo.dateSaved);
    QCOMPARE(saved2->modelArtifactsInfo.modelTopologyBytes, kTopology1Bytes);
    QCOMPARE(saved2->modelArtifactsInfo.weightSpecsBytes, kSpecs2Bytes);
    QCOMPARE(saved2->modelArtifactsInfo.weightDataBytes, 24);

    auto loaded = f.load(QStringLiteral("indexeddb://Model/1"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->modelTopology), text(json(kTopology1)));
    QCOMPARE(text(specsToJson(*loaded->weightSpecs)), text(json(kSpecs1)));
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
}

void TestIndexedDbStore::recordShape()
{
    // The rows mirror TF.js's two object stores, keyed by modelPath.
    Fixture f;
    const ModelArtifacts model = artifactsWithMetadata();
    auto saved = f.save(QStringLiteral("indexeddb://shape"), model);
    QVERIFY2(saved, why(saved));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("shape"));
    db.setDatabaseName(f.databaseFile());
    QVERIFY(db.open());
    {
        QSqlQuery info(QStringLiteral("SELECT modelPath, modelArtifactsInfo FROM model_info_store"),
                       db);
        QVERIFY(info.next());
        QCOMPARE(info.value(0).toString(), QStringLiteral("shape"));
        const QString infoText = info.value(1).toString();
        QCOMPARE(infoText.toUtf8(), text(saved->modelArtifactsInfo.toJson()));
        QVERIFY(!info.next());
        QSqlQuery models(QStringLiteral("SELECT modelPath, modelArtifacts, modelArtifactsInfo, "
                                        "weightDataBlob, weightDataBytes FROM models_store"),
                         db);
        QVERIFY(models.next());
        QCOMPARE(models.value(0).toString(), QStringLiteral("shape"));
        const Json stored = json(models.value(1).toString().toUtf8().constData());
        QStringList keys;
        for (const auto &[key, value] : stored.items())
            keys << QString::fromStdString(key);
        // tfjs-layers' key order; weightData lives in the blob.
        QCOMPARE(keys, (QStringList{QStringLiteral("modelTopology"), QStringLiteral("format"),
                                    QStringLiteral("generatedBy"), QStringLiteral("convertedBy"),
                                    QStringLiteral("trainingConfig"), QStringLiteral("signature"),
                                    QStringLiteral("userDefinedMetadata"),
                                    QStringLiteral("modelInitializer"),
                                    QStringLiteral("initializerSignature"),
                                    QStringLiteral("weightSpecs")}));
        QCOMPARE(text(stored["weightSpecs"]), text(json(kSpecs1)));
        QVERIFY(stored["signature"].is_null());
        QCOMPARE(models.value(2).toString(), infoText);
        QCOMPARE(models.value(3).toString(),
                 QString::fromLatin1(Sha256::hash(QByteArray(16, '\0')).toHex()));
        QCOMPARE(models.value(4).toLongLong(), 16);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("shape"));
}

void TestIndexedDbStore::weightsLiveOutsideTheDatabase()
{
    Fixture f;
    const ModelArtifacts model = randomModel(4, 512 * 1024, 11); // 8 MiB
    auto saved = f.save(QStringLiteral("indexeddb://big"), model);
    QVERIFY2(saved, why(saved));
    const QByteArray bytes = bytesOf(model.weightData);
    const QString hash = QString::fromLatin1(Sha256::hash(bytes).toHex());
    const QString blob = f.options.storeDir + QStringLiteral("/tensorflowjs.blobs/") + hash.left(2)
                         + QLatin1Char('/') + hash;
    QFile file(blob);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(blob));
    QCOMPARE(file.readAll(), bytes);
    // The database (and its WAL) hold metadata only.
    qint64 databaseBytes = QFileInfo(f.databaseFile()).size()
                           + QFileInfo(f.databaseFile() + QStringLiteral("-wal")).size();
    QVERIFY2(databaseBytes < 256 * 1024, qPrintable(QString::number(databaseBytes)));
}

void TestIndexedDbStore::loadReadsNoWeightBytes()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), randomModel(2, 1000, 3)));
    auto loaded = f.load(QStringLiteral("indexeddb://m"));
    QVERIFY2(loaded, why(loaded));
    const auto &segments = loaded->weightData.segments();
    QCOMPARE(segments.size(), std::size_t(1));
    QVERIFY(!segments.front().file.isEmpty()); // described, not read
    QVERIFY(segments.front().bytes.isEmpty());
    QCOMPARE(segments.front().size, 8000);
    QCOMPARE(segments.front().label, QStringLiteral("indexeddb://m"));
}

void TestIndexedDbStore::equalWeightsAreStoredOnce()
{
    Fixture f;
    const ModelArtifacts model = randomModel(2, 1000, 5);
    QVERIFY(f.save(QStringLiteral("indexeddb://a"), model));
    QVERIFY(f.save(QStringLiteral("indexeddb://b"), model));
    QCOMPARE(f.store()->blobs().hashes().size(), 1);
    QVERIFY(f.store()->removeModel(QStringLiteral("a")));
    QCOMPARE(f.store()->blobs().hashes().size(), 1);
    auto loaded = f.load(QStringLiteral("indexeddb://b"));
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
    QVERIFY(f.store()->removeModel(QStringLiteral("b")));
    // Both models are in the trash, which keeps their one blob until it is emptied.
    QCOMPARE(f.store()->blobs().hashes().size(), 1);
    auto emptied = f.store()->emptyTrash({});
    QVERIFY2(emptied, why(emptied));
    QCOMPARE(*emptied, 2);
    QCOMPARE(f.store()->blobs().hashes(), QStringList{});
}

void TestIndexedDbStore::overwriteKeepsOneVersion()
{
    Fixture f;
    const ModelArtifacts v1 = randomModel(2, 100, 1);
    const ModelArtifacts v2 = randomModel(3, 100, 2);
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), v1));
    auto saved = f.save(QStringLiteral("indexeddb://m"), v2, Existing::Replace);
    QVERIFY2(saved, why(saved));
    auto loaded = f.load(QStringLiteral("indexeddb://m"));
    QVERIFY(loaded);
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(v2.weightData));
    QCOMPARE(loaded->weightSpecs->size(), std::size_t(3));
    auto models = f.store()->listModels();
    QCOMPARE(models->size(), std::size_t(1));
    QCOMPARE(models->front().info.weightDataBytes, 1200);
    // The old version is in the trash; emptying it collects the old weights.
    auto trash = f.store()->listTrash();
    QVERIFY2(trash, why(trash));
    QCOMPARE(trash->size(), std::size_t(1));
    QCOMPARE(trash->front().info.weightDataBytes, 800);
    QCOMPARE(f.store()->blobs().hashes().size(), 2);
    QVERIFY(f.store()->emptyTrash({}));
    QCOMPARE(f.store()->blobs().hashes(),
             QStringList{QString::fromLatin1(Sha256::hash(bytesOf(v2.weightData)).toHex())});
}

// LoadOptions::weightsHash: the weights a load saw, after the model was replaced or removed,
// while their blob exists; then NotFound. Media without hashes are refused by the registry.
void TestIndexedDbStore::weightsByHashOutliveTheirModel()
{
    Fixture f;
    const ModelArtifacts v1 = randomModel(2, 300, 11);
    const ModelArtifacts v2 = randomModel(2, 500, 12);
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), v1));
    auto seen = f.load(QStringLiteral("indexeddb://m"), LoadOptions::withoutWeights());
    QVERIFY2(seen, why(seen));
    QCOMPARE(seen->weightsHash, QString::fromLatin1(Sha256::hash(bytesOf(v1.weightData)).toHex()));
    LoadOptions options;
    options.weightsHash = seen->weightsHash;
    const auto byHash = [&] { return f.registry.load(QStringLiteral("indexeddb://m"), f.ctx, options); };
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), v2, Existing::Replace));
    auto old = byHash();
    QVERIFY2(old, why(old));
    QCOMPARE(bytesOf(old->weightData), bytesOf(v1.weightData));
    QCOMPARE(old->weightsHash, seen->weightsHash);
    QVERIFY(f.store()->removeModel(QStringLiteral("m")));
    QCOMPARE(bytesOf(byHash()->weightData), bytesOf(v1.weightData)); // in the trash
    QVERIFY(f.store()->emptyTrash({}));
    auto gone = byHash();
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
    QVERIFY2(gone.error().message.contains(QStringLiteral("are no longer in the store")),
             qPrintable(gone.error().message));

    // A medium that keeps no hashes cannot answer with other weights than those asked for.
    QVERIFY(f.save(QStringLiteral("file://") + f.dir.path() + QStringLiteral("/folder"), v1));
    auto refused = f.registry.load(QStringLiteral("file://") + f.dir.path() + QStringLiteral("/folder/model.json"),
                                   f.ctx, options);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Unsupported);
    QVERIFY2(refused.error().message.contains(QStringLiteral("does not keep weights by their hash")),
             qPrintable(refused.error().message));
}

void TestIndexedDbStore::copyWithinStoreIsMetadataOnly()
{
    Fixture f;
    const ModelArtifacts model = randomModel(4, 256 * 1024, 9); // 4 MiB
    QVERIFY(f.save(QStringLiteral("indexeddb://src"), model));
    const QStringList blobs = f.store()->blobs().hashes();
    auto loaded = f.load(QStringLiteral("indexeddb://src"));
    QVERIFY(loaded);
    JobContext ctx;
    auto handler = f.registry.handlerFor(QStringLiteral("indexeddb://copy"));
    QVERIFY(handler);
    auto saved = (*handler)->save(*loaded, ctx);
    QVERIFY2(saved, why(saved));
    QCOMPARE(ctx.progress().bytesDone, 0); // no weight byte was written
    QCOMPARE(f.store()->blobs().hashes(), blobs);
    QCOMPARE(saved->modelArtifactsInfo.weightDataBytes, model.weightData.size());
    auto copy = f.load(QStringLiteral("indexeddb://copy"));
    QVERIFY(copy);
    QCOMPARE(bytesOf(copy->weightData), bytesOf(model.weightData));
    // Removing the source keeps the copy's weights.
    QVERIFY(f.store()->removeModel(QStringLiteral("src")));
    QCOMPARE(f.store()->blobs().hashes(), blobs);
    copy = f.load(QStringLiteral("indexeddb://copy"));
    QVERIFY(copy);
    QCOMPARE(bytesOf(copy->weightData), bytesOf(model.weightData));
}

void TestIndexedDbStore::renameIsMetadataOnly()
{
    Fixture f;
    const ModelArtifacts model = randomModel(2, 100, 4);
    auto first = f.save(QStringLiteral("indexeddb://old"), model);
    QVERIFY(first);
    QVERIFY(f.save(QStringLiteral("indexeddb://new"), randomModel(1, 10, 5))); // replaced
    const QString blob = f.store()->blobs().pathFor(
        QString::fromLatin1(Sha256::hash(bytesOf(model.weightData)).toHex()));
    const QDateTime blobTime = QFileInfo(blob).lastModified();
    auto renamed = f.store()->renameModel(QStringLiteral("old"), QStringLiteral("new"),
                                          Existing::Replace);
    QVERIFY2(renamed, why(renamed));
    QCOMPARE(renamed->dateSaved, first->modelArtifactsInfo.dateSaved); // the info is kept
    auto models = f.store()->listModels();
    QCOMPARE(paths(*models), QStringList{QStringLiteral("new")});
    QCOMPARE(models->front().info.dateSaved, first->modelArtifactsInfo.dateSaved);
    auto loaded = f.load(QStringLiteral("indexeddb://new"));
    QVERIFY(loaded);
    QCOMPARE(bytesOf(loaded->weightData), bytesOf(model.weightData));
    QCOMPARE(QFileInfo(blob).lastModified(), blobTime);
    // The replaced model is in the trash; emptying it collects its weights.
    QCOMPARE(f.store()->blobs().hashes().size(), 2);
    QVERIFY(f.store()->emptyTrash({}));
    QCOMPARE(f.store()->blobs().hashes().size(), 1);
}

void TestIndexedDbStore::allMetadataRoundTrips()
{
    Fixture f;
    ModelArtifacts model = artifactsWithMetadata();
    model.extra["customKey"] = json(R"({"kept":[1,2.5,"x"]})");
    QVERIFY(f.save(QStringLiteral("indexeddb://meta"), model));
    auto loaded = f.load(QStringLiteral("indexeddb://meta"));
    QVERIFY2(loaded, why(loaded));
    for (auto field : {&ModelArtifacts::modelTopology, &ModelArtifacts::format,
                       &ModelArtifacts::generatedBy, &ModelArtifacts::convertedBy,
                       &ModelArtifacts::signature, &ModelArtifacts::userDefinedMetadata,
                       &ModelArtifacts::modelInitializer, &ModelArtifacts::initializerSignature,
                       &ModelArtifacts::trainingConfig}) {
        QCOMPARE((*loaded).*field, model.*field);
    }
    QCOMPARE(text(loaded->extra), text(model.extra));
    // model.json written from the store equals the one written from the source.
    QCOMPARE(text(modelJson(*loaded, singleGroupManifest(*loaded, "w.bin"), JsonLayout::Browser)),
             text(modelJson(model, singleGroupManifest(model, "w.bin"), JsonLayout::Browser)));
}

void TestIndexedDbStore::modelWithoutWeights()
{
    Fixture f;
    ModelArtifacts topologyOnly;
    topologyOnly.modelTopology = json(kTopology1);
    auto saved = f.save(QStringLiteral("indexeddb://bare"), topologyOnly);
    QVERIFY2(saved, why(saved));
    QCOMPARE(saved->modelArtifactsInfo.weightSpecsBytes, 0);
    auto loaded = f.load(QStringLiteral("indexeddb://bare"));
    QVERIFY2(loaded, why(loaded));
    QVERIFY(!loaded->weightSpecs);
    QVERIFY(loaded->weightData.isEmpty());
    QCOMPARE(f.store()->blobs().hashes(), QStringList{});

    ModelArtifacts noBytes = artifacts1();
    noBytes.weightSpecs = std::vector<WeightSpec>{};
    noBytes.weightData = WeightData();
    QVERIFY(f.save(QStringLiteral("indexeddb://empty"), noBytes));
    loaded = f.load(QStringLiteral("indexeddb://empty"));
    QVERIFY2(loaded, why(loaded));
    QVERIFY(loaded->weightSpecs && loaded->weightSpecs->empty());
}

void TestIndexedDbStore::largeModelStreams()
{
    // Weights given as file segments (as file:// loads them) are streamed into the blob.
    Fixture f;
    const ModelArtifacts source = randomModel(6, 1 << 20, 21); // 24 MiB in 3 shard files
    const QByteArray bytes = bytesOf(source.weightData);
    ModelArtifacts model = source;
    model.weightData = WeightData();
    const qint64 shard = 8 << 20;
    for (int i = 0; i < 3; ++i) {
        const QString path = f.dir.filePath(QStringLiteral("shard%1.bin").arg(i));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Some padding before the segment, to check offsets.
        file.write(QByteArray(100, 'p'));
        file.write(bytes.mid(i * shard, shard));
        file.close();
        model.weightData.appendFile(path, 100, shard, QStringLiteral("shard%1.bin").arg(i));
    }
    JobContext ctx;
    auto handler = f.registry.handlerFor(QStringLiteral("indexeddb://streamed"));
    auto saved = (*handler)->save(model, ctx);
    QVERIFY2(saved, why(saved));
    QCOMPARE(ctx.progress().bytesDone, bytes.size());
    auto loaded = f.load(QStringLiteral("indexeddb://streamed"));
    QVERIFY(loaded);
    QCOMPARE(bytesOf(loaded->weightData), bytes);
    auto report = validateArtifacts(*loaded, f.ctx);
    QVERIFY2(report && report->ok(), why(report));
    QCOMPARE(report->tensorsDecoded, 6);
    QCOMPARE(f.store()->blobs().hashes(), QStringList{QString::fromLatin1(Sha256::hash(bytes).toHex())});

    // Many shards smaller than the 4 MiB chunk (the hash of one chunk overlaps the read of the
    // next, whichever file it comes from).
    ModelArtifacts manyShards = source;
    manyShards.weightData = WeightData();
    const QString whole = f.dir.filePath(QStringLiteral("whole.bin"));
    QFile wholeFile(whole);
    QVERIFY(wholeFile.open(QIODevice::WriteOnly));
    wholeFile.write(bytes);
    wholeFile.close();
    for (qint64 at = 0; at < bytes.size(); at += 1000003)
        manyShards.weightData.appendFile(whole, at, std::min<qint64>(1000003, bytes.size() - at),
                                         QStringLiteral("part"));
    auto many = (*f.registry.handlerFor(QStringLiteral("indexeddb://many")))->save(manyShards, ctx);
    QVERIFY2(many, why(many));
    QCOMPARE(f.store()->blobs().hashes(), QStringList{QString::fromLatin1(Sha256::hash(bytes).toHex())});

    // A shard that is shorter than its segment fails the save and leaves nothing behind.
    QFile::resize(f.dir.filePath(QStringLiteral("shard2.bin")), 1000);
    auto broken = (*f.registry.handlerFor(QStringLiteral("indexeddb://broken")))->save(model, ctx);
    QVERIFY(!broken);
    QCOMPARE(broken.error().code, ErrorCode::Io);
    QCOMPARE(broken.error().message,
             QStringLiteral("Cannot read weight file '%1': the file ends at byte 1000, %2 bytes "
                            "expected")
                 .arg(f.dir.filePath(QStringLiteral("shard2.bin")))
                 .arg(100 + shard));
    QCOMPARE(paths(*f.store()->listModels()),
             (QStringList{QStringLiteral("many"), QStringLiteral("streamed")}));
    QCOMPARE(f.store()->blobs().hashes().size(), 1);
    QCOMPARE(QDir(f.options.storeDir + QStringLiteral("/tensorflowjs.blobs/tmp"))
                 .entryList(QDir::Files | QDir::Hidden),
             QStringList{});

    // Cancelling also leaves nothing.
    JobContext cancelled;
    cancelled.cancel();
    auto stopped = (*f.registry.handlerFor(QStringLiteral("indexeddb://stopped")))->save(source, cancelled);
    QVERIFY(!stopped);
    QVERIFY(stopped.error().isCancelled());
    QCOMPARE(paths(*f.store()->listModels()),
             (QStringList{QStringLiteral("many"), QStringLiteral("streamed")}));
}

void TestIndexedDbStore::emptyDatabaseFileIsMigrated()
{
    // A zero-byte file is an empty SQLite database: the schema is created from version 0.
    Fixture f;
    QDir().mkpath(f.options.storeDir);
    QFile empty(f.databaseFile());
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), artifacts1()));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("version"));
    db.setDatabaseName(f.databaseFile());
    QVERIFY(db.open());
    {
        QSqlQuery version(QStringLiteral("SELECT version FROM schema_version"), db);
        QVERIFY(version.next());
        QCOMPARE(version.value(0).toInt(), IndexedDbStore::kSchemaVersion);
        QVERIFY(!version.next());
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("version"));
}

void TestIndexedDbStore::garbageCollection()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("indexeddb://keep"), randomModel(1, 64, 1)));
    auto store = f.store();
    BlobStore &blobs = store->blobs();
    // An orphan blob (as a process killed between publish and commit leaves), a temporary file
    // of an ended process, and one of a running process.
    const QString orphan = QStringLiteral("ab") + QString(62, QLatin1Char('0'));
    QDir().mkpath(blobs.dir() + QStringLiteral("/ab"));
    QFile(blobs.pathFor(orphan)).open(QIODevice::WriteOnly);
    QProcess ended;
    ended.start(QStringLiteral("true"), {});
    QVERIFY(ended.waitForStarted());
    const qint64 endedPid = ended.processId();
    QVERIFY(ended.waitForFinished());
    QVERIFY(endedPid > 0);
    const QString deadTemp = blobs.dir() + QStringLiteral("/tmp/%1-x").arg(endedPid);
    const QString liveTemp = blobs.dir() + QStringLiteral("/tmp/%1-y").arg(::getpid());
    QDir().mkpath(blobs.dir() + QStringLiteral("/tmp"));
    QFile(deadTemp).open(QIODevice::WriteOnly);
    QFile(liveTemp).open(QIODevice::WriteOnly);
    QVERIFY(QFileInfo::exists(deadTemp));

    auto deleted = store->collectGarbage();
    QVERIFY2(deleted, why(deleted));
    QCOMPARE(*deleted, 2);
    QVERIFY(!QFileInfo::exists(blobs.pathFor(orphan)));
    QVERIFY(!QFileInfo::exists(deadTemp));
    QVERIFY(QFileInfo::exists(liveTemp));
    QCOMPARE(blobs.hashes(), *store->referencedBlobs());
    QVERIFY(f.load(QStringLiteral("indexeddb://keep")));
}

void TestIndexedDbStore::missingBlobIsDamage()
{
    Fixture f;
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), randomModel(1, 64, 1)));
    const QString hash = f.store()->blobs().hashes().front();
    const QString blob = f.store()->blobs().pathFor(hash);
    QFile original(blob);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();
    original.close();
    const auto write = [](const QString &path, const QByteArray &data) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
    };
    QVERIFY(QFile::remove(blob));
    const auto damage = [&f]() {
        auto loaded = f.load(QStringLiteral("indexeddb://m"));
        if (loaded)
            return QStringLiteral("loaded");
        return loaded.error().code == ErrorCode::Store
                   ? loaded.error().message
                   : QStringLiteral("code %1").arg(errorCodeName(loaded.error().code));
    };
    const QString prefix = QStringLiteral("The IndexedDB store %1 is damaged: model 'm' refers to "
                                          "weight blob %2 of 256 bytes, which ")
                               .arg(f.databaseFile(), blob);
    QCOMPARE(damage(), prefix + QStringLiteral("is missing."));
    // A link in its place, even to a file of the same size and bytes, is not followed.
    QTemporaryDir outside;
    const QString copy = outside.filePath(QStringLiteral("same.bin"));
    QVERIFY(write(copy, bytes));
    QVERIFY(QFile::link(copy, blob));
    QCOMPARE(damage(), prefix + QStringLiteral("is a link, not a file."));
    QVERIFY(QFile::remove(blob));
    QVERIFY(write(blob, bytes.left(100)));
    QCOMPARE(damage(), prefix + QStringLiteral("has 100 bytes, not 256."));
}

void TestIndexedDbStore::changedBlobFailsVerifiedLoad()
{
    // Blobs are named by the SHA-256 of their bytes: a blob rewritten in place with bytes of the
    // same size loads as before (loads do not read weights), but a verified load (validate)
    // hashes it and names the damage.
    Fixture f;
    QVERIFY(f.save(QStringLiteral("indexeddb://m"), randomModel(1, 64, 1)));
    const QString hash = f.store()->blobs().hashes().front();
    const QString blob = f.store()->blobs().pathFor(hash);
    LoadOptions verified;
    verified.verifyContent = true;
    QVERIFY(f.load(QStringLiteral("indexeddb://m"), verified));
    QFile file(blob);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    QCOMPARE(bytes.size(), 256);
    bytes[200] = char(bytes[200] ^ 0x01);
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), qint64(256));
    file.close();
    QVERIFY(f.load(QStringLiteral("indexeddb://m")));
    auto loaded = f.load(QStringLiteral("indexeddb://m"), verified);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Store);
    const QString changedHash = QString::fromLatin1(Sha256::hash(bytes).toHex());
    QCOMPARE(loaded.error().message,
             QStringLiteral("The IndexedDB store %1 is damaged: model 'm' refers to weight blob %2 of "
                            "256 bytes, which does not match its hash: its bytes were changed (they "
                            "hash to %3).")
                 .arg(f.databaseFile(), blob, changedHash));
    // A load without weights does not read them, verified or not.
    LoadOptions noWeights = LoadOptions::withoutWeights();
    noWeights.verifyContent = true;
    QVERIFY(f.load(QStringLiteral("indexeddb://m"), noWeights));
}

void TestIndexedDbStore::threadsShareStore()
{
    // Each thread has its own connection; saves serialize on the write lock.
    Fixture f;
    QVERIFY(f.save(QStringLiteral("indexeddb://seed"), artifacts1()));
    constexpr int kThreads = 4;
    constexpr int kModels = 5;
    std::vector<std::unique_ptr<QThread>> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(QThread::create([&f, &failures, t] {
            JobContext ctx;
            for (int i = 0; i < kModels; ++i) {
                auto handler = f.registry.handlerFor(QStringLiteral("indexeddb://t%1/m%2").arg(t).arg(i));
                if (!handler || !(*handler)->save(randomModel(1, 1000 + i, quint32(t * 100 + i)), ctx))
                    ++failures;
                auto store = IndexedDbStore::open(f.options.storeDir, IndexedDbStore::Access::Read);
                if (!store || !(*store)->listModels())
                    ++failures;
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(60000));
    QCOMPARE(failures.load(), 0);
    auto models = f.store()->listModels();
    QCOMPARE(models->size(), std::size_t(kThreads * kModels + 1));
    QCOMPARE(f.store()->blobs().hashes().size(), kThreads * kModels + 1);
}

QTEST_GUILESS_MAIN(TestIndexedDbStore)
#include "tst_indexeddbstore.moc"
