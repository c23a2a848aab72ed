// A scheme the app does not know, registered by the test alone: it must appear in the
// browser, in Save To and as a drop target, and ModelManager must copy, move and remove
// through it, with no UI code naming it.
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "base/job.h"
#include "handlers/modelmanager.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <mutex>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

const QString kScheme = QStringLiteral("memory");

// The models of the "memory" scheme: shared by its handlers and store managers, which the
// registry makes per call on any thread.
struct Memory
{
    std::mutex mutex;
    std::map<QString, ModelArtifacts> models;
};

Error missing(const QString &path)
{
    Error error { ErrorCode::NotFound, QStringLiteral("No model at memory://%1.").arg(path) };
    error.url = ModelUrl::make(kScheme, path);
    return error;
}

class MemoryHandler final : public IOHandler
{
public:
    MemoryHandler(std::shared_ptr<Memory> memory, QString path)
        : m_memory(std::move(memory)), m_path(std::move(path))
    { }

    Result<ModelArtifacts> load(JobContext &, const LoadOptions &) override
    {
        const std::lock_guard lock(m_memory->mutex);
        const auto it = m_memory->models.find(m_path);
        if (it == m_memory->models.end())
            return fail(missing(m_path));
        return it->second;
    }

    Result<SaveResult> save(const ModelArtifacts &artifacts, JobContext &ctx) override
    {
        auto bytes = artifacts.weightData.readAll(&ctx);
        if (!bytes)
            return fail(bytes.error());
        ModelArtifacts copy = artifacts;
        copy.weightData = WeightData::fromBytes(*bytes);
        const std::lock_guard lock(m_memory->mutex);
        if (existing() == Existing::Refuse && m_memory->models.contains(m_path))
            return fail(
                ErrorCode::Exists, QStringLiteral("memory://%1 holds a model.").arg(m_path));
        m_memory->models[m_path] = std::move(copy);
        return SaveResult { artifactsInfo(artifacts), { ModelUrl::make(kScheme, m_path) }, 0, {} };
    }

    Result<bool> hasModel() override
    {
        const std::lock_guard lock(m_memory->mutex);
        return m_memory->models.contains(m_path);
    }

private:
    std::shared_ptr<Memory> m_memory;
    QString m_path;
};

// Lists, removes and renames; it declares no trash, so removed models are gone and its trash
// is always empty.
class MemoryStore final : public ModelStoreManager
{
public:
    explicit MemoryStore(std::shared_ptr<Memory> memory) : m_memory(std::move(memory)) { }

    Result<std::vector<StoredModel>> listModels() override
    {
        const std::lock_guard lock(m_memory->mutex);
        std::vector<StoredModel> out;
        for (const auto &[path, artifacts] : m_memory->models)
            out.push_back({ path, artifactsInfo(artifacts) });
        return out;
    }
    Result<ModelArtifactsInfo> removeModel(const QString &path) override
    {
        return deleteModel(path);
    }
    Result<ModelArtifactsInfo> deleteModel(const QString &path) override
    {
        const std::lock_guard lock(m_memory->mutex);
        const auto node = m_memory->models.extract(path);
        if (node.empty())
            return fail(missing(path));
        return artifactsInfo(node.mapped());
    }
    Result<ModelArtifactsInfo> renameModel(
        const QString &from, const QString &to, Existing existing) override
    {
        const std::lock_guard lock(m_memory->mutex);
        if (!m_memory->models.contains(from))
            return fail(missing(from));
        if (existing == Existing::Refuse && m_memory->models.contains(to))
            return fail(ErrorCode::Exists, QStringLiteral("memory://%1 holds a model.").arg(to));
        ModelArtifacts moved = std::move(m_memory->models.extract(from).mapped());
        const ModelArtifactsInfo info = artifactsInfo(moved);
        m_memory->models.insert_or_assign(to, std::move(moved));
        return info;
    }
    Result<std::vector<TrashEntry>> listTrash() override { return std::vector<TrashEntry> {}; }
    Result<StoredModel> restoreFromTrash(qint64 id, const QString &, Existing) override
    {
        return fail(
            ErrorCode::NotFound, QStringLiteral("memory:// has no trash entry %1.").arg(id));
    }
    Result<std::vector<TrashEntry>> deleteFromTrash(const std::vector<qint64> &ids) override
    {
        if (!ids.empty())
            return fail(ErrorCode::NotFound,
                QStringLiteral("memory:// has no trash entry %1.").arg(ids.front()));
        return std::vector<TrashEntry> {};
    }
    Result<int> emptyTrash(const QDateTime &) override { return 0; }

private:
    std::shared_ptr<Memory> m_memory;
};

