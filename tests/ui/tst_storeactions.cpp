#include "jobtracker.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"

#include "handlers.h"
#include "store/modelmanager.h"

#include <QAction>
#include <QApplication>
#include <QDeadlineTimer>
#include <QDropEvent>
#include <QInputDialog>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

// The store's models as core lists them (independent of the browser).
QStringList storedPaths(const HandlerOptions &options, const QString &scheme)
{
    const HandlerRegistry registry = makeDefaultRegistry(options);
    const ModelManager manager(registry, options);
    auto models = manager.listModels(scheme);
    QStringList paths;
    if (models) {
        for (const StoredModel &model : *models)
            paths << model.path;
    }
    return paths;
}

QStringList browserNames(MainWindow &window, const QString &section)
{
    QStringList names;
    if (const auto *entries = window.browser()->model()->entries(section)) {
        for (const BrowserEntry &entry : *entries)
            names << entry.name;
    }
    names.sort();
    return names;
}

template <typename T>
T *waitForChild(QWidget *parent, const QString &name = {})
{
    T *found = nullptr;
    QDeadlineTimer deadline(5000);
    while (!((found = parent->findChild<T *>(name)) && found->isVisible()) && !deadline.hasExpired())
        QTest::qWait(10);
    return found && found->isVisible() ? found : nullptr;
}

} // namespace

class TestStoreActions : public QObject
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
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path(QStringLiteral("models/dense")))});
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &enter);
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &drop);
        auto *dialog = waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
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

        // Delete: Cancel keeps the model, Delete removes it.
        QVERIFY(window.browser()->selectUrl(QStringLiteral("indexeddb://team/dense v2")));
        QAction *remove = window.action(QStringLiteral("remove"));
        QVERIFY(remove->isEnabled());
        remove->trigger();
        auto *box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("indexeddb://team/dense v2")));
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(200);
        QCOMPARE(storedPaths(options, QStringLiteral("indexeddb")), QStringList{QStringLiteral("team/dense v2")});

        remove->trigger();
        box = waitForChild<QMessageBox>(&window, QStringLiteral("confirmBox"));
        QAbstractButton *yes = nullptr;
        for (QAbstractButton *button : box->buttons()) {
            if (button->text().remove(QLatin1Char('&')) == QStringLiteral("Delete"))
                yes = button;
        }
        QVERIFY(yes);
        changed.clear();
        yes->click();
        QVERIFY(changed.wait(10000));
        QVERIFY(storedPaths(options, QStringLiteral("indexeddb")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(browserNames(window, QStringLiteral("indexeddb")).isEmpty(), 10000);
    }

    void saveToLocalStorageAndOpenFromStore()
    {
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openUrl(path(QStringLiteral("models/dense")));
        QVERIFY(opened.wait(10000));
        QSignalSpy saved(&window, &MainWindow::saved);
        window.saveModelTo(window.currentModel(), QStringLiteral("localstorage://small"));
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
        window.saveModelTo(window.currentModel(), QStringLiteral("downloads://dense"));
        QVERIFY(saved.wait(10000));
        window.saveModelTo(window.currentModel(), QStringLiteral("downloads://dense"));
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
};

QTEST_MAIN(TestStoreActions)
#include "tst_storeactions.moc"
