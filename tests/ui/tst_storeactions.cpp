#include "jobtracker.h"
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
#include "format/modeloverview.h"
#include "handlers/modelmanager.h"

#include <QAction>
#include <QApplication>
#include <QDeadlineTimer>
#include <QDropEvent>
#include <QInputDialog>
#include <QLabel>
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

// The store's models as core lists them (independent of the browser).
QStringList storedPaths(const HandlerOptions &options, const QString &scheme)
{
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry);
    auto models = manager.listModels(scheme);
    QStringList paths;
    if (models) {
        for (const StoredModel &model : *models)
            paths << model.path;
    }
    return paths;
}

} // namespace

class TestStoreActions : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Shows the window with the folder "pair" (a: Dense, b: graph) listed and a opened.
    bool listPairAndOpenA(MainWindow &window)
    {
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        window.addFolder(path(QStringLiteral("pair")));
        QDeadlineTimer listed(10000);
        while (!window.browser()->selectUrl(path(QStringLiteral("pair/b/model.json"))) && !listed.hasExpired())
            QTest::qWait(10);
        return !listed.hasExpired() && openAndWait(window, path(QStringLiteral("pair/a/model.json")));
    }

    // In the Save To dialog the window opened (which must show `title` and `label`), saves
    // into the store as `name`; returns what core loads there (or what was wrong).
    static QPair<QString, QByteArray> saveInStore(MainWindow &window, const QString &title, const QString &label,
                                                  const QString &name)
    {
        auto *dialog = waitForChild<SaveToDialog>(&window);
        if (!dialog || dialog->windowTitle() != title || dialog->modelLabel()->text() != label)
            return {dialog ? dialog->windowTitle() + QStringLiteral(": ") + dialog->modelLabel()->text() : QString(), {}};
        dialog->setDestination(QStringLiteral("indexeddb"));
        dialog->setName(name);
        QSignalSpy saved(&window, &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        if (!saved.wait(10000))
            return {QStringLiteral("not saved"), {}};
        return formatAndWeights(window.handlerOptions(), QStringLiteral("indexeddb://") + name);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        uitest::writeDenseModel(path(QStringLiteral("models/dense")));
        uitest::writeDenseModel(path(QStringLiteral("pair/a")));
        uitest::writeGraphModel(path(QStringLiteral("pair/b")));
    }

    void importRenameDelete()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const HandlerOptions options = window.handlerOptions();
        QCOMPARE(options.storeDir, path(QStringLiteral("store")));

        // Import: a drop on the store section, confirmed in the Save To dialog.
        ModelBrowserView *view = window.browser()->view();
        const QPoint pos = view->visualRect(view->model()->index(0, 0)).center();
        QVERIFY(uitest::simulateDrop(view->viewport(), {QUrl::fromLocalFile(path(QStringLiteral("models/dense")))}, pos));
        auto *dialog = waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Import “dense”"));
        QCOMPARE(dialog->modelLabel()->text(), path(QStringLiteral("models/dense")));
        QCOMPARE(dialog->destinationUrl(), QStringLiteral("indexeddb://dense"));
        QSignalSpy saved(&window, &MainWindow::saved);
        QSignalSpy changed(&window, &MainWindow::storeChanged);
        QTest::keyClick(dialog, Qt::Key_Return);
        QVERIFY(saved.wait(20000));
        QCOMPARE(storedPaths(options, QStringLiteral("indexeddb")), QStringList{QStringLiteral("dense")});
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb")), QStringList{QStringLiteral("dense")}, 10000);
        const BrowserEntry listed = window.browser()->model()->entries(QStringLiteral("indexeddb"))->front();
        QCOMPARE(listed.format, QStringLiteral("layers-model"));
        QVERIFY(listed.size > 32);
        QVERIFY(listed.date.isValid());

        // Rename: F2's action asks for the new name.
        QVERIFY(window.browser()->selectUrl(QStringLiteral("indexeddb://dense")));
        QAction *rename = window.action(QStringLiteral("rename"));
        QVERIFY(rename->isEnabled());
        rename->trigger();
        auto *ask = waitForChild<QInputDialog>(&window, QStringLiteral("askTextDialog"));
        QVERIFY(ask);
        QCOMPARE(ask->textValue(), QStringLiteral("dense"));
        ask->setTextValue(QStringLiteral("team/dense v2"));
        changed.clear();
        ask->accept();
        QVERIFY(changed.wait(10000));
        QCOMPARE(storedPaths(options, QStringLiteral("indexeddb")), QStringList{QStringLiteral("team/dense v2")});
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb")),
                                  QStringList{QStringLiteral("team/dense v2")}, 10000);

        // Delete: no question; the model goes to the trash (tst_modelcommands restores it).
        QVERIFY(window.browser()->selectUrl(QStringLiteral("indexeddb://team/dense v2")));
        QAction *remove = window.action(QStringLiteral("remove"));
        QVERIFY(remove->isEnabled());
        changed.clear();
        remove->trigger();
        QVERIFY(changed.wait(10000));
        QVERIFY(storedPaths(options, QStringLiteral("indexeddb")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb")).isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb-trash")),
                                  QStringList{QStringLiteral("team/dense v2 (deleted)")}, 10000);
    }

    void saveToLocalStorageAndOpenFromStore()
    {
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openUrl(path(QStringLiteral("models/dense")));
        QVERIFY(opened.wait(10000));
        QSignalSpy saved(&window, &MainWindow::saved);
        window.saveModelTo(window.openedTarget(), QStringLiteral("localstorage://small"));
        QVERIFY(saved.wait(10000));
        QCOMPARE(storedPaths(window.handlerOptions(), QStringLiteral("localstorage")), QStringList{QStringLiteral("small")});
        QTRY_COMPARE_WITH_TIMEOUT(browserNames(window, QStringLiteral("localstorage")), QStringList{QStringLiteral("small")}, 10000);

        // Opening from the store shows the same weights.
        opened.clear();
        window.openUrl(QStringLiteral("localstorage://small"));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, QStringLiteral("localstorage://small"));
        QCOMPARE(*window.currentModel()->artifacts.weightData.readAll(), uitest::denseWeights());
    }

    void saveToDownloadsNeverOverwrites()
    {
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openUrl(path(QStringLiteral("models/dense")));
        QVERIFY(opened.wait(10000));
        QSignalSpy saved(&window, &MainWindow::saved);
        window.saveModelTo(window.openedTarget(), QStringLiteral("downloads://dense"));
        QVERIFY(saved.wait(10000));
        window.saveModelTo(window.openedTarget(), QStringLiteral("downloads://dense"));
        QVERIFY(saved.wait(10000));
        QStringList files = QDir(path(QStringLiteral("store/downloads"))).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, (QStringList{QStringLiteral("dense (1).json"), QStringLiteral("dense (1).weights.bin"),
                                     QStringLiteral("dense.json"), QStringLiteral("dense.weights.bin")}));
    }

    void errorsAreShownNotThrown()
    {
        MainWindow window;
        QSignalSpy errors(&window, &MainWindow::errorReported);
        window.removeStored(QStringLiteral("indexeddb://does-not-exist"));
        QVERIFY(errors.wait(10000));
        QVERIFY2(errors.front().front().toString().startsWith(QStringLiteral("Could not delete indexeddb://does-not-exist: ")),
                 qPrintable(errors.front().front().toString()));
    }

    // The user test: open A, single-click B in the browser (the focus stays there), then the
    // toolbar's Save To: the dialog names A and A is saved.
    void windowActionsActOnTheOpenedModel()
    {
        MainWindow window;
        const QString a = path(QStringLiteral("pair/a/model.json"));
        const QString b = path(QStringLiteral("pair/b/model.json"));
        QVERIFY(listPairAndOpenA(window));
        QVERIFY(window.browser()->selectUrl(b));
        window.browser()->view()->setFocus();
        QCOMPARE(window.windowTitle(), QStringLiteral("a — TFJS Model Manager"));

        // The menus say which model each action acts on.
        QAction *saveTo = window.action(QStringLiteral("saveTo"));
        QCOMPARE(saveTo->text(), QStringLiteral("&Save “a” To…"));
        QCOMPARE(saveTo->iconText(), QStringLiteral("Save To"));
        QCOMPARE(window.action(QStringLiteral("upload"))->text(), QStringLiteral("U&pload “a”…"));
        QCOMPARE(window.action(QStringLiteral("copyUrl"))->text(), QStringLiteral("&Copy URL of “b”"));
        saveTo->trigger();
        const QString label = QStringLiteral("%1 (layers-model, %2)").arg(a, formatBytes(QFileInfo(a).size() + 32));
        QCOMPARE(saveInStore(window, QStringLiteral("Save “a” To"), label, QStringLiteral("from-window")),
                 qMakePair(QStringLiteral("layers-model"), uitest::denseWeights()));
    }

    // A context-menu action acts on the right-clicked entry, whatever is open.
    void contextMenuActsOnTheRightClickedEntry()
    {
        MainWindow window;
        const QString a = path(QStringLiteral("pair/a/model.json"));
        const QString b = path(QStringLiteral("pair/b/model.json"));
        QVERIFY(listPairAndOpenA(window));

        QVERIFY(uitest::triggerContextAction(window, b, QStringLiteral("entrySaveTo")));
        const QString label = QStringLiteral("%1 (graph-model, %2)").arg(b, formatBytes(QFileInfo(b).size() + 16));
        QCOMPARE(saveInStore(window, QStringLiteral("Save “b” To"), label, QStringLiteral("from-menu")),
                 qMakePair(QStringLiteral("graph-model"), uitest::graphWeights()));
        // The opened model is still A, in the title and the inspector.
        QCOMPARE(window.currentModel()->source.url, a);

        // Import into Store from the menu of the stored copy: it names that copy.
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->selectUrl(QStringLiteral("indexeddb://from-menu")), 10000);
        QVERIFY(uitest::triggerContextAction(window, QStringLiteral("indexeddb://from-menu"), QStringLiteral("entryImport")));
        auto *dialog = waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Save “from-menu” To"));
        QVERIFY2(dialog->modelLabel()->text().startsWith(QStringLiteral("indexeddb://from-menu (graph-model, ")),
                 qPrintable(dialog->modelLabel()->text()));
        QCOMPARE(dialog->destinationUrl(), QStringLiteral("indexeddb://from-menu"));
        dialog->reject();
    }
};

QTEST_MAIN(TestStoreActions)
#include "tst_storeactions.moc"
