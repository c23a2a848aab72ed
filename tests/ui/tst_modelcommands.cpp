// Nothing is replaced unasked, and deleted or replaced store models go to the trash: the
// window's saves, imports, renames, deletes and restores against real stores and folders.
#include "browserfiltermodel.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "formatting.h"
#include "schemes/schemes.h"
#include "base/job.h"
#include "store/modelmanager.h"

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
using uitest::formatAndWeights;
using uitest::openAndWait;
using uitest::waitForChild;

namespace {

// Every model of a store, byte for byte: path -> the info it was saved with, its JSON as TF.js
// writes it and its weights.
QMap<QString, QByteArray> storeContents(const HandlerOptions &options, const QString &scheme)
{
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry, options);
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
    const ModelManager manager(registry, options);
    QStringList list;
    if (auto items = manager.listTrash(scheme)) {
        for (const ModelManager::TrashItem &item : *items)
            list << QStringLiteral("%1 (%2)").arg(
                item.entry.path, trashReasonName(item.entry.reason));
    }
    return list;
}

// Every file under a folder with its bytes.
QMap<QString, QByteArray> filesUnder(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            files.insert(it.filePath(), file.readAll());
    }
    return files;
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

    // A drop on the store of a model that is not loaded yet: the question comes before the
    // load (the dropped model's shard is missing, and no error about it is shown).
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
        auto drop = [&](const QString &folder) {
            const QPoint pos = view->visualRect(view->model()->index(0, 0)).center();
            if (!uitest::simulateDrop(view->viewport(), { QUrl::fromLocalFile(folder) }, pos))
                return false;
            auto *dialog = waitForChild<SaveToDialog>(&window);
            if (!dialog)
                return false;
            uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
            return true;
        };

        QVERIFY(drop(path(QStringLiteral("models/broken"))));
        QVERIFY(
            answerReplace(window, QStringLiteral("indexeddb://broken"), QStringLiteral("Cancel")));
        QTest::qWait(100);
        QCOMPARE(errors.size(), 0);
        QCOMPARE(saved.size(), 0);
        QCOMPARE(storeContents(options, QStringLiteral("indexeddb")), before);

        QVERIFY(drop(path(QStringLiteral("models/dense"))));
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

    void deleteGoesToTheTrashAndRestoreBringsItBack_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("store") << QStringLiteral("indexeddb");
        QTest::newRow("local storage") << QStringLiteral("localstorage");
    }

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
};

QTEST_MAIN(TestModelCommands)
#include "tst_modelcommands.moc"
