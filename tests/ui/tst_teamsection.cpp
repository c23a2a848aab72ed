// The team store (team://) in the app, against a real PostgreSQL server (a throwaway cluster,
// tests/core/pgcluster.h): its browser section lists who saved what, Save To saves into it,
// and Connect to Team Store… connects and disconnects (the password is never saved).
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "browserfiltermodel.h"
#include "savetodialog.h"
#include "teamstoredialog.h"

#include "../core/pgcluster.h"
#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "base/job.h"
#include "file/filehandler.h"
#include "team/teamstore.h"

#include <QAction>
#include <QHostInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;

class TestTeamSection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    tfjs::test::PgCluster m_cluster;
    QString m_uri;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    static bool listed(const QSignalSpy &spy, const QString &key)
    {
        return std::any_of(spy.cbegin(), spy.cend(), [&key](const QList<QVariant> &args) {
            return args.front().toString() == key && args.at(1).toBool();
        });
    }
    static QStringList teamModels(const QString &uri)
    {
        QStringList out;
        auto store = TeamStore::open(uri, TeamStore::Access::Read);
        if (!store)
            return {store.error().message};
        for (const StoredModel &model : (*store)->listModels().value_or(std::vector<StoredModel>{}))
            out << model.path;
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        m_uri = m_cluster.createDatabase(QStringLiteral("ui"));
        QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
        uitest::writeDenseModel(path(QStringLiteral("models/dense")));
        JobContext ctx;
        auto model = FileHandler(path(QStringLiteral("models/dense"))).load(ctx);
        QVERIFY(model);
        auto store = TeamStore::open(m_uri, TeamStore::Access::Write);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QVERIFY((*store)->saveModel(QStringLiteral("shared/dense"), *model, &ctx, Existing::Refuse));
        QSettings().setValue(QStringLiteral("team/uri"), m_uri);
    }

    void sectionShowsWhoSavedWhat()
    {
        MainWindow window;
        QSignalSpy finished(window.browser(), &ModelBrowserPanel::listingFinished);
        QVERIFY(QTest::qWaitFor([&] { return listed(finished, QStringLiteral("team")); }, 15000));
        const ModelBrowserModel &model = *window.browser()->model();
        QCOMPARE(model.data(model.sectionIndex(QStringLiteral("team"))).toString(), QStringLiteral("Team store"));
        QCOMPARE(uitest::browserNames(window, QStringLiteral("team")), QStringList{QStringLiteral("shared/dense")});
        const QModelIndex row = uitest::rowOfUrl(&model, QStringLiteral("team://shared/dense"));
        QVERIFY(row.isValid());
        const QString tip = model.data(row, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("Saved by %1@%2").arg(tfjs::test::PgCluster::superuser(),
                                                                  QHostInfo::localHostName())),
                 qPrintable(tip));
        // The team store is a destination of Save To.
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::openAndWait(window, path(QStringLiteral("models/dense/model.json"))));
        QVERIFY(uitest::triggerContextAction(window, QStringLiteral("team://shared/dense"), QStringLiteral("entrySaveTo")));
        auto *dialog = uitest::waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
        QVERIFY(dialog->destinations().contains(QStringLiteral("team")));
        dialog->setDestination(QStringLiteral("team"));
        dialog->setName(QStringLiteral("from-app"));
        QSignalSpy saved(&window, &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(15000));
        QCOMPARE(saved.front().front().toString(), QStringLiteral("team://from-app"));
        QCOMPARE(teamModels(m_uri), (QStringList{QStringLiteral("from-app"), QStringLiteral("shared/dense")}));
        QTRY_COMPARE_WITH_TIMEOUT(uitest::browserNames(window, QStringLiteral("team")),
                                  (QStringList{QStringLiteral("from-app"), QStringLiteral("shared/dense")}), 15000);
    }

    // Dragged from the team store onto the model store and back: copies through Save To.
    void dragBetweenTheStores()
    {
        MainWindow window;
        QSignalSpy finished(window.browser(), &ModelBrowserPanel::listingFinished);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(QTest::qWaitFor([&] { return listed(finished, QStringLiteral("team")); }, 15000));
        ModelBrowserView *view = window.browser()->view();
        const auto sectionRow = [&window](const QString &key) {
            return window.browser()->filterModel()->mapFromSource(window.browser()->model()->sectionIndex(key));
        };
        QCOMPARE(uitest::dragOnto(view, QStringLiteral("team://shared/dense"), sectionRow(QStringLiteral("indexeddb"))),
                 Qt::CopyAction);
        auto *dialog = uitest::waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->destination(), QStringLiteral("indexeddb"));
        dialog->setName(QStringLiteral("from-team"));
        QSignalSpy saved(&window, &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(15000));
        QCOMPARE(uitest::formatAndWeights(window.handlerOptions(), QStringLiteral("indexeddb://from-team")).second,
                 uitest::denseWeights());

        QTRY_VERIFY_WITH_TIMEOUT(uitest::rowOfUrl(view->model(), QStringLiteral("indexeddb://from-team")).isValid(), 15000);
        QCOMPARE(uitest::dragOnto(view, QStringLiteral("indexeddb://from-team"), sectionRow(QStringLiteral("team"))),
                 Qt::CopyAction);
        dialog = uitest::waitForChild<SaveToDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->destination(), QStringLiteral("team"));
        dialog->setName(QStringLiteral("round-trip"));
        saved.clear();
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(15000));
        QCOMPARE(saved.front().front().toString(), QStringLiteral("team://round-trip"));
        QCOMPARE(uitest::formatAndWeights(window.handlerOptions(), QStringLiteral("team://round-trip")).second,
                 uitest::denseWeights());
    }

    void connectDialogConnectsAndDisconnects()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *action = window.findChild<QAction *>(QStringLiteral("teamStore"));
        QVERIFY(action);

        action->trigger();
        auto *dialog = uitest::waitForChild<TeamStoreDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->uri(), m_uri);
        dialog->findChild<QLineEdit *>(QStringLiteral("teamUri"))->clear();
        uitest::buttonWithText(dialog, QStringLiteral("Disconnect"))->click();
        QTRY_VERIFY(!window.browser()->model()->sectionIndex(QStringLiteral("team")).isValid());
        QCOMPARE(QSettings().value(QStringLiteral("team/uri")).toString(), QString());

        action->trigger();
        dialog = uitest::waitForChild<TeamStoreDialog>(&window);
        QVERIFY(dialog);
        dialog->findChild<QLineEdit *>(QStringLiteral("teamUri"))->setText(m_uri);
        dialog->findChild<QLineEdit *>(QStringLiteral("teamPassword"))->setText(QStringLiteral("typed-secret"));
        QSignalSpy finished(window.browser(), &ModelBrowserPanel::listingFinished);
        uitest::buttonWithText(dialog, QStringLiteral("Connect"))->click();
        QVERIFY(QTest::qWaitFor([&] { return listed(finished, QStringLiteral("team")); }, 15000));
        QCOMPARE(window.handlerOptions().teamPassword, QStringLiteral("typed-secret"));
        QCOMPARE(QSettings().value(QStringLiteral("team/uri")).toString(), m_uri);
        // The password is kept for the session only: nowhere in the settings file.
        QSettings().sync();
        QFile settings(QSettings().fileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(!settings.readAll().contains("typed-secret"));
    }
};

QTEST_MAIN(TestTeamSection)
#include "tst_teamsection.moc"
