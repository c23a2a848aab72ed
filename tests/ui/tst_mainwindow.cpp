#include "inspectorwidget.h"
#include "jobtracker.h"
#include "jsonpage.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "overviewpage.h"
#include "savetodialog.h"
#include "weightspage.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QPlainTextEdit>
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
        QCOMPARE(dialog->destination(), SaveToDialog::Store);
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
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
