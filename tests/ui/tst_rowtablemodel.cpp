#include "rowtablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace tfjs::ui;

class TestRowTableModel : public QObject
{
    Q_OBJECT

private slots:
    void totalsRowStaysLast_data()
    {
        QTest::addColumn<int>("order");
        QTest::newRow("ascending") << int(Qt::AscendingOrder);
        QTest::newRow("descending") << int(Qt::DescendingOrder);
    }

    void totalsRowStaysLast()
    {
        QFETCH(int, order);
        RowTableModel model({QStringLiteral("Layer"), QStringLiteral("Params")});
        RowFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({{QStringLiteral("dense_1"), qint64(120)}, {QStringLiteral("dense_2"), qint64(9)},
                       {QStringLiteral("conv"), qint64(1000)}},
                      {QStringLiteral("Total"), qint64(1129)});
        proxy.sort(1, Qt::SortOrder(order));
        QCOMPARE(proxy.rowCount(), 4);
        QCOMPARE(proxy.index(3, 0).data().toString(), QStringLiteral("Total"));
        QCOMPARE(proxy.index(0, 0).data().toString(),
                 order == Qt::AscendingOrder ? QStringLiteral("dense_2") : QStringLiteral("conv"));
        QCOMPARE(proxy.index(3, 1).data().toString(), QStringLiteral("1,129"));
    }

    void filterKeepsTotals()
    {
        RowTableModel model({QStringLiteral("Op"), QStringLiteral("Count")});
        RowFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({{QStringLiteral("Conv2D"), 3}, {QStringLiteral("Relu"), 3}, {QStringLiteral("MatMul"), 1}},
                      {QStringLiteral("Total"), 7});
        proxy.setText(QStringLiteral("conv"));
        QCOMPARE(proxy.rowCount(), 2);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Conv2D"));
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
    }
};

QTEST_MAIN(TestRowTableModel)
#include "tst_rowtablemodel.moc"
