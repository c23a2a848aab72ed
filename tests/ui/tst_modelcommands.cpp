// Nothing is replaced unasked, deleted or replaced store models go to the trash, and what
// cannot be undone is asked first: the window's saves, imports, renames, deletes, restores and
// deletes from the trash against real stores and folders; the inspector follows what they do
// to the opened model.
#include "browserfiltermodel.h"
#include "inspectorwidget.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "overviewpage.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "formatting.h"
#include "schemes/schemes.h"
#include "base/job.h"
#include "handlers/modelmanager.h"

#include <QDirIterator>
#include <QDropEvent>
#include <QInputDialog>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;
using uitest::browserNames;
using uitest::filesUnder;
using uitest::formatAndWeights;
using uitest::openAndWait;
using uitest::waitForChild;

namespace {

// Every model of a store, byte for byte: path -> the info it was saved with, its JSON as TF.js
// writes it and its weights.
QMap<QString, QByteArray> storeContents(const HandlerOptions &options, const QString &scheme)
{
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    QMap<QString, QByteArray> contents;
    auto models = manager.listModels(scheme);
    if (!models)
        return { { QStringLiteral("error"), models.error().toString().toUtf8() } };
    for (const StoredModel &model : *models) {
        JobContext ctx;
        auto artifacts = registry.load(scheme + QStringLiteral("://") + model.path, ctx);
        QByteArray bytes = QByteArray::fromStdString(model.info.toJson().dump());
        if (artifacts)
            bytes += modelJsonText(*artifacts, JsonTextMode::Indented, 1 << 20).text.toUtf8()
                + artifacts->weightData.readAll().value_or(QByteArray());
        contents.insert(model.path, bytes);
    }
    return contents;
}

// The trash of a store: "path (reason)", oldest first.
QStringList trashOf(const HandlerOptions &options, const QString &scheme)
{
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    QStringList list;
    if (auto items = manager.listTrash(scheme)) {
        for (const ModelManager::TrashItem &item : *items)
            list << QStringLiteral("%1 (%2)").arg(
                item.entry.path, trashReasonName(item.entry.reason));
    }
    return list;
}

// The rows of a test run once per store.
void addSchemeRows()
{
    QTest::addColumn<QString>("scheme");
    QTest::newRow("store") << QStringLiteral("indexeddb");
    QTest::newRow("local storage") << QStringLiteral("localstorage");
}

// Clicks `answer` in the Replace / Keep Both / Cancel question, after checking what it asks.
bool answerReplace(MainWindow &window, const QString &url, const QString &answer)
{
    auto *box = waitForChild<QMessageBox>(&window, QStringLiteral("replaceBox"));
    if (!box || !box->text().startsWith(QStringLiteral("%1 already holds a ").arg(url)))
        return false;
    QAbstractButton *button = uitest::buttonWithText(box, answer);
    if (!button)
        return false;
    button->click();
    return true;
}

} // namespace

