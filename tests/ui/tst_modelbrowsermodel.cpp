#include "browserfiltermodel.h"
#include "modelbrowsermodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

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
