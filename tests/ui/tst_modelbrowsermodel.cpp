#include "browserfiltermodel.h"
#include "modelbrowsermodel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QRandomGenerator>
#include <QUrl>

#include <memory>

using namespace tfjs::ui;

namespace {

BrowserEntry entry(const QString &url, const QString &name, qint64 size, const QString &format = QStringLiteral("layers-model"),
                   const QDateTime &date = {})
{
    BrowserEntry e;
    e.url = url;
    e.name = name;
    e.size = size;
    e.format = format;
    e.date = date;
    return e;
}

QStringList names(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(parent); ++row)
        result << model.index(row, 0, parent).data().toString();
    return result;
}


// A model found in a browser profile (the listing's fields; the URL is made up).
BrowserEntry found(const QString &profile, const QString &origin, const QString &storage, const QString &name)
{
    BrowserEntry e = entry(QStringLiteral("firefox://%1?origin=%2&storage=%3&model=%4").arg(profile, origin, storage, name),
                           name, 10, QString());
    e.profile = profile;
    e.origin = origin;
    e.storage = storage;
    return e;
}

// Every model row below `parent` as "profile/origin/name", depth first, in the model's order.
QStringList paths(const QAbstractItemModel &model, const QModelIndex &parent, const QString &prefix = {})
{
    QStringList result;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        const QString path = prefix + index.data().toString();
        if (model.rowCount(index) > 0)
            result << paths(model, index, path + QLatin1Char('/'));
        else
            result << path;
    }
    return result;
}

const QString kP1 = QStringLiteral("/home/u/.mozilla/firefox/p1.default");
const QString kP2 = QStringLiteral("/home/u/.mozilla/firefox/p2.work");
const QString kLocal = QStringLiteral("http://127.0.0.1:8765");
const QString kExample = QStringLiteral("https://example.test");

// A model with a Browsers section holding firefox (four models: two profiles, two origins)
// and chromium (nothing found).
void addBrowsers(ModelBrowserModel &model)
{
    model.addSection(SectionKind::Store, QStringLiteral("indexeddb"), QStringLiteral("Store"));
    model.addSection(SectionKind::Recent, QStringLiteral("recent"), QStringLiteral("Recent"));
    model.addSection(SectionKind::Browser, QStringLiteral("browsers"), QStringLiteral("Browsers"));
    model.addSection(SectionKind::Browser, QStringLiteral("firefox"), QStringLiteral("Firefox"), {}, QStringLiteral("browsers"));
    model.addSection(SectionKind::Browser, QStringLiteral("chromium"), QStringLiteral("Chromium"), {}, QStringLiteral("browsers"));
    const QString idb = QStringLiteral("indexeddb"), ls = QStringLiteral("localstorage");
    model.setEntries(QStringLiteral("firefox"), model.beginListing(QStringLiteral("firefox")),
                     {found(kP1, kLocal, idb, QStringLiteral("alpha")), found(kP1, kLocal, ls, QStringLiteral("alpha")),
                      found(kP1, kExample, idb, QStringLiteral("gamma")), found(kP2, kLocal, idb, QStringLiteral("delta"))});
    model.setEntries(QStringLiteral("chromium"), model.beginListing(QStringLiteral("chromium")), {},
                     QStringLiteral("No profiles found"));
}

} // namespace

