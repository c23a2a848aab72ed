// A browser scheme (Capability::Find) registered by the test alone with registerBrowser() and
// a small ProfileReader over model folders on disk: the browser shows its section inside the
// Browsers section with the models found by profile and origin, opens them, imports and saves
// them through the registry (from the context menu or dragged onto the store or a folder, as a
// copy), offers no Rename or Move to Trash, and shows a reader's error in the section. Profiles
// are looked for below the window's home folder (the settings'), never the real $HOME.
#include "icons.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "base/job.h"
#include "browserfiltermodel.h"
#include "browser/browserhandlers.h"
#include "browser/browserurl.h"
#include "file/filehandler.h"

#include <QLineEdit>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <mutex>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

// Firefox's profile discovery finds the test's profiles.ini below the family's homeDir.
const QString kScheme = QStringLiteral("firefox");
const QString kOrigin = QStringLiteral("http://127.0.0.1:8765");
const QString kOther = QStringLiteral("https://example.test");

// What the test's profiles hold: each model's place in its profile and the folder its files
// are in. Shared by the readers the registry makes on any thread.
struct Profiles
{
    std::mutex mutex;
    std::vector<std::pair<BrowserModelRef, QString>> models;
    QString failure; // non-empty: listing fails with this message
    int loads = 0;   // loadModel calls
};

class FolderReader final : public ProfileReader
{
public:
    FolderReader(std::shared_ptr<Profiles> profiles, QString profile)
        : m_profiles(std::move(profiles)), m_profile(std::move(profile))
    {
    }

    Result<std::vector<BrowserModel>> listModels(JobContext &ctx) override
    {
        const std::lock_guard lock(m_profiles->mutex);
        if (!m_profiles->failure.isEmpty()) {
            Error error{ErrorCode::Store, m_profiles->failure};
            error.path = m_profile;
            return fail(error);
        }
        std::vector<BrowserModel> out;
        for (const auto &[ref, folder] : m_profiles->models) {
            if (ref.profile != m_profile)
                continue;
            auto artifacts = FileHandler(folder).load(ctx);
            if (!artifacts)
                return fail(artifacts.error());
            out.push_back({ref, artifactsInfo(*artifacts)});
        }
        return out;
    }

    Result<ModelArtifacts> loadModel(const BrowserModelRef &ref, JobContext &ctx,
                                     const LoadOptions &options) override
    {
        QString folder;
        {
            const std::lock_guard lock(m_profiles->mutex);
            ++m_profiles->loads;
            for (const auto &[known, where] : m_profiles->models) {
                if (known == ref)
                    folder = where;
            }
        }
        if (folder.isEmpty())
            return fail(ErrorCode::NotFound, QStringLiteral("No model '%1' in %2.").arg(ref.path, m_profile));
        return FileHandler(folder).load(ctx, options);
    }

private:
    std::shared_ptr<Profiles> m_profiles;
    QString m_profile;
};

// Every scheme of the app, plus the test's browser with its profiles below the window's home.
MainWindow::RegistryFactory withBrowser(std::shared_ptr<Profiles> profiles)
{
    return [profiles](const HandlerOptions &options) {
        HandlerRegistry registry = makeDefaultRegistry(options);
        BrowserFamily family;
        family.info.scheme = kScheme;
        family.info.displayName = QStringLiteral("Test browser");
        family.info.rank = 7; // after the app's own browsers (firefox 5, chromium 6)
        family.reader = [profiles](const QString &profile) {
            return std::make_unique<FolderReader>(profiles, profile);
        };
        family.profilesIn = [](const QString &folder) {
            return std::vector<BrowserProfile>{{kScheme, QStringLiteral("Test"), QStringLiteral("p"), folder}};
        };
        family.homeDir = options.homeDir;
        registerBrowser(registry, std::move(family));
        return registry;
    };
}

// The view's row showing `url`.
QModelIndex rowOf(ModelBrowserView *view, const QString &url)
{
    return uitest::rowOfUrl(view->model(), url);
}

} // namespace