// Every scheme of the app, plus "memory".
MainWindow::RegistryFactory withMemory(std::shared_ptr<Memory> memory)
{
    return [memory](const HandlerOptions &options) {
        HandlerRegistry registry = makeDefaultRegistry(options);
        SchemeInfo info;
        info.scheme = kScheme;
        info.capabilities = Capability::Load | Capability::Save | Capability::List
            | Capability::Remove | Capability::Rename;
        info.displayName = QStringLiteral("Memory models");
        registry.add(
            info,
            [memory](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
                return std::make_unique<MemoryHandler>(memory, url.path);
            },
            [memory]() -> Result<std::unique_ptr<ModelStoreManager>> {
                return std::make_unique<MemoryStore>(memory);
            });
        return registry;
    };
}

// The keys of the sections, but those of the browsers' profiles (the app's browser schemes
// find what this machine holds; tst_browsersection tests them).
QStringList sectionKeys(const ModelBrowserModel &model)
{
    QStringList keys;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex section = model.index(row, 0);
        if (SectionKind(section.data(ModelBrowserModel::SectionKindRole).toInt()) != SectionKind::Browser)
            keys << section.data(ModelBrowserModel::SectionKeyRole).toString();
    }
    return keys;
}

} // namespace

class TestNewScheme : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        uitest::writeDenseModel(path(QStringLiteral("models/dense")));
    }

    void appearsInTheBrowserAfterTheStores()
    {
        MainWindow window(withMemory(std::make_shared<Memory>()));
        const ModelBrowserModel &model = *window.browser()->model();
        QCOMPARE(sectionKeys(model),
            (QStringList { QStringLiteral("indexeddb"), QStringLiteral("localstorage"), kScheme,
                QStringLiteral("recent"), QStringLiteral("indexeddb-trash"),
                QStringLiteral("localstorage-trash") }));
        const QModelIndex section = model.sectionIndex(kScheme);
        QCOMPARE(section.data(Qt::DisplayRole).toString(), QStringLiteral("Memory models"));
        QCOMPARE(SectionKind(section.data(ModelBrowserModel::SectionKindRole).toInt()),
            SectionKind::Store);
    }

    void isADropTargetThatImports()
    {
        MainWindow window(withMemory(std::make_shared<Memory>()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ModelBrowserView *view = window.browser()->view();
        const QModelIndex section = view->model()->index(2, 0);
        QCOMPARE(section.data(ModelBrowserModel::SectionKeyRole).toString(), kScheme);
        const QPoint pos = view->visualRect(section).center();
        QCOMPARE(view->importSchemeAt(pos), kScheme);
        QVERIFY(uitest::simulateDrop(
            view->viewport(), { QUrl::fromLocalFile(path(QStringLiteral("models/dense"))) }, pos));
        auto *dialog = window.findChild<SaveToDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->destination(), kScheme);
        QCOMPARE(dialog->destinationUrl(), QStringLiteral("memory://dense"));
        dialog->reject();
    }

    void isASaveToDestinationThatSaves()
    {
        auto memory = std::make_shared<Memory>();
        MainWindow window(withMemory(memory));
        const ModelTarget target
            = ModelTarget::of(ModelSource::fromUrl(path(QStringLiteral("models/dense"))));
        SaveToDialog dialog(target, *window.registry(), {});
        QCOMPARE(dialog.destinations(),
            (QStringList { QStringLiteral("indexeddb"), QStringLiteral("localstorage"),
                QStringLiteral("file"), QStringLiteral("downloads"), kScheme, QString() }));
        dialog.setDestination(kScheme);
        dialog.setName(QStringLiteral("saved"));
        QCOMPARE(dialog.destinationUrl(), QStringLiteral("memory://saved"));
        QSignalSpy listed(window.browser(), &ModelBrowserPanel::listingFinished);
        QSignalSpy saved(&window, &MainWindow::saved);
        connect(&dialog, &SaveToDialog::saveRequested, &window,
            [&window, target](const QString &url) { window.saveModelTo(target, url); });
        uitest::buttonWithText(&dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.front().front().toString(), QStringLiteral("memory://saved"));
        QVERIFY(memory->models.contains(QStringLiteral("saved")));
        // The browser relists the scheme after the save.
        QTRY_COMPARE_WITH_TIMEOUT(
            uitest::browserNames(window, kScheme), QStringList { QStringLiteral("saved") }, 10000);
        QVERIFY(window.browser()->selectUrl(QStringLiteral("memory://saved")));
        QVERIFY(window.action(QStringLiteral("rename"))->isEnabled());
        QVERIFY(window.action(QStringLiteral("remove"))->isEnabled());
        // Rename and Move to Trash go through ModelManager to the scheme's store.
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        window.renameStored(QStringLiteral("memory://saved"), QStringLiteral("renamed"));
        QVERIFY(changed.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(uitest::browserNames(window, kScheme),
                                  QStringList{QStringLiteral("renamed")}, 10000);
        window.removeStored(QStringLiteral("memory://renamed"));
        QVERIFY(changed.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(uitest::browserNames(window, kScheme), QStringList(), 10000);
    }

    void modelManagerCopiesMovesAndRemoves()
    {
        auto memory = std::make_shared<Memory>();
        HandlerOptions options;
        options.storeDir = path(QStringLiteral("store"));
        const HandlerRegistry registry = withMemory(memory)(options);
        const ModelManager manager(registry);
        QVERIFY(manager.schemes().contains(kScheme));
        JobContext ctx;
        const QString source = ModelUrl::fromLocalPath(path(QStringLiteral("models/dense")));
        QVERIFY(manager.copyModel(source, QStringLiteral("memory://a"), ctx));
        auto listed = manager.listModels(kScheme);
        QVERIFY(listed);
        QCOMPARE(listed->size(), std::size_t(1));
        QCOMPARE(listed->front().path, QStringLiteral("a"));
        // Within the scheme a move is its rename; across schemes a copy, then a delete.
        QVERIFY(manager.moveModel(QStringLiteral("memory://a"), QStringLiteral("memory://b"), ctx));
        QVERIFY(manager.moveModel(
            QStringLiteral("memory://b"), QStringLiteral("indexeddb://from-memory"), ctx));
        QVERIFY(memory->models.empty());
        const auto weights
            = uitest::formatAndWeights(options, QStringLiteral("indexeddb://from-memory"));
        QCOMPARE(weights.second, uitest::denseWeights());
        QVERIFY(manager.copyModel(
            QStringLiteral("indexeddb://from-memory"), QStringLiteral("memory://c"), ctx));
        const auto removed = manager.removeModel(QStringLiteral("memory://c"));
        QVERIFY(removed);
        QCOMPARE(removed->weightDataBytes, qint64(uitest::denseWeights().size()));
        QVERIFY(memory->models.empty());
        // A missing model is the scheme's own error.
        const auto again = manager.removeModel(QStringLiteral("memory://c"));
        QVERIFY(!again);
        QCOMPARE(again.error().message, QStringLiteral("No model at memory://c."));
    }
};

QTEST_MAIN(TestNewScheme)
#include "tst_newscheme.moc"
