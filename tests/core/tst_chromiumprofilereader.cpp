// ChromiumProfileReader on profile folders whose LevelDBs libleveldb wrote with Chromium's
// layout: localStorage models listed and loaded, broken items named, cancellation. (Profiles
// Chromium itself made: tests/browsers/tst_chromiumprofile.cpp.)
#include "base/job.h"
#include "browser/chromiumprofile.h"
#include "leveldbfixture.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

// Chromium's localStorage key for `key` of the file:// origin, UTF-16LE (format 00).
QByteArray localStorageKey(const QString &key)
{
    QByteArray out("_file://\0\0", 10);
    out.append(reinterpret_cast<const char *>(key.utf16()), key.size() * 2);
    return out;
}

// A Latin-1 value (format 01).
QByteArray latin1Value(const QByteArray &text)
{
    return QByteArray(1, '\x01') + text;
}

QString folderOf(const QTemporaryDir &profile)
{
    return profile.filePath(QStringLiteral("Local Storage/leveldb"));
}

} // namespace

class TestChromiumProfileReader : public QObject
{
    Q_OBJECT

private slots:
    void localStorageModel();
    void unknownEncoding();
    void nullInfo();
    void cancelled();
};

void TestChromiumProfileReader::localStorageModel()
{
    QTemporaryDir profile;
    QVERIFY(QDir().mkpath(folderOf(profile)));
    const QString path = u8("модель/日本");
    const QString prefix = QStringLiteral("tensorflowjs_models/") + path + QLatin1Char('/');
    {
        LevelDbWriter db(folderOf(profile));
        db.put("VERSION", "1");
        db.put(localStorageKey(prefix + QStringLiteral("info")),
               latin1Value(R"({"dateSaved":"2026-12-06T20:23:28.787Z","modelTopologyType":"JSON",)"
                           R"("modelTopologyBytes":2,"weightSpecsBytes":48,"weightDataBytes":8})"));
        db.put(localStorageKey(prefix + QStringLiteral("model_topology")), latin1Value("{}"));
        db.put(localStorageKey(prefix + QStringLiteral("weight_specs")),
               latin1Value(R"([{"name":"w","shape":[2],"dtype":"float32"}])"));
        db.put(localStorageKey(prefix + QStringLiteral("weight_data")),
               latin1Value(f32({1.5f, -2.0f}).toBase64()));
        db.put("META:file://", "\x08\x01");
    }
    ChromiumProfileReader reader(profile.path());
    JobContext ctx;
    auto models = reader.listModels(ctx);
    TFJS_VERIFY_OK(models);
    QCOMPARE(models->size(), size_t(1));
    const BrowserModelRef ref{profile.path(), QStringLiteral("file://"),
                              BrowserStorage::LocalStorage, path};
    QVERIFY(models->front().ref == ref);
    QCOMPARE(models->front().info.weightDataBytes, qint64(8));
    auto artifacts = reader.loadModel(ref, ctx, LoadOptions{});
    TFJS_VERIFY_OK(artifacts);
    auto bytes = artifacts->weightData.readAll();
    TFJS_VERIFY_OK(bytes);
    QCOMPARE(*bytes, f32({1.5f, -2.0f}));
}

void TestChromiumProfileReader::unknownEncoding()
{
    QTemporaryDir profile;
    QVERIFY(QDir().mkpath(folderOf(profile)));
    {
        LevelDbWriter db(folderOf(profile));
        db.put(localStorageKey(QStringLiteral("tensorflowjs_models/x/info")), "\x05{}");
    }
    ChromiumProfileReader reader(profile.path());
    JobContext ctx;
    auto models = reader.listModels(ctx);
    TFJS_COMPARE_ERROR(
        models, ErrorCode::Format,
        folderOf(profile)
            + QStringLiteral(": the value of 'tensorflowjs_models/x/info' of file:// "
                             "has an unknown encoding."));
    QCOMPARE(models.error().path, folderOf(profile));
}

void TestChromiumProfileReader::nullInfo()
{
    QTemporaryDir profile;
    QVERIFY(QDir().mkpath(folderOf(profile)));
    {
        LevelDbWriter db(folderOf(profile));
        db.put(localStorageKey(QStringLiteral("tensorflowjs_models/x/info")), latin1Value("null"));
    }
    ChromiumProfileReader reader(profile.path());
    JobContext ctx;
    TFJS_COMPARE_ERROR(reader.listModels(ctx), ErrorCode::Format,
                       profile.path()
                           + QStringLiteral(": localStorage of file://, "
                                            "'tensorflowjs_models/x/info': the item is null."));
}

void TestChromiumProfileReader::cancelled()
{
    QTemporaryDir profile;
    const QString folder = profile.filePath(QStringLiteral("IndexedDB/file__0.indexeddb.leveldb"));
    QVERIFY(QDir().mkpath(folder));
    {
        LevelDbWriter db(folder);
    }
    ChromiumProfileReader reader(profile.path());
    JobContext ctx;
    ctx.cancel();
    auto models = reader.listModels(ctx);
    QVERIFY(!models);
    QVERIFY(models.error().isCancelled());
    auto artifacts = reader.loadModel(
        {profile.path(), QStringLiteral("file://"), BrowserStorage::IndexedDb, QStringLiteral("x")},
        ctx, {});
    QVERIFY(!artifacts);
    QVERIFY(artifacts.error().isCancelled());
}

QTEST_GUILESS_MAIN(TestChromiumProfileReader)
#include "tst_chromiumprofilereader.moc"
