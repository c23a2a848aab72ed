#include "browserfiltermodel.h"
#include "inspectorwidget.h"
#include "jobtracker.h"
#include "jsonpage.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "nameelidingdelegate.h"
#include "overviewpage.h"
#include "savetodialog.h"
#include "weightspage.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include <QDockWidget>
#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;
using uitest::simulateDrop;

namespace {

QList<QUrl> localUrls(const QStringList &paths)
{
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls << QUrl::fromLocalFile(path);
    return urls;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        uitest::writeDenseModel(path(QStringLiteral("folder/dense")));
        // A JSON and its shard in different folders: only a file set can load them.
        uitest::writeFile(path(QStringLiteral("set/json/net.json")), uitest::denseModelJson(QStringLiteral("net.bin")));
        uitest::writeFile(path(QStringLiteral("set/bins/net.bin")), uitest::denseWeights(true));
        uitest::writeFile(path(QStringLiteral("set/bins/extra.bin")), "xx");
    }

    void dropOfFilesOpensTheModel()
    {
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QVERIFY(simulateDrop(&window, localUrls({path(QStringLiteral("set/bins/net.bin")),
                                                 path(QStringLiteral("set/json/net.json"))})));
        QVERIFY(opened.wait(10000));
        const OpenedModelPtr model = window.currentModel();
        QVERIFY(model);
        QCOMPARE(model->source.files, (QStringList{path(QStringLiteral("set/json/net.json")),
                                                   path(QStringLiteral("set/bins/net.bin"))}));
        QCOMPARE(model->artifacts.weightData.size(), 32);
        WeightsPage *weights = window.inspector()->weightsPage();
        QCOMPARE(weights->tableModel()->rowCount(), 2);
        QCOMPARE(weights->tableModel()->index(0, 0).data().toString(), QStringLiteral("dense/kernel"));
        QVERIFY(window.inspector()->overviewPage()->toPlainText().contains(QStringLiteral("layers-model")));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("net — ")));
        // The JSON tab shows the model JSON, pretty.
        JsonPage *json = window.inspector()->jsonPage();
        QTRY_VERIFY_WITH_TIMEOUT(json->editor()->toPlainText().contains(QStringLiteral("\"weightsManifest\": [")), 10000);
    }

    void dropOfFolderOpensTheModel()
    {
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QVERIFY(simulateDrop(&window, localUrls({path(QStringLiteral("folder/dense"))})));
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, path(QStringLiteral("folder/dense")));
        QCOMPARE(window.currentModel()->overview.format, QStringLiteral("layers-model"));
        // It is listed under Recent, and remembered.
        const auto recent = window.browser()->recent();
        QVERIFY(!recent.empty());
        QCOMPARE(recent.front().url, path(QStringLiteral("folder/dense")));
        QCOMPARE(recent.front().name, QStringLiteral("dense"));
        QCOMPARE(recent.front().size, QFileInfo(path(QStringLiteral("folder/dense/model.json"))).size() + 32);
    }

    void dropReportsShardProblems_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing shard")
            << QStringList{QStringLiteral("set/json/net.json"), QStringLiteral("set/bins/extra.bin")}
            << QStringLiteral("Weight file with basename 'net.bin' is not provided.");
        QTest::newRow("extra shard")
            << QStringList{QStringLiteral("set/json/net.json"), QStringLiteral("set/bins/net.bin"), QStringLiteral("set/bins/extra.bin")}
            << QStringLiteral("Mismatch in the number of files in weights manifest (1) and the number of weight files "
                              "provided (2): not in the manifest: extra.bin.");
        QTest::newRow("no json")
            << QStringList{QStringLiteral("set/bins/net.bin")}
            << QStringLiteral("No model JSON among the dropped files (net.bin): drop the model JSON together with its weight files.");
    }

    void dropReportsShardProblems()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, message);
        MainWindow window;
        window.show();
        QSignalSpy errors(&window, &MainWindow::errorReported);
        QStringList paths;
        for (const QString &file : files)
            paths << path(file);
        QVERIFY(simulateDrop(&window, localUrls(paths)));
        QVERIFY(errors.size() > 0 || errors.wait(10000));
        QVERIFY2(errors.front().front().toString().contains(message), qPrintable(errors.front().front().toString()));
        QVERIFY(!window.currentModel());
        // The message box shows the same explanation.
        QTRY_VERIFY(window.findChild<QWidget *>(QStringLiteral("errorBox")));
    }

    void dropOnTheStoreAsksWhereToImport()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ModelBrowserView *view = window.browser()->view();
        const QModelIndex store = view->model()->index(0, 0);
        QCOMPARE(store.data(ModelBrowserModel::SectionKeyRole).toString(), QStringLiteral("indexeddb"));
        const QPoint pos = view->visualRect(store).center();
        QCOMPARE(view->importSchemeAt(pos), QStringLiteral("indexeddb"));
        QVERIFY(simulateDrop(view->viewport(), localUrls({path(QStringLiteral("folder/dense"))}), pos));
        auto *dialog = window.findChild<SaveToDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->destination(), QStringLiteral("indexeddb"));
        QCOMPARE(dialog->destinationUrl(), QStringLiteral("indexeddb://dense"));
        dialog->reject();
        // Elsewhere in the browser, a drop opens.
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        const QModelIndex recent = view->model()->index(view->model()->rowCount() - 1, 0);
        QVERIFY(simulateDrop(view->viewport(), localUrls({path(QStringLiteral("folder/dense"))}),
                             view->visualRect(recent).center()));
        QVERIFY(opened.wait(10000));
    }

    void argumentsOpenAtStart()
    {
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openArguments({path(QStringLiteral("folder/dense/model.json"))});
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, path(QStringLiteral("folder/dense/model.json")));
    }

    void foldersAreScannedAndRemembered()
    {
        {
            MainWindow window;
            QSignalSpy listed(window.browser(), &ModelBrowserPanel::listingFinished);
            window.addFolder(path(QStringLiteral("folder")));
            QTRY_VERIFY_WITH_TIMEOUT(window.browser()->model()->entries(path(QStringLiteral("folder")))
                                         && window.browser()->model()->entries(path(QStringLiteral("folder")))->size() == 1,
                                     10000);
            QCOMPARE(window.browser()->model()->entries(path(QStringLiteral("folder")))->front().name, QStringLiteral("dense"));
            window.close();
        }
        MainWindow again; // settings bring the folder back
        QCOMPARE(again.browser()->folders(), QStringList{path(QStringLiteral("folder"))});
        QTRY_VERIFY_WITH_TIMEOUT(again.browser()->model()->entries(path(QStringLiteral("folder")))->size() == 1
                                     && again.jobs()->running().isEmpty(),
                                 10000);
        // A model added later appears without a refresh (file watcher).
        uitest::writeDenseModel(path(QStringLiteral("folder/later")));
        QTRY_VERIFY_WITH_TIMEOUT(again.browser()->model()->entries(path(QStringLiteral("folder")))->size() == 2, 10000);
    }

    void folderOfModelsArgumentIsAddedToTheBrowser()
    {
        uitest::writeDenseModel(path(QStringLiteral("zoo/a")));
        uitest::writeDenseModel(path(QStringLiteral("zoo/deep/b")));
        MainWindow window;
        QSignalSpy errors(&window, &MainWindow::errorReported);
        window.openArguments({path(QStringLiteral("zoo"))});
        QVERIFY(window.browser()->folders().contains(path(QStringLiteral("zoo"))));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->model()->entries(path(QStringLiteral("zoo")))
                                     && window.browser()->model()->entries(path(QStringLiteral("zoo")))->size() == 2
                                     && window.jobs()->running().isEmpty(),
                                 10000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.front().front().toString()));
        QVERIFY(!window.currentModel());

        // A folder that holds model.json opens that model (and is not added).
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openArguments({QStringLiteral("file://") + path(QStringLiteral("zoo/a"))});
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.currentModel()->source.url, path(QStringLiteral("zoo/a")));
        QVERIFY(!window.browser()->folders().contains(path(QStringLiteral("zoo/a"))));
        window.browser()->removeFolder(path(QStringLiteral("zoo")));
    }

    void folderOfModelsDroppedOnTheStoreIsRefused()
    {
        // Importing needs one model: a folder of models is refused, naming it, and nothing is asked.
        uitest::writeDenseModel(path(QStringLiteral("zoo2/a")));
        MainWindow window;
        QSignalSpy errors(&window, &MainWindow::errorReported);
        window.importDropped(localUrls({ path(QStringLiteral("zoo2")) }), QStringLiteral("indexeddb"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.front().front().toString(),
            QStringLiteral("Cannot import what was dropped: %1 holds no model.json: drop a model's folder or JSON "
                           "to import it.")
                .arg(path(QStringLiteral("zoo2"))));
        QVERIFY(!window.findChild<SaveToDialog *>());
    }

    void cancelJobIsEnabledOnlyWhileAJobRuns()
    {
        MainWindow window;
        QAction *cancel = window.action(QStringLiteral("cancelJob"));
        QVERIFY(cancel);
        QTRY_VERIFY_WITH_TIMEOUT(window.jobs()->running().isEmpty(), 10000);
        QVERIFY(!cancel->isEnabled());
        window.jobs()->start(QStringLiteral("Endless"), [](JobContext &ctx) -> Result<void> {
            while (!ctx.isCancelled())
                QThread::msleep(2);
            return fail(cancelledError());
        });
        QVERIFY(cancel->isEnabled());
        cancel->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.jobs()->running().isEmpty(), 10000);
        QVERIFY(!cancel->isEnabled());
    }

    // At a narrow browser dock the trash sections' titles do not fit: they lose their middle,
    // so that both the store and "trash" stay readable; the tooltip has it all.
    void trashTitlesStayReadableInANarrowDock()
    {
        MainWindow window;
        window.resizeDocks({window.findChild<QDockWidget *>(QStringLiteral("browserDock"))}, {420}, Qt::Horizontal);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ModelBrowserView *view = window.browser()->view();
        auto *delegate = qobject_cast<NameElidingDelegate *>(
            view->itemDelegateForColumn(ModelBrowserModel::Name));
        QVERIFY(delegate);
        const QModelIndex section = window.browser()->filterModel()->mapFromSource(
            window.browser()->model()->sectionIndex(QStringLiteral("localstorage-trash")));
        // The tooltip says "Listing…" below the title until the store has been read.
        QTRY_COMPARE_WITH_TIMEOUT(section.data(Qt::ToolTipRole).toString(),
            QStringLiteral("Local storage trash"), 10000);
        QStyleOptionViewItem option;
        option.initFrom(view->viewport());
        option.rect = view->visualRect(section);
        const QString shown = delegate->shownText(option, section);
        QVERIFY2(shown.startsWith(QStringLiteral("Local s"))
                && shown.endsWith(QStringLiteral(" trash")) && shown.contains(QStringLiteral("…")),
            qPrintable(shown));
    }

    void aboutShowsTheVersions()
    {
        const QString version = QCoreApplication::applicationVersion();
        QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7 (git 0123456789ab)"));
        MainWindow window;
        window.action(QStringLiteral("about"))->trigger();
        auto *box = window.findChild<QMessageBox *>(QStringLiteral("aboutBox"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("9.8.7 (git 0123456789ab)")), qPrintable(box->text()));
        QVERIFY2(box->text().contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())), qPrintable(box->text()));
        box->close();
        QCoreApplication::setApplicationVersion(version);
    }

    void bothBinariesReportOneVersion()
    {
        auto versionOf = [](const QString &binary) {
            QProcess process;
            process.start(QStringLiteral(TFJS_BIN_DIR "/") + binary, {QStringLiteral("--version")});
            if (!process.waitForFinished(60000) || process.exitCode() != 0)
                return QString();
            const QString out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
            return out.mid(out.indexOf(QLatin1Char(' ')) + 1); // after the program's name
        };
        const QString cli = versionOf(QStringLiteral("tfjs-model"));
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+( \\(git [0-9a-f]{12,}(-dirty)?\\))?$")).match(cli).hasMatch(),
                 qPrintable(cli));
        QCOMPARE(versionOf(QStringLiteral("tfjs-manager")), cli);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