class TestModelCommands : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Saves the model JSON at `json` to `url` through core, as another program would.
    static bool put(const HandlerOptions &options, const QString &json, const QString &url)
    {
        const HandlerRegistry registry = makeDefaultRegistry(options);
        JobContext ctx;
        auto artifacts = registry.load(json, ctx);
        return artifacts && registry.save(url, *artifacts, ctx);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::writeDenseModel(path(QStringLiteral("models/dense")));
        uitest::writeGraphModel(path(QStringLiteral("models/graph")));
        // A model whose shard is missing: loading it fails, so a question shown for it was
        // asked before anything was loaded.
        uitest::writeFile(
            path(QStringLiteral("models/broken/model.json")), uitest::denseModelJson());
        uitest::writeFile(path(QStringLiteral("models/broken/other.bin")), "x");
    }

    void init()
    {
        // Each test its own store and settings.
        uitest::isolateSettings(path(
            QStringLiteral("store-%1").arg(QString::fromLatin1(QTest::currentTestFunction()))));
    }

    void saveOntoAStoreModelAsksFirst()
    {
        MainWindow window;
        window.show();
        const HandlerOptions options = window.handlerOptions();
        const QString url = QStringLiteral("indexeddb://target");
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")), url));
        const auto before = storeContents(options, QStringLiteral("indexeddb"));
        const auto source = filesUnder(path(QStringLiteral("models/dense")));
        QVERIFY(openAndWait(window, path(QStringLiteral("models/dense"))));
        QSignalSpy saved(&window, &MainWindow::saved);

        // Cancel: both models stay as they were.
        window.saveModelTo(window.openedTarget(), url);
        QVERIFY(answerReplace(window, url, QStringLiteral("Cancel")));
        QTest::qWait(100);
        QCOMPARE(saved.size(), 0);
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")), before);
        QCOMPARE(filesUnder(path(QStringLiteral("models/dense"))), source);
        QVERIFY(trashOf(options, QStringLiteral("indexeddb")).isEmpty());

        // Keep Both: saved as "target (1)", the other untouched.
        window.saveModelTo(window.openedTarget(), url);
        auto *box = waitForChild<QMessageBox>(&window, QStringLiteral("replaceBox"));
        QVERIFY(box);
        // It says what is there, what would replace it, and where Keep Both saves.
        QCOMPARE(box->text(), QStringLiteral("indexeddb://target already holds a graph-model."));
        QCOMPARE(box->informativeText(),
            QStringLiteral("Replace it with %1 (layers-model, %2)? The model there now goes to the "
                           "store's trash. "
                           "Keep Both saves as indexeddb://target (1).")
                .arg(
                    path(QStringLiteral("models/dense")), formatBytes(window.openedTarget().size)));
        QVERIFY(answerReplace(window, url, QStringLiteral("Keep Both")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.front().front().toString(), QStringLiteral("indexeddb://target (1)"));
        auto after = storeContents(options, QStringLiteral("indexeddb"));
        QCOMPARE(after.value(QStringLiteral("target")), before.value(QStringLiteral("target")));
        QCOMPARE(formatAndWeights(options, QStringLiteral("indexeddb://target (1)")),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));

        // Replace: the new model takes the name, the old one is in the trash.
        saved.clear();
        window.saveModelTo(window.openedTarget(), url);
        QVERIFY(answerReplace(window, url, QStringLiteral("Replace")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(formatAndWeights(options, url),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
        QCOMPARE(trashOf(options, QStringLiteral("indexeddb")),
            QStringList { QStringLiteral("target (replaced)") });
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb-trash")),
            QStringList { QStringLiteral("target (replaced)") }, 10000);
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")).keys(),
            (QStringList { QStringLiteral("target"), QStringLiteral("target (1)") }));
    }

    // A drop on the store of a model that is not loaded yet (a folder, or chosen files): the
    // question comes before the load (the dropped model's shard is missing, and no error about
    // it is shown).
    void importByDropAsksBeforeLoading()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")),
            QStringLiteral("indexeddb://broken")));
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")),
            QStringLiteral("indexeddb://dense")));
        const auto before = storeContents(options, QStringLiteral("indexeddb"));
        QSignalSpy errors(&window, &MainWindow::errorReported);
        QSignalSpy saved(&window, &MainWindow::saved);
        ModelBrowserView *view = window.browser()->view();
        auto drop = [&](const QStringList &paths) {
            QList<QUrl> urls;
            for (const QString &dropped : paths)
                urls << QUrl::fromLocalFile(dropped);
            const QPoint pos = view->visualRect(view->model()->index(0, 0)).center();
            if (!uitest::simulateDrop(view->viewport(), urls, pos))
                return false;
            auto *dialog = waitForChild<SaveToDialog>(&window);
            if (!dialog)
                return false;
            uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
            return true;
        };

        QVERIFY(drop({ path(QStringLiteral("models/broken")) }));
        QVERIFY(
            answerReplace(window, QStringLiteral("indexeddb://broken"), QStringLiteral("Cancel")));
        QTest::qWait(100);
        QCOMPARE(errors.size(), 0);
        QCOMPARE(saved.size(), 0);
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")), before);

        // The same for a set of files (JSON + a weight file that is not the model's).
        QVERIFY(drop({ path(QStringLiteral("models/broken/model.json")),
            path(QStringLiteral("models/broken/other.bin")) }));
        QVERIFY(answerReplace(window, QStringLiteral("indexeddb://broken"), QStringLiteral("Cancel")));
        QTest::qWait(100);
        QCOMPARE(errors.size(), 0);
        QCOMPARE(saved.size(), 0);
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")), before);

        QVERIFY(drop({ path(QStringLiteral("models/dense")) }));
        QVERIFY(answerReplace(
            window, QStringLiteral("indexeddb://dense"), QStringLiteral("Keep Both")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(formatAndWeights(options, QStringLiteral("indexeddb://dense (1)")),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")).value(QStringLiteral("dense")),
            before.value(QStringLiteral("dense")));
        QCOMPARE(errors.size(), 0);
    }

    void saveToAFolderHoldingAModelAsksFirst()
    {
        MainWindow window;
        window.show();
        const HandlerOptions options = window.handlerOptions();
        const QString folder = path(QStringLiteral("out/target"));
        uitest::writeGraphModel(folder);
        const auto before = filesUnder(path(QStringLiteral("out")));
        QVERIFY(openAndWait(window, path(QStringLiteral("models/dense"))));
        QSignalSpy saved(&window, &MainWindow::saved);
        const QString url = QStringLiteral("file://") + folder;

        window.saveModelTo(window.openedTarget(), url);
        QVERIFY(answerReplace(window, url, QStringLiteral("Cancel")));
        QTest::qWait(100);
        QCOMPARE(filesUnder(path(QStringLiteral("out"))), before);

        window.saveModelTo(window.openedTarget(), url);
        QVERIFY(answerReplace(window, url, QStringLiteral("Keep Both")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(formatAndWeights(options, folder + QStringLiteral(" (1)")),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
        auto now = filesUnder(path(QStringLiteral("out")));
        for (auto it = before.begin(); it != before.end(); ++it)
            QCOMPARE(now.value(it.key()), it.value());

        window.saveModelTo(window.openedTarget(), url);
        QVERIFY(answerReplace(window, url, QStringLiteral("Replace")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(formatAndWeights(options, folder),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
    }

    // F2 onto a name that is taken is refused: both models stay, none goes to the trash.
    void renameOntoATakenNameIsRefused()
    {
        MainWindow window;
        window.show();
        const HandlerOptions options = window.handlerOptions();
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")),
            QStringLiteral("indexeddb://a")));
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")),
            QStringLiteral("indexeddb://b")));
        const auto before = storeContents(options, QStringLiteral("indexeddb"));
        window.browser()->refreshStores();
        QTRY_VERIFY_WITH_TIMEOUT(
            window.browser()->selectUrl(QStringLiteral("indexeddb://a")), 10000);
        QSignalSpy errors(&window, &MainWindow::errorReported);
        window.action(QStringLiteral("rename"))->trigger();
        auto *ask = waitForChild<QInputDialog>(&window, QStringLiteral("askTextDialog"));
        QVERIFY(ask);
        ask->setTextValue(QStringLiteral("b"));
        ask->accept();
        QVERIFY(errors.wait(10000));
        const QString error = errors.front().front().toString();
        QVERIFY2(
            error.startsWith(QStringLiteral(
                "Could not rename indexeddb://a to indexeddb://b: indexeddb://b already exists")),
            qPrintable(error));
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")), before);
        QVERIFY(trashOf(options, QStringLiteral("indexeddb")).isEmpty());
    }

    void deleteGoesToTheTrashAndRestoreBringsItBack_data() { addSchemeRows(); }

    void deleteGoesToTheTrashAndRestoreBringsItBack()
    {
        QFETCH(QString, scheme);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        const QString url = scheme + QStringLiteral("://a");
        const QString trash = scheme + QStringLiteral("-trash");
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")), url));
        const auto before = storeContents(options, scheme);
        window.browser()->refreshStores();
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->selectUrl(url), 10000);

        // Delete asks nothing: the model goes to the trash, listed with why.
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        QAction *remove = window.action(QStringLiteral("remove"));
        QCOMPARE(remove->text(), QStringLiteral("Move “a” to &Trash"));
        remove->trigger();
        QVERIFY(changed.wait(10000));
        QVERIFY(!window.findChild<QMessageBox *>());
        QVERIFY(storeContents(options, scheme).isEmpty());
        QCOMPARE(trashOf(options, scheme), QStringList { QStringLiteral("a (removed)") });
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, trash), QStringList { QStringLiteral("a (deleted)") }, 10000);

        // Restore puts it back as it was.
        QSignalSpy saved(&window, &MainWindow::saved);
        QVERIFY(uitest::triggerContextAction(window, url, QStringLiteral("restore"), trash));
        QVERIFY(saved.wait(10000));
        QCOMPARE(storeContents(options, scheme), before);
        QVERIFY(trashOf(options, scheme).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(browserNames(window, trash).isEmpty(), 10000);

        // Restoring onto a name taken since: asked; Keep Both restores as "a (1)".
        window.removeStored(url);
        QVERIFY(changed.wait(10000));
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")), url));
        window.browser()->refreshStores();
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, scheme), QStringList { QStringLiteral("a") }, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, trash), QStringList { QStringLiteral("a (deleted)") }, 10000);
        saved.clear();
        QVERIFY(uitest::triggerContextAction(window, url, QStringLiteral("restore"), trash));
        QVERIFY(answerReplace(window, url, QStringLiteral("Keep Both")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(formatAndWeights(options, url + QStringLiteral(" (1)")),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
        QCOMPARE(formatAndWeights(options, url),
            qMakePair(QStringLiteral("graph-model"), uitest::graphWeights()));
        QVERIFY(trashOf(options, scheme).isEmpty());
    }

    void emptyTrashAsksThenEmpties()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        for (const QString &name : { QStringLiteral("a"), QStringLiteral("b") }) {
            QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")),
                QStringLiteral("indexeddb://") + name));
            window.removeStored(QStringLiteral("indexeddb://") + name);
            QVERIFY(changed.wait(10000));
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, QStringLiteral("indexeddb-trash")).size(), 2, 10000);
        ModelBrowserView *view = window.browser()->view();
        const QModelIndex section = window.browser()->filterModel()->mapFromSource(
            window.browser()->model()->sectionIndex(QStringLiteral("indexeddb-trash")));
        view->setCurrentIndex(section);
        QAction *empty = window.action(QStringLiteral("emptyTrash"));
        QVERIFY(empty->isEnabled());

        empty->trigger();
        auto *box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        QCOMPARE(box->text(),
            QStringLiteral(
                "Delete 2 models in the trash of indexeddb:// for good? This cannot be undone."));
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(100);
        QCOMPARE(trashOf(options, QStringLiteral("indexeddb")).size(), 2);

        empty->trigger();
        box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        uitest::buttonWithText(box, QStringLiteral("Empty Trash"))->click();
        QVERIFY(changed.wait(10000));
        QVERIFY(trashOf(options, QStringLiteral("indexeddb")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            browserNames(window, QStringLiteral("indexeddb-trash")).isEmpty(), 10000);
    }

    void deletePermanentlyAsksAndKeepsTheRest_data() { addSchemeRows(); }

    // One trash entry goes for good, from its context menu or with Delete, after a question
    // naming it; the other entries and the models (one with the same weights) stay.
    void deletePermanentlyAsksAndKeepsTheRest()
    {
        QFETCH(QString, scheme);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        const QString trash = scheme + QStringLiteral("-trash");
        const auto url = [&](const char *name) -> QString {
            return scheme + QStringLiteral("://") + QLatin1String(name);
        };
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")), url("live")));
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")), url("a")));
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")), url("b")));
        for (const char *name : { "a", "b" }) {
            window.removeStored(url(name));
            QVERIFY(changed.wait(10000));
        }
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, trash),
            (QStringList { QStringLiteral("a (deleted)"), QStringLiteral("b (deleted)") }), 10000);
        const QString removedAt
            = formatDate(window.browser()->model()->entries(trash)->front().date);

        // The context menu: Cancel changes nothing; Delete Permanently deletes that entry.
        QVERIFY(uitest::triggerContextAction(
            window, url("a"), QStringLiteral("deletePermanently"), trash));
        QCOMPARE(window.action(QStringLiteral("deletePermanently"))->text(),
            QStringLiteral("&Delete “a” Permanently…"));
        auto *box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        QCOMPARE(box->text(),
            QStringLiteral(
                "Delete %1 (deleted %2) from the trash permanently? This cannot be undone.")
                .arg(url("a"), removedAt));
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(100);
        QCOMPARE(trashOf(options, scheme).size(), 2);
        QVERIFY(uitest::triggerContextAction(
            window, url("a"), QStringLiteral("deletePermanently"), trash));
        box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        uitest::buttonWithText(box, QStringLiteral("Delete Permanently"))->click();
        QVERIFY(changed.wait(10000));
        QCOMPARE(trashOf(options, scheme), QStringList { QStringLiteral("b (removed)") });
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, trash), QStringList { QStringLiteral("b (deleted)") }, 10000);
        QCOMPARE(formatAndWeights(options, url("live")),
            qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));

        // Delete in a trash section asks the same; on a model it moves it to the trash unasked.
        ModelBrowserView *view = window.browser()->view();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        view->setFocus();
        QVERIFY(window.browser()->selectUrl(url("b")));
        QTest::keyClick(view, Qt::Key_Delete);
        box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        QVERIFY2(box->text().startsWith(QStringLiteral("Delete %1 (deleted ").arg(url("b"))),
            qPrintable(box->text()));
        QSignalSpy listed(window.browser(), &ModelBrowserPanel::listingFinished);
        uitest::buttonWithText(box, QStringLiteral("Delete Permanently"))->click();
        QVERIFY(changed.wait(10000));
        QVERIFY(trashOf(options, scheme).isEmpty());
        // Both stores and their trash are listed again (listings started before may finish
        // after the spy began: at least four, and the trash section is empty).
        QTRY_VERIFY_WITH_TIMEOUT(listed.size() >= 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(browserNames(window, trash).isEmpty(), 10000);
        QVERIFY(window.browser()->selectUrl(url("live")));
        window.activateWindow(); // the offscreen platform leaves no window active after the box
        QVERIFY(QTest::qWaitForWindowActive(&window));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Delete);
        QVERIFY(changed.wait(10000));
        QVERIFY(!window.findChild<QMessageBox *>());
        QCOMPARE(trashOf(options, scheme), QStringList { QStringLiteral("live (removed)") });

        // An entry deleted meanwhile by another program: the error names it, nothing else goes.
        QTRY_COMPARE_WITH_TIMEOUT(
            browserNames(window, trash), QStringList { QStringLiteral("live (deleted)") }, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(browserNames(window, scheme).isEmpty(), 10000);
        QVERIFY(window.browser()->selectUrl(url("live")));
        QVERIFY(put(options, path(QStringLiteral("models/graph/model.json")), url("c")));
        const HandlerRegistry registry = makeDefaultRegistry(options);
        QCOMPARE(ModelManager(registry).emptyTrash(scheme).value(), 1);
        QSignalSpy errors(&window, &MainWindow::errorReported);
        window.action(QStringLiteral("deletePermanently"))->trigger();
        box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        uitest::buttonWithText(box, QStringLiteral("Delete Permanently"))->click();
        QVERIFY(errors.wait(10000));
        const QString error = errors.front().front().toString();
        QVERIFY2(error.startsWith(
                     QStringLiteral("Could not delete %1 from the trash: There is no entry ")
                         .arg(url("live"))),
            qPrintable(error));
        QCOMPARE(formatAndWeights(options, url("c")),
            qMakePair(QStringLiteral("graph-model"), uitest::graphWeights()));
    }

    // The opened model follows its URL: replaced (by a save or a restore) it is reopened there,
    // renamed it is opened under its new name, moved to the trash it is closed, saying so.
    void inspectorFollowsItsModel()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        const QString a = QStringLiteral("indexeddb://a");
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")), a));
        QVERIFY(put(options, path(QStringLiteral("models/dense/model.json")),
            QStringLiteral("indexeddb://other")));
        QVERIFY(openAndWait(window, a));
        const OpenedModelPtr first = window.currentModel();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QSignalSpy saved(&window, &MainWindow::saved);
        const ModelTarget graph
            = ModelTarget::of(ModelSource::fromUrl(path(QStringLiteral("models/graph"))));

        // Another model replaced: the opened one stays.
        window.saveModelTo(graph, QStringLiteral("indexeddb://other"));
        QVERIFY(
            answerReplace(window, QStringLiteral("indexeddb://other"), QStringLiteral("Replace")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(window.currentModel(), first);

        // Replaced by a save: the new model is shown at the same URL.
        window.saveModelTo(graph, a);
        QVERIFY(answerReplace(window, a, QStringLiteral("Replace")));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, a);
        QCOMPARE(window.currentModel()->overview.format, QStringLiteral("graph-model"));
        QCOMPARE(*window.currentModel()->artifacts.weightData.readAll(), uitest::graphWeights());

        // Replaced by a restore: the restored model is shown.
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb-trash")),
            (QStringList { QStringLiteral("a (replaced)"), QStringLiteral("other (replaced)") }),
            10000);
        QVERIFY(uitest::triggerContextAction(
            window, a, QStringLiteral("restore"), QStringLiteral("indexeddb-trash")));
        QVERIFY(answerReplace(window, a, QStringLiteral("Replace")));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->overview.format, QStringLiteral("layers-model"));
        QCOMPARE(*window.currentModel()->artifacts.weightData.readAll(), uitest::denseWeights());

        // Renamed: opened under the new name.
        window.renameStored(a, QStringLiteral("b"));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, QStringLiteral("indexeddb://b"));
        QCOMPARE(window.windowTitle(), QStringLiteral("b — TFJS Model Manager"));

        // Moved to the trash: closed, and the inspector says where it went.
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        window.removeStored(QStringLiteral("indexeddb://b"));
        QVERIFY(changed.wait(10000));
        QVERIFY(!window.currentModel());
        QCOMPARE(window.windowTitle(), QStringLiteral("TFJS Model Manager"));
        QCOMPARE(window.inspector()->overviewPage()->toPlainText(),
            QStringLiteral(
                "indexeddb://b was moved to the store's trash (Restore brings it back)."));
        QVERIFY(!window.action(QStringLiteral("saveTo"))->isEnabled());

        // A folder overwritten by a save (its model.json, opened as the folder): reopened.
        const QString folder = path(QStringLiteral("follow/x"));
        uitest::writeDenseModel(folder);
        QVERIFY(openAndWait(window, folder));
        window.saveModelTo(graph, QStringLiteral("file://") + folder);
        QVERIFY(
            answerReplace(window, QStringLiteral("file://") + folder, QStringLiteral("Replace")));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, folder);
        QCOMPARE(window.currentModel()->overview.format, QStringLiteral("graph-model"));
    }
};

QTEST_MAIN(TestModelCommands)
#include "tst_modelcommands.moc"