class TestModelBrowserModel : public QObject
{
    Q_OBJECT

private slots:
    void sectionsKeepTheirOrder()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSection(SectionKind::Recent, QStringLiteral("recent"), QStringLiteral("Recent"));
        model.addSection(SectionKind::Folder, QStringLiteral("/a"), QStringLiteral("a"));
        model.addSection(SectionKind::Store, QStringLiteral("indexeddb"), QStringLiteral("Store"));
        model.addSection(SectionKind::Folder, QStringLiteral("/b"), QStringLiteral("b"));
        model.addSection(SectionKind::LocalStorage, QStringLiteral("localstorage"), QStringLiteral("Local"));
        model.addSection(SectionKind::Browser, QStringLiteral("firefox"), QStringLiteral("Firefox"));
        QCOMPARE(names(model, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Local"), QStringLiteral("Firefox"),
                                                 QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("Recent")}));
        QCOMPARE(model.addSection(SectionKind::Folder, QStringLiteral("/a"), QStringLiteral("again")), 3);
        QCOMPARE(model.rowCount(), 6);
        QVERIFY(model.removeSection(QStringLiteral("/a")));
        QVERIFY(!model.removeSection(QStringLiteral("/a")));
        QCOMPARE(model.sectionKeys(SectionKind::Folder), QStringList{QStringLiteral("/b")});
    }

    // A store's trash: one name can be there twice (told apart by trash id); the Format column
    // says why each is there; the trash sections come last.
    void trashEntries()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString key = QStringLiteral("indexeddb-trash");
        model.addSection(SectionKind::Trash, key, QStringLiteral("Trash"));
        model.addSection(SectionKind::Recent, QStringLiteral("recent"), QStringLiteral("Recent"));
        model.addSection(SectionKind::Store, QStringLiteral("indexeddb"), QStringLiteral("Store"));
        QCOMPARE(names(model, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Recent"), QStringLiteral("Trash")}));
        auto trashed = [](qint64 id, const QString &reason) {
            BrowserEntry e = entry(QStringLiteral("indexeddb://a"), QStringLiteral("a"), 100 + id, QString(),
                                   QDateTime(QDate(2026, 5, 1), QTime(12, 0), QTimeZone::utc()));
            e.trashId = id;
            e.trashReason = reason;
            return e;
        };
        quint64 generation = model.beginListing(key);
        QVERIFY(model.setEntries(key, generation, {trashed(1, QStringLiteral("deleted")), trashed(2, QStringLiteral("replaced"))}));
        const QModelIndex section = model.sectionIndex(key);
        QCOMPARE(section.data(Qt::ToolTipRole).toString(), QStringLiteral("Trash")); // not its key
        QCOMPARE(model.rowCount(section), 2);
        const QPersistentModelIndex second = model.index(1, 0, section);
        QCOMPARE(model.index(0, ModelBrowserModel::Format, section).data().toString(), QStringLiteral("deleted"));
        QCOMPARE(model.index(1, ModelBrowserModel::Format, section).data().toString(), QStringLiteral("replaced"));
        QCOMPARE(second.data(ModelBrowserModel::TrashIdRole).toLongLong(), 2);
        QCOMPARE(second.data(ModelBrowserModel::UrlRole).toString(), QStringLiteral("indexeddb://a"));
        QVERIFY(second.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("indexeddb://a\nreplaced 2026-05-01 ")));
        QCOMPARE(model.index(0, 0, model.sectionIndex(QStringLiteral("indexeddb"))).isValid(), false);

        // Entry 1 restored: entry 2 keeps its row.
        generation = model.beginListing(key);
        QVERIFY(model.setEntries(key, generation, {trashed(2, QStringLiteral("replaced"))}));
        QCOMPARE(model.rowCount(section), 1);
        QVERIFY(second.isValid());
        QCOMPARE(second.row(), 0);
        QCOMPARE(second.data(ModelBrowserModel::TrashIdRole).toLongLong(), 2);
    }

    void setEntriesKeepsRowsThatStay()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString key = QStringLiteral("/models");
        model.addSection(SectionKind::Folder, key, QStringLiteral("models"));
        quint64 generation = model.beginListing(key);
        QVERIFY(model.setEntries(key, generation,
                                 {entry(QStringLiteral("/models/a.json"), QStringLiteral("a"), 10),
                                  entry(QStringLiteral("/models/b.json"), QStringLiteral("b"), 20),
                                  entry(QStringLiteral("/models/c.json"), QStringLiteral("c"), 30)}));
        const QModelIndex section = model.sectionIndex(key);
        const QPersistentModelIndex c = model.index(2, 0, section);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        generation = model.beginListing(key);
        QVERIFY(model.setEntries(key, generation,
                                 {entry(QStringLiteral("/models/c.json"), QStringLiteral("c2"), 31),
                                  entry(QStringLiteral("/models/d.json"), QStringLiteral("d"), 40),
                                  entry(QStringLiteral("/models/d.json"), QStringLiteral("dup"), 41)}));
        QCOMPARE(removed.size(), 1); // a and b: one contiguous run
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(names(model, section), (QStringList{QStringLiteral("c2"), QStringLiteral("d")}));
        QVERIFY(c.isValid());
        QCOMPARE(c.data().toString(), QStringLiteral("c2"));
        QCOMPARE(model.index(0, ModelBrowserModel::Size, section).data(ModelBrowserModel::RawValueRole).toLongLong(), 31);
        QCOMPARE(model.index(0, ModelBrowserModel::Size, section).data().toString(), QStringLiteral("31 bytes"));
    }

    void firstListingKeepsTheFirstOfDuplicates()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString key = QStringLiteral("/models");
        model.addSection(SectionKind::Folder, key, QStringLiteral("models"));
        QVERIFY(model.setEntries(key, model.beginListing(key),
                                 {entry(QStringLiteral("/models/a.json"), QStringLiteral("a"), 10),
                                  entry(QStringLiteral("/models/b.json"), QStringLiteral("b"), 20),
                                  entry(QStringLiteral("/models/a.json"), QStringLiteral("a again"), 11),
                                  entry(QStringLiteral("/models/c.json"), QStringLiteral("c"), 30)}));
        QCOMPARE(names(model, model.sectionIndex(key)),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    }

    void naturalSortKeyOrdersAsNaturalCompare()
    {
        // Names from a small alphabet (letters of both cases, digits, zeros, punctuation either
        // side of the digits) so that ties, runs and prefixes are frequent.
        const QString alphabet = QStringLiteral("aAbB0019_-./:Zz");
        const quint32 seed = QRandomGenerator::global()->generate();
        QRandomGenerator random(seed);
        const auto name = [&] {
            QString text;
            for (int i = int(random.bounded(8)); i >= 0; --i)
                text += alphabet[qsizetype(random.bounded(int(alphabet.size())))];
            return text;
        };
        const auto sign = [](int c) { return (c > 0) - (c < 0); };
        for (int i = 0; i < 20000; ++i) {
            const QString a = name();
            const QString b = name();
            const int byKey = QString::compare(naturalSortKey(a), naturalSortKey(b));
            const int expected = sign(naturalCompare(a, b));
            const int got = sign(byKey != 0 ? byKey : QString::compare(a, b));
            QVERIFY2(got == expected, qPrintable(QStringLiteral("seed %1: '%2' vs '%3': %4, naturalCompare %5")
                                                     .arg(seed).arg(a, b).arg(got).arg(expected)));
        }
        // Long digit runs: the length decides, then the digits.
        QVERIFY(naturalSortKey(QStringLiteral("m") + QString(9, u'1'))
                > naturalSortKey(QStringLiteral("m") + QString(8, u'9')));
        QVERIFY(naturalSortKey(QStringLiteral("m") + QString(108, u'1'))
                > naturalSortKey(QStringLiteral("m") + QString(107, u'9')));
        // No key: the names are compared as they are.
        QVERIFY(naturalSortKey(QStringLiteral("m") + QString(109, u'1')).isEmpty());
        QVERIFY(naturalSortKey(QString::fromUtf8("\xc3\x84rger")).isEmpty());
    }

    void staleListingIsDropped()
    {
        ModelBrowserModel model;
        const QString key = QStringLiteral("indexeddb");
        model.addSection(SectionKind::Store, key, QStringLiteral("Store"));
        const quint64 first = model.beginListing(key);
        const quint64 second = model.beginListing(key);
        QVERIFY(!model.setEntries(key, first, {entry(QStringLiteral("indexeddb://old"), QStringLiteral("old"), 1)}));
        QVERIFY(model.setEntries(key, second, {entry(QStringLiteral("indexeddb://new"), QStringLiteral("new"), 1)}));
        QCOMPARE(names(model, model.sectionIndex(key)), QStringList{QStringLiteral("new")});
        QVERIFY(!model.setEntries(QStringLiteral("missing"), second, {}));
    }

    void upsertMovesToTop()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString key = QStringLiteral("recent");
        model.addSection(SectionKind::Recent, key, QStringLiteral("Recent"));
        model.upsertEntry(key, entry(QStringLiteral("u1"), QStringLiteral("one"), 1), true);
        model.upsertEntry(key, entry(QStringLiteral("u2"), QStringLiteral("two"), 2), true);
        model.upsertEntry(key, entry(QStringLiteral("u3"), QStringLiteral("three"), 3), true);
        model.upsertEntry(key, entry(QStringLiteral("u1"), QStringLiteral("one again"), 1), true);
        QCOMPARE(names(model, model.sectionIndex(key)),
                 (QStringList{QStringLiteral("one again"), QStringLiteral("three"), QStringLiteral("two")}));
        QVERIFY(model.removeEntry(key, QStringLiteral("u3")));
        QVERIFY(!model.removeEntry(key, QStringLiteral("u3")));
        QCOMPARE(model.rowCount(model.sectionIndex(key)), 2);
        const BrowserEntry *first = model.entryAt(model.index(0, 0, model.sectionIndex(key)));
        QVERIFY(first);
        QCOMPARE(first->url, QStringLiteral("u1"));
        QVERIFY(!model.entryAt(model.sectionIndex(key)));
    }

    void sortByColumn_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("name ascending, numbers natural") << int(ModelBrowserModel::Name) << int(Qt::AscendingOrder)
                                                         << QStringList{QStringLiteral("m2"), QStringLiteral("M10"), QStringLiteral("x")};
        QTest::newRow("name descending") << int(ModelBrowserModel::Name) << int(Qt::DescendingOrder)
                                         << QStringList{QStringLiteral("x"), QStringLiteral("M10"), QStringLiteral("m2")};
        QTest::newRow("size ascending, unknown first") << int(ModelBrowserModel::Size) << int(Qt::AscendingOrder)
                                                       << QStringList{QStringLiteral("x"), QStringLiteral("M10"), QStringLiteral("m2")};
        QTest::newRow("size descending") << int(ModelBrowserModel::Size) << int(Qt::DescendingOrder)
                                         << QStringList{QStringLiteral("m2"), QStringLiteral("M10"), QStringLiteral("x")};
        QTest::newRow("date ascending") << int(ModelBrowserModel::Date) << int(Qt::AscendingOrder)
                                        << QStringList{QStringLiteral("M10"), QStringLiteral("x"), QStringLiteral("m2")};
        QTest::newRow("format ascending") << int(ModelBrowserModel::Format) << int(Qt::AscendingOrder)
                                          << QStringList{QStringLiteral("m2"), QStringLiteral("M10"), QStringLiteral("x")};
    }

    void sortByColumn()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QStringList, expected);
        ModelBrowserModel model;
        BrowserFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSection(SectionKind::Store, QStringLiteral("indexeddb"), QStringLiteral("Store"));
        model.addSection(SectionKind::Recent, QStringLiteral("recent"), QStringLiteral("Recent"));
        const QDateTime t0(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
        const quint64 generation = model.beginListing(QStringLiteral("indexeddb"));
        model.setEntries(QStringLiteral("indexeddb"), generation,
                         {entry(QStringLiteral("indexeddb://x"), QStringLiteral("x"), -1, QStringLiteral("weights-only"), t0.addDays(1)),
                          entry(QStringLiteral("indexeddb://m10"), QStringLiteral("M10"), 2048, QStringLiteral("graph-model"), t0),
                          entry(QStringLiteral("indexeddb://m2"), QStringLiteral("m2"), 1 << 20, QStringLiteral("a-model"), t0.addDays(2))});
        proxy.sort(column, Qt::SortOrder(order));
        // Sections keep their order in both sort orders.
        QCOMPARE(names(proxy, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Recent")}));
        QCOMPARE(names(proxy, proxy.index(0, 0)), expected);
    }

    void naturalCompareFoldsCase()
    {
        QVERIFY(naturalCompare(QStringLiteral("abc"), QStringLiteral("ABD")) < 0);
        QVERIFY(naturalCompare(QStringLiteral("ABD"), QStringLiteral("abc")) > 0);
        QVERIFY(naturalCompare(QStringLiteral("Zeta"), QStringLiteral("alpha")) > 0);
        QVERIFY(naturalCompare(QStringLiteral("[x]"), QStringLiteral("ax")) < 0); // '[' < 'a' folded
        QVERIFY(naturalCompare(QStringLiteral("m9"), QStringLiteral("M010")) < 0);
        // Beyond ASCII: Unicode case folding ("Ärger" and "ärger" differ only in case).
        QVERIFY(naturalCompare(QStringLiteral("\u00c4rger"), QStringLiteral("\u00e4rgert")) < 0);
        QVERIFY(naturalCompare(QStringLiteral("\u00c4rger"), QStringLiteral("\u00e4rger")) != 0); // then by case
        QVERIFY(naturalCompare(QStringLiteral("\u00c4b"), QStringLiteral("\u00e4a")) > 0);
    }

    void filterMatchesNameFormatAndUrl_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("empty") << QString() << QStringList{QStringLiteral("alpha"), QStringLiteral("beta")};
        QTest::newRow("name, any case") << QStringLiteral("ALP") << QStringList{QStringLiteral("alpha")};
        QTest::newRow("format") << QStringLiteral("graph") << QStringList{QStringLiteral("beta")};
        QTest::newRow("url") << QStringLiteral("/srv/") << QStringList{QStringLiteral("beta")};
        QTest::newRow("nothing") << QStringLiteral("zzz") << QStringList{};
    }

    void filterMatchesNameFormatAndUrl()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expected);
        ModelBrowserModel model;
        BrowserFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addSection(SectionKind::Folder, QStringLiteral("/f"), QStringLiteral("f"));
        model.addSection(SectionKind::Recent, QStringLiteral("recent"), QStringLiteral("Recent"));
        const quint64 generation = model.beginListing(QStringLiteral("/f"));
        model.setEntries(QStringLiteral("/f"), generation,
                         {entry(QStringLiteral("/f/alpha/model.json"), QStringLiteral("alpha"), 1),
                          entry(QStringLiteral("/srv/beta.json"), QStringLiteral("beta"), 2, QStringLiteral("graph-model"))});
        proxy.sort(ModelBrowserModel::Name);
        proxy.setFilterText(filter);
        QCOMPARE(proxy.rowCount(), 2); // sections always show
        QCOMPARE(names(proxy, proxy.index(0, 0)), expected);
    }

    // The Browsers section holds a section per browser; a browser's models are grouped by
    // profile (its folder's name), then origin; a browser that found nothing is disabled.
    void browserModelsAreGroupedByProfileAndOrigin()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        addBrowsers(model);
        QCOMPARE(names(model, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Browsers"), QStringLiteral("Recent")}));
        const QModelIndex browsers = model.sectionIndex(QStringLiteral("browsers"));
        QCOMPARE(names(model, browsers), (QStringList{QStringLiteral("Firefox"), QStringLiteral("Chromium")}));
        const QModelIndex firefox = model.sectionIndex(QStringLiteral("firefox"));
        QCOMPARE(firefox.parent(), browsers);
        QCOMPARE(firefox.data(ModelBrowserModel::IsSectionRole).toBool(), true);
        QCOMPARE(paths(model, firefox),
                 (QStringList{QStringLiteral("p1.default/http://127.0.0.1:8765/alpha  (IndexedDB)"),
                              QStringLiteral("p1.default/http://127.0.0.1:8765/alpha  (localStorage)"),
                              QStringLiteral("p1.default/https://example.test/gamma  (IndexedDB)"),
                              QStringLiteral("p2.work/http://127.0.0.1:8765/delta  (IndexedDB)")}));
        const QModelIndex profile = model.index(0, 0, firefox);
        QCOMPARE(profile.data(Qt::ToolTipRole).toString(), QStringLiteral("Profile: ") + kP1);
        QCOMPARE(profile.data(ModelBrowserModel::UrlRole).toString(), QString()); // not a model
        QCOMPARE(profile.data(ModelBrowserModel::IsSectionRole).toBool(), false);
        QVERIFY(profile.data(Qt::DecorationRole).isValid());
        QVERIFY(!model.entryAt(profile));
        QCOMPARE(model.index(0, ModelBrowserModel::Size, firefox).data().toString(), QStringLiteral("3 models"));
        const QModelIndex origin = model.index(0, 0, profile);
        QCOMPARE(origin.parent(), profile);
        QCOMPARE(origin.data(Qt::ToolTipRole).toString(), QStringLiteral("Origin: http://127.0.0.1:8765"));
        const QModelIndex alpha = model.index(1, 0, origin);
        QCOMPARE(alpha.parent(), origin);
        QCOMPARE(model.entryAt(alpha)->storage, QStringLiteral("localstorage"));
        QCOMPARE(SectionKind(alpha.data(ModelBrowserModel::SectionKindRole).toInt()), SectionKind::Browser);
        QCOMPARE(alpha.data(ModelBrowserModel::SectionKeyRole).toString(), QStringLiteral("firefox"));
        QVERIFY(model.flags(alpha) & Qt::ItemIsDragEnabled);
        QVERIFY(!(model.flags(profile) & Qt::ItemIsDragEnabled));
        // Counts: the browser's and all browsers' models.
        QCOMPARE(model.index(firefox.row(), ModelBrowserModel::Size, browsers).data().toString(), QStringLiteral("4 models"));
        QCOMPARE(model.index(browsers.row(), ModelBrowserModel::Size).data().toString(), QStringLiteral("4 models"));
        // Nothing found: one disabled line saying why.
        const QModelIndex chromium = model.sectionIndex(QStringLiteral("chromium"));
        QCOMPARE(model.rowCount(chromium), 0);
        QCOMPARE(chromium.siblingAtColumn(ModelBrowserModel::Format).data().toString(), QStringLiteral("No profiles found"));
        QVERIFY(!(model.flags(chromium) & Qt::ItemIsEnabled));
        QVERIFY(model.flags(firefox) & Qt::ItemIsEnabled);
    }

    // A new listing rebuilds the groups: empty profiles and origins go; duplicates keep the first.
    void browserListingReplacesGroups()
    {
        ModelBrowserModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        addBrowsers(model);
        const QString idb = QStringLiteral("indexeddb");
        BrowserEntry twice = found(kP2, kExample, idb, QStringLiteral("delta"));
        twice.size = 99;
        QVERIFY(model.setEntries(QStringLiteral("firefox"), model.beginListing(QStringLiteral("firefox")),
                                 {found(kP2, kExample, idb, QStringLiteral("delta")), twice}));
        const QModelIndex firefox = model.sectionIndex(QStringLiteral("firefox"));
        QCOMPARE(paths(model, firefox), QStringList{QStringLiteral("p2.work/https://example.test/delta  (IndexedDB)")});
        QCOMPARE(model.entries(QStringLiteral("firefox"))->size(), std::size_t(1));
        QCOMPARE(model.entries(QStringLiteral("firefox"))->front().size, qint64(10));
        // Recent's upsert is not for grouped sections.
        model.upsertEntry(QStringLiteral("firefox"), found(kP1, kLocal, idb, QStringLiteral("x")));
        QVERIFY(!model.removeEntry(QStringLiteral("firefox"), model.entries(QStringLiteral("firefox"))->front().url));
        QCOMPARE(model.entries(QStringLiteral("firefox"))->size(), std::size_t(1));
        // Nothing found now: the browser's line is disabled.
        QVERIFY(model.setEntries(QStringLiteral("firefox"), model.beginListing(QStringLiteral("firefox")), {},
                                 QStringLiteral("No models found")));
        QCOMPARE(model.rowCount(firefox), 0);
        QVERIFY(!(model.flags(firefox) & Qt::ItemIsEnabled));
        // Removing the Browsers section removes the browsers in it.
        QVERIFY(model.removeSection(QStringLiteral("browsers")));
        QVERIFY(!model.sectionIndex(QStringLiteral("firefox")).isValid());
        QVERIFY(!model.sectionIndex(QStringLiteral("chromium")).isValid());
        QCOMPARE(names(model, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Recent")}));
    }

    void filterFindsModelsInGroups_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("name") << QStringLiteral("GAMMA")
                              << QStringList{QStringLiteral("p1.default/https://example.test/gamma  (IndexedDB)")};
        QTest::newRow("storage") << QStringLiteral("localStorage")
                                 << QStringList{QStringLiteral("p1.default/http://127.0.0.1:8765/alpha  (localStorage)")};
        QTest::newRow("origin") << QStringLiteral("example.test")
                                << QStringList{QStringLiteral("p1.default/https://example.test/gamma  (IndexedDB)")};
        QTest::newRow("profile") << QStringLiteral("p2.work")
                                 << QStringList{QStringLiteral("p2.work/http://127.0.0.1:8765/delta  (IndexedDB)")};
        QTest::newRow("nothing") << QStringLiteral("zzz") << QStringList{};
    }

    void filterFindsModelsInGroups()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expected);
        ModelBrowserModel model;
        BrowserFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        addBrowsers(model);
        proxy.sort(ModelBrowserModel::Name);
        proxy.setFilterText(filter);
        // Sections always show, the Browsers section's browsers too.
        QCOMPARE(names(proxy, {}), (QStringList{QStringLiteral("Store"), QStringLiteral("Browsers"), QStringLiteral("Recent")}));
        const QModelIndex browsers = proxy.index(1, 0);
        QCOMPARE(names(proxy, browsers), (QStringList{QStringLiteral("Firefox"), QStringLiteral("Chromium")}));
        QCOMPARE(paths(proxy, proxy.index(0, 0, browsers)), expected);
    }

    // Dragged entries carry their URLs (local paths as file:// URLs), as a copy only.
    void dragCarriesUrlsAsACopy()
    {
        ModelBrowserModel model;
        addBrowsers(model);
        model.addSection(SectionKind::Folder, QStringLiteral("/f"), QStringLiteral("f"));
        model.setEntries(QStringLiteral("/f"), model.beginListing(QStringLiteral("/f")),
                         {entry(QStringLiteral("/f/alpha/model.json"), QStringLiteral("alpha"), 1)});
        QCOMPARE(model.supportedDragActions(), Qt::CopyAction);
        QCOMPARE(model.mimeTypes(), QStringList{QStringLiteral("text/uri-list")});
        const QModelIndex local = model.index(0, 0, model.sectionIndex(QStringLiteral("/f")));
        const QModelIndex profile = model.index(0, 0, model.sectionIndex(QStringLiteral("firefox")));
        const QModelIndex gamma = model.index(0, 0, model.index(1, 0, profile));
        QCOMPARE(model.entryAt(gamma)->name, QStringLiteral("gamma"));
        std::unique_ptr<QMimeData> mime(model.mimeData({local, gamma}));
        QVERIFY(mime);
        QCOMPARE(mime->urls(), (QList<QUrl>{QUrl::fromLocalFile(QStringLiteral("/f/alpha/model.json")),
                                            QUrl(model.entryAt(gamma)->url)}));
        // Groups and sections carry nothing.
        QVERIFY(!std::unique_ptr<QMimeData>(model.mimeData({profile, model.sectionIndex(QStringLiteral("firefox"))})));
    }

    void problemsShowInTooltip()
    {
        ModelBrowserModel model;
        model.addSection(SectionKind::Folder, QStringLiteral("/f"), QStringLiteral("f"));
        BrowserEntry broken = entry(QStringLiteral("/f/m.json"), QStringLiteral("m"), 5);
        broken.problem = QStringLiteral("Weight file /f/w.bin does not exist: loading failed");
        model.setEntries(QStringLiteral("/f"), model.beginListing(QStringLiteral("/f")), {broken});
        const QModelIndex index = model.index(0, 0, model.sectionIndex(QStringLiteral("/f")));
        QCOMPARE(model.sectionIndex(QStringLiteral("/f")).data(Qt::ToolTipRole).toString(),
            QStringLiteral("/f"));
        QCOMPARE(index.data(Qt::ToolTipRole).toString(),
                 QStringLiteral("/f/m.json\nWeight file /f/w.bin does not exist: loading failed"));
        QVERIFY(!model.index(0, ModelBrowserModel::Date, model.sectionIndex(QStringLiteral("/f"))).data().isValid()
                || model.index(0, ModelBrowserModel::Date, model.sectionIndex(QStringLiteral("/f"))).data().toString().isEmpty());
        QCOMPARE(index.data(ModelBrowserModel::ProblemRole).toString(), broken.problem);
        QVERIFY(index.data(Qt::DecorationRole).isValid());
    }
};

QTEST_MAIN(TestModelBrowserModel)
#include "tst_modelbrowsermodel.moc"