class TestBrowserSection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_home;    // holds .mozilla/firefox/profiles.ini
    QString m_profile; // the one profile it names
    std::shared_ptr<Profiles> m_profiles = std::make_shared<Profiles>();
    HandlerOptions m_options;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString modelUrl(BrowserStorage storage, const QString &name, const QString &origin = kOrigin) const
    {
        return ModelUrl::make(kScheme, BrowserUrl::modelPath({m_profile, origin, storage, name}));
    }

    // A window whose browser section has finished its first listing (the tests then check
    // what it lists).
    std::unique_ptr<MainWindow> listedWindow(bool shown = false)
    {
        auto window = std::make_unique<MainWindow>(withBrowser(m_profiles));
        QSignalSpy listed(window->browser(), &ModelBrowserPanel::listingFinished);
        if (shown) {
            window->show();
            if (!QTest::qWaitForWindowExposed(window.get()))
                QTest::qFail("the window was not shown", __FILE__, __LINE__);
        }
        if (!QTest::qWaitFor([&listed] { return listedBrowser(listed); }, 10000))
            QTest::qFail("the browser section was not listed", __FILE__, __LINE__);
        return window;
    }

    int loads() const
    {
        const std::lock_guard lock(m_profiles->mutex);
        return m_profiles->loads;
    }

    // Triggers the context menu action `action` on the row of `url`, saves to the dialog's
    // destination (in `folder`, if given) and returns the URL saved to; empty on failure.
    static QString saveThrough(MainWindow &window, const QString &url, const QString &action,
                               const QString &folder = {})
    {
        window.show();
        if (!QTest::qWaitForWindowExposed(&window) || !uitest::triggerContextAction(window, url, action, kScheme))
            return {};
        auto *dialog = uitest::waitForChild<SaveToDialog>(&window);
        if (!dialog)
            return {};
        if (!folder.isEmpty())
            dialog->setFolder(folder);
        QSignalSpy saved(&window, &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        return saved.wait(10000) ? saved.front().front().toString() : QString();
    }

    static bool listedBrowser(const QSignalSpy &listed)
    {
        return std::any_of(listed.cbegin(), listed.cend(), [](const QList<QVariant> &args) {
            return args.front().toString() == kScheme;
        });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The real $HOME stands in for the user's: a Chromium profile the app must not find.
        const QString realHome = path(QStringLiteral("real-home"));
        QVERIFY(uitest::writeFile(realHome + QStringLiteral("/.config/chromium/Default/Preferences"), "{}"));
        qputenv("HOME", realHome.toLocal8Bit());
        uitest::isolateSettings(path(QStringLiteral("store")));
        m_options.storeDir = path(QStringLiteral("store"));
        m_options.downloadsDir = path(QStringLiteral("store/downloads"));
        m_home = uitest::browsersHome(m_options.storeDir);
        m_profile = QDir::cleanPath(m_home + QStringLiteral("/.mozilla/firefox/abc.default"));
        QVERIFY(QDir().mkpath(m_profile));
        // A second profile, without models: not shown.
        QVERIFY(QDir().mkpath(m_home + QStringLiteral("/.mozilla/firefox/xyz.work")));
        QVERIFY(uitest::writeFile(m_home + QStringLiteral("/.mozilla/firefox/profiles.ini"),
                                  "[Profile0]\nName=default\nIsRelative=1\nPath=abc.default\n"
                                  "[Profile1]\nName=work\nIsRelative=1\nPath=xyz.work\n"));
        for (const char *name : {"dense", "small", "other"})
            uitest::writeDenseModel(path(QStringLiteral("models/") + QLatin1String(name)));
        m_profiles->models = {
            {{m_profile, kOrigin, BrowserStorage::IndexedDb, QStringLiteral("dense")},
             path(QStringLiteral("models/dense"))},
            {{m_profile, kOrigin, BrowserStorage::LocalStorage, QStringLiteral("small")},
             path(QStringLiteral("models/small"))},
            {{m_profile, kOther, BrowserStorage::IndexedDb, QStringLiteral("other")},
             path(QStringLiteral("models/other"))},
        };
    }

    void sectionListsTheModelsFound()
    {
        {
            const std::lock_guard lock(m_profiles->mutex);
            m_profiles->loads = 0;
        }
        const auto window = listedWindow();
        QCOMPARE(window->handlerOptions().homeDir, m_home);
        const ModelBrowserModel &model = *window->browser()->model();
        // After the stores, before the recent models: Browsers, holding each browser.
        const QModelIndex browsers = model.sectionIndex(QStringLiteral("browsers"));
        QCOMPARE(browsers.data().toString(), QStringLiteral("Browsers"));
        QCOMPARE(browsers.row(), model.sectionIndex(QStringLiteral("recent")).row() - 1);
        const QModelIndex section = model.sectionIndex(kScheme);
        QCOMPARE(section.parent(), browsers);
        QCOMPARE(section.data().toString(), QStringLiteral("Test browser"));
        QCOMPARE(SectionKind(section.data(ModelBrowserModel::SectionKindRole).toInt()), SectionKind::Browser);
        QCOMPARE(uitest::browserNames(*window, kScheme),
                 (QStringList{QStringLiteral("dense"), QStringLiteral("other"), QStringLiteral("small")}));
        // By profile (the one without models is not shown), then origin.
        QCOMPARE(model.rowCount(section), 1);
        const QModelIndex profile = model.index(0, 0, section);
        QCOMPARE(profile.data().toString(), QStringLiteral("abc.default"));
        QCOMPARE(profile.data(Qt::ToolTipRole).toString(), QStringLiteral("Profile: ") + m_profile);
        QCOMPARE(model.rowCount(profile), 2);
        const QModelIndex origin = model.index(0, 0, profile);
        QCOMPARE(origin.data().toString(), kOrigin);
        QCOMPARE(model.index(1, 0, profile).data().toString(), kOther);
        const QModelIndex dense = model.index(0, ModelBrowserModel::Name, origin);
        QCOMPARE(dense.data(ModelBrowserModel::UrlRole).toString(), modelUrl(BrowserStorage::IndexedDb, QStringLiteral("dense")));
        QCOMPARE(dense.data().toString(), QStringLiteral("dense  (IndexedDB)"));
        QCOMPARE(dense.data(Qt::ToolTipRole).toString().section(QLatin1Char('\n'), 0, 3),
                 QStringLiteral("dense\nProfile: %1\nOrigin: http://127.0.0.1:8765\nStorage: indexeddb").arg(m_profile));
        QCOMPARE(model.index(1, ModelBrowserModel::Name, origin).data().toString(), QStringLiteral("small  (localStorage)"));
        QCOMPARE(model.index(0, ModelBrowserModel::Size, origin).data(ModelBrowserModel::RawValueRole).toLongLong(),
                 qint64(model.entries(kScheme)->front().size));
        QVERIFY(model.entries(kScheme)->front().size > qint64(uitest::denseWeights().size()));
        // Listing looks up each model's format (a load without weights).
        QCOMPARE(loads(), int(model.entries(kScheme)->size()));
        QCOMPARE(model.index(0, ModelBrowserModel::Format, origin).data().toString(),
                 QStringLiteral("layers-model"));
        // The app's Chromium finds no profile below the window's home (the one in $HOME is
        // not looked at): one disabled line, with its own icon.
        const QModelIndex chromium = model.sectionIndex(QStringLiteral("chromium"));
        QCOMPARE(chromium.parent(), browsers);
        QCOMPARE(chromium.siblingAtColumn(ModelBrowserModel::Format).data().toString(), QStringLiteral("No profiles found"));
        QCOMPARE(model.rowCount(chromium), 0);
        QVERIFY(!(model.flags(chromium) & Qt::ItemIsEnabled));
        const auto image = [](const QVariant &icon) { return icon.value<QIcon>().pixmap(16).toImage(); };
        QCOMPARE(image(chromium.data(Qt::DecorationRole)), schemeIcon(QStringLiteral("chromium")).pixmap(16).toImage());
        QVERIFY(image(chromium.data(Qt::DecorationRole)) != icon(IconId::Store).pixmap(16).toImage());
        QCOMPARE(image(browsers.data(Qt::DecorationRole)), icon(IconId::Browsers).pixmap(16).toImage());
        QCOMPARE(image(profile.data(Qt::DecorationRole)), icon(IconId::Profile).pixmap(16).toImage());
        QCOMPARE(image(origin.data(Qt::DecorationRole)), icon(IconId::Origin).pixmap(16).toImage());
        // The filter finds models by origin too, and keeps their profile and origin shown.
        BrowserFilterModel *filter = window->browser()->filterModel();
        window->browser()->filterEdit()->setText(QStringLiteral("127.0.0.1"));
        const QModelIndex shownProfile = filter->index(0, 0, filter->mapFromSource(section));
        QCOMPARE(filter->rowCount(filter->mapFromSource(section)), 1);
        QCOMPARE(filter->rowCount(shownProfile), 1);
        QCOMPARE(filter->rowCount(filter->index(0, 0, shownProfile)), 2);
        window->browser()->filterEdit()->setText(QStringLiteral("other"));
        QCOMPARE(filter->index(0, 0, filter->index(0, 0, shownProfile)).data().toString(), QStringLiteral("other  (IndexedDB)"));
        window->browser()->filterEdit()->setText(QStringLiteral("no such model"));
        QCOMPARE(filter->rowCount(filter->mapFromSource(section)), 0);
        QVERIFY(filter->mapFromSource(section).isValid()); // the browser's line stays
    }

    void enterOpensAModelAndItStaysOutOfRecent()
    {
        const auto window = listedWindow(true);
        const QString url = modelUrl(BrowserStorage::LocalStorage, QStringLiteral("small"));
        QVERIFY(window->browser()->selectUrl(url));
        window->browser()->view()->setFocus();
        QSignalSpy opened(window.get(), &MainWindow::modelOpened);
        QTest::keyClick(window->browser()->view(), Qt::Key_Return);
        QVERIFY(opened.wait(10000));
        QCOMPARE(opened.front().front().toString(), url);
        const OpenedModelPtr model = window->currentModel();
        QVERIFY(model);
        QCOMPARE(model->overview.format, QStringLiteral("layers-model"));
        QCOMPARE(model->artifacts.weightData.readAll().value_or(QByteArray()), uitest::denseWeights());
        // It is listed in its own section, as a stored model is.
        QCOMPARE(uitest::browserNames(*window, QStringLiteral("recent")), QStringList());
    }

    void importIntoStoreCopiesIt()
    {
        const auto window = listedWindow();
        // The store name offered is the model's path in its profile.
        QCOMPARE(saveThrough(*window, modelUrl(BrowserStorage::IndexedDb, QStringLiteral("dense")),
                             QStringLiteral("entryImport")),
                 QStringLiteral("indexeddb://dense"));
        const auto stored = uitest::formatAndWeights(m_options, QStringLiteral("indexeddb://dense"));
        QCOMPARE(stored.first, QStringLiteral("layers-model"));
        QCOMPARE(stored.second, uitest::denseWeights());
        QTRY_VERIFY_WITH_TIMEOUT(uitest::browserNames(*window, QStringLiteral("indexeddb")).contains(QStringLiteral("dense")), 10000);
    }

    void saveToWritesAFolder()
    {
        const auto window = listedWindow();
        const QString folder = path(QStringLiteral("saved/small"));
        QCOMPARE(saveThrough(*window, modelUrl(BrowserStorage::LocalStorage, QStringLiteral("small")),
                             QStringLiteral("entrySaveTo"), folder),
                 ModelUrl::fromLocalPath(folder));
        const auto written = uitest::formatAndWeights(m_options, folder);
        QCOMPARE(written.first, QStringLiteral("layers-model"));
        QCOMPARE(written.second, uitest::denseWeights());
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/model.json")));
    }

    void offersNoRenameOrRemove()
    {
        const auto window = listedWindow(true);
        const QString url = modelUrl(BrowserStorage::IndexedDb, QStringLiteral("dense"));
        QVERIFY(window->browser()->selectUrl(url));
        QVERIFY(window->action(QStringLiteral("entryOpen"))->isEnabled());
        QVERIFY(!window->action(QStringLiteral("rename"))->isEnabled());
        QVERIFY(!window->action(QStringLiteral("remove"))->isEnabled());
        QVERIFY(!window->action(QStringLiteral("deletePermanently"))->isEnabled());
        // The context menu lists neither.
        ModelBrowserView *view = window->browser()->view();
        const QModelIndex row = rowOf(view, url);
        QVERIFY(row.isValid());
        const QPoint pos = view->visualRect(row).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view->viewport()->mapToGlobal(pos));
        QApplication::sendEvent(view->viewport(), &event);
        auto *menu = uitest::waitForChild<QMenu>(window->browser(), QStringLiteral("browserContextMenu"));
        QVERIFY(menu);
        QStringList names;
        for (QAction *action : menu->actions())
            names << action->objectName();
        menu->close();
        QVERIFY(names.contains(QStringLiteral("entryImport")));
        QVERIFY(names.contains(QStringLiteral("entrySaveTo")));
        QVERIFY(!names.contains(QStringLiteral("rename")));
        QVERIFY(!names.contains(QStringLiteral("remove")));
        // Delete does nothing to it: the model is still listed after a refresh.
        QTest::keyClick(view, Qt::Key_Delete);
        QSignalSpy listed(window->browser(), &ModelBrowserPanel::listingFinished);
        window->browser()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(listedBrowser(listed), 10000);
        QCOMPARE(uitest::browserNames(*window, kScheme), (QStringList{QStringLiteral("dense"), QStringLiteral("other"), QStringLiteral("small")}));
    }

    // A refresh rebuilds a browser's groups; the selected model stays selected.
    void refreshKeepsTheSelectedModel()
    {
        const auto window = listedWindow(true);
        const QString url = modelUrl(BrowserStorage::IndexedDb, QStringLiteral("other"), kOther);
        QVERIFY(window->browser()->selectUrl(url));
        QSignalSpy listed(window->browser(), &ModelBrowserPanel::listingFinished);
        window->browser()->refreshBrowsers();
        QTRY_VERIFY_WITH_TIMEOUT(listedBrowser(listed), 10000);
        QVERIFY(window->browser()->currentEntry());
        QCOMPARE(window->browser()->currentEntry()->url, url);
        QVERIFY(window->action(QStringLiteral("entrySaveTo"))->isEnabled());
    }

    void readerErrorShowsInTheSection()
    {
        const auto window = listedWindow();
        const ModelBrowserModel &model = *window->browser()->model();
        const QModelIndex section = model.sectionIndex(kScheme);
        QCOMPARE(section.siblingAtColumn(ModelBrowserModel::Format).data().toString(), QString());
        {
            const std::lock_guard lock(m_profiles->mutex);
            m_profiles->failure = QStringLiteral("Cannot read '%1/storage.sqlite': not a database.").arg(m_profile);
        }
        QSignalSpy listed(window->browser(), &ModelBrowserPanel::listingFinished);
        window->browser()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(listed.contains(QList<QVariant>{kScheme, false}), 10000);
        QCOMPARE(uitest::browserNames(*window, kScheme), QStringList());
        const QString message = QStringLiteral("Cannot read '%1/storage.sqlite': not a database.").arg(m_profile);
        QCOMPARE(section.siblingAtColumn(ModelBrowserModel::Format).data().toString(), message);
        QVERIFY(section.data(Qt::ToolTipRole).toString().contains(message));
        {
            const std::lock_guard lock(m_profiles->mutex);
            m_profiles->failure.clear();
        }
        // Refresh lists it again.
        window->browser()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(uitest::browserNames(*window, kScheme),
                                  (QStringList{QStringLiteral("dense"), QStringLiteral("other"), QStringLiteral("small")}), 10000);
        QCOMPARE(section.siblingAtColumn(ModelBrowserModel::Format).data().toString(), QString());
    }

    void anEmptyListingSaysSo()
    {
        const QString home = path(QStringLiteral("empty-home"));
        QVERIFY(QDir().mkpath(home + QStringLiteral("/.mozilla/firefox/empty")));
        QVERIFY(uitest::writeFile(home + QStringLiteral("/.mozilla/firefox/profiles.ini"),
                                  "[Profile0]\nName=empty\nIsRelative=1\nPath=empty\n"));
        QSettings().setValue(QStringLiteral("browsers/homeDir"), home);
        MainWindow window(withBrowser(m_profiles));
        QSettings().setValue(QStringLiteral("browsers/homeDir"), m_home);
        const ModelBrowserModel &model = *window.browser()->model();
        const QModelIndex section = model.sectionIndex(kScheme);
        QTRY_COMPARE_WITH_TIMEOUT(section.siblingAtColumn(ModelBrowserModel::Format).data().toString(),
                                  QStringLiteral("No models found"), 10000);
        QCOMPARE(uitest::browserNames(window, kScheme), QStringList());
        QCOMPARE(model.rowCount(section), 0);
        QVERIFY(!(model.flags(section) & Qt::ItemIsEnabled));
    }

    // Dragged onto a folder section, even as a move, a found model is saved (copied) into that
    // folder through Save To; the profile keeps it.
    void dragOntoAFolderSavesACopy()
    {
        const auto window = listedWindow(true);
        const QString folder = path(QStringLiteral("dropped"));
        QVERIFY(QDir().mkpath(folder));
        QSignalSpy scanned(window->browser(), &ModelBrowserPanel::listingFinished);
        window->addFolder(folder);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.contains(QList<QVariant>{folder, true}), 10000);
        ModelBrowserView *view = window->browser()->view();
        QCOMPARE(view->dragDropMode(), QAbstractItemView::DragDrop);
        QVERIFY(view->dragEnabled());
        const QString url = modelUrl(BrowserStorage::IndexedDb, QStringLiteral("other"), kOther);
        const QModelIndex target = window->browser()->filterModel()->mapFromSource(window->browser()->model()->sectionIndex(folder));
        QCOMPARE(uitest::dragOnto(view, url, target), Qt::CopyAction);
        auto *dialog = uitest::waitForChild<SaveToDialog>(window.get());
        QVERIFY(dialog);
        QCOMPARE(dialog->destinationUrl(), ModelUrl::fromLocalPath(folder + QStringLiteral("/other")));
        QSignalSpy saved(window.get(), &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(10000));
        const auto written = uitest::formatAndWeights(m_options, folder + QStringLiteral("/other"));
        QCOMPARE(written.first, QStringLiteral("layers-model"));
        QCOMPARE(written.second, uitest::denseWeights());
        // Still there: a drag never moves out of a profile.
        QVERIFY(rowOf(view, url).isValid());
        QCOMPARE(uitest::browserNames(*window, kScheme),
                 (QStringList{QStringLiteral("dense"), QStringLiteral("other"), QStringLiteral("small")}));
        window->browser()->removeFolder(folder);
    }

    // Dragged onto the store section, a found model is imported (copied) through Save To.
    void dragOntoTheStoreImportsIt()
    {
        const auto window = listedWindow(true);
        ModelBrowserView *view = window->browser()->view();
        const QString url = modelUrl(BrowserStorage::LocalStorage, QStringLiteral("small"));
        const QModelIndex store = window->browser()->filterModel()->mapFromSource(
            window->browser()->model()->sectionIndex(QStringLiteral("indexeddb")));
        QCOMPARE(uitest::dragOnto(view, url, store), Qt::CopyAction);
        auto *dialog = uitest::waitForChild<SaveToDialog>(window.get());
        QVERIFY(dialog);
        QCOMPARE(dialog->destination(), QStringLiteral("indexeddb"));
        dialog->setName(QStringLiteral("dragged-small"));
        QSignalSpy saved(window.get(), &MainWindow::saved);
        uitest::buttonWithText(dialog, QStringLiteral("Save"))->click();
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.front().front().toString(), QStringLiteral("indexeddb://dragged-small"));
        QCOMPARE(uitest::formatAndWeights(m_options, QStringLiteral("indexeddb://dragged-small")).second,
                 uitest::denseWeights());
        QVERIFY(rowOf(view, url).isValid());
    }
};

QTEST_MAIN(TestBrowserSection)
#include "tst_browsersection.moc"
