// ModelManager::copyModel from a handler without a URL (the app's chosen files): the same copy
// as from a URL (refuse a taken destination before loading, spool, save with the policy).
#include "base/job.h"
#include "file/filelisthandler.h"
#include "schemes/schemes.h"
#include "handlers/modelmanager.h"
#include "storetestdata.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace storetest;

class TestModelCopy : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void copyFromFileSet();
    void takenDestinationRefusedBeforeLoading();
    void replaceTakenDestination();
    void noSaveHandler();

private:
    QStringList writeFileSet(); // model.json and weights.bin of artifacts1() under "src"

    std::unique_ptr<QTemporaryDir> m_dir;
    HandlerOptions m_options;
    HandlerRegistry m_registry;
    std::unique_ptr<ModelManager> m_manager;
    JobContext m_ctx;
};

void TestModelCopy::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_options.storeDir = m_dir->filePath(QStringLiteral("store"));
    m_options.downloadsDir = m_dir->filePath(QStringLiteral("Downloads"));
    m_registry = makeDefaultRegistry(m_options);
    m_manager = std::make_unique<ModelManager>(m_registry);
}

QStringList TestModelCopy::writeFileSet()
{
    const QString src = m_dir->filePath(QStringLiteral("src"));
    auto saved = m_registry.save(QStringLiteral("file://") + src, artifacts1(), m_ctx);
    if (!saved)
        qFatal("cannot write %s", why(saved).constData());
    return {src + QStringLiteral("/model.json"), src + QStringLiteral("/weights.bin")};
}

void TestModelCopy::copyFromFileSet()
{
    FileListHandler files(writeFileSet());
    const QString url = QStringLiteral("indexeddb://chosen");
    auto copied = m_manager->copyModel(files, url, m_ctx);
    QVERIFY2(copied, why(copied));
    QCOMPARE(copied->modelArtifactsInfo.weightDataBytes, 16);
    auto loaded = m_registry.load(url, m_ctx);
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->modelTopology), text(*artifacts1().modelTopology));
    QCOMPARE(bytesOf(loaded->weightData), QByteArray(16, '\0'));
}

void TestModelCopy::takenDestinationRefusedBeforeLoading()
{
    const QString url = QStringLiteral("indexeddb://taken");
    QVERIFY(m_registry.save(url, artifacts1(), m_ctx));
    // Files that do not exist: a load would fail with NotFound, so Exists proves none ran.
    FileListHandler files({m_dir->filePath(QStringLiteral("gone/model.json"))});
    auto copied = m_manager->copyModel(files, url, m_ctx);
    QVERIFY(!copied);
    QCOMPARE(copied.error().code, ErrorCode::Exists);
    QCOMPARE(copied.error().url, url);
}

void TestModelCopy::replaceTakenDestination()
{
    const QString url = QStringLiteral("indexeddb://taken");
    ModelArtifacts other = artifacts1();
    other.generatedBy = Json("other");
    QVERIFY(m_registry.save(url, other, m_ctx));
    FileListHandler files(writeFileSet());
    auto copied = m_manager->copyModel(files, url, m_ctx, Existing::Replace);
    QVERIFY2(copied, why(copied));
    auto loaded = m_registry.load(url, m_ctx);
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(text(*loaded->generatedBy), text(Json("TensorFlow.js v0.0.0")));
}

void TestModelCopy::noSaveHandler()
{
    FileListHandler files(writeFileSet());
    auto copied = m_manager->copyModel(files, QStringLiteral("nowhere"), m_ctx);
    QVERIFY(!copied);
    QCOMPARE(copied.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(copied.error().message, QStringLiteral("Copying failed because no save handler is "
                                                    "found for destination URL nowhere."));
}

QTEST_GUILESS_MAIN(TestModelCopy)
#include "tst_modelcopy.moc"
