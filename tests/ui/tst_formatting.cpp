#include "formatting.h"
#include "nameelidingdelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTest>

#include <limits>

using namespace tfjs::ui;

namespace {

const QString kPrefix = QStringLiteral("StatefulPartitionedCall/model/");

// Converted graph-model tensor names: one long prefix, the layer in the middle, alike ends.
QStringList graphNames()
{
    return { kPrefix + QStringLiteral("conv2d_1/Conv2D/ReadVariableOp"),
        kPrefix + QStringLiteral("conv2d_2/Conv2D/ReadVariableOp"),
        kPrefix + QStringLiteral("dense_7/MatMul/ReadVariableOp"),
        kPrefix + QStringLiteral("dense_7/BiasAdd/ReadVariableOp") };
}

} // namespace

class TestFormatting : public QObject
{
    Q_OBJECT

private slots:
    void numbers()
    {
        QCOMPARE(formatNumber(-std::numeric_limits<double>::infinity()), QStringLiteral("-Inf"));
        QCOMPARE(formatNumber(std::numeric_limits<double>::infinity()), QStringLiteral("+Inf"));
        QCOMPARE(formatNumber(3.0), QStringLiteral("3"));
        QCOMPARE(formatCount(1234567), QStringLiteral("1,234,567"));
    }

    void commonPrefix_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("graph model") << graphNames() << kPrefix;
        QTest::newRow("graph model with constants")
            << graphNames() + QStringList { QStringLiteral("Const_3"), QStringLiteral("unknown") }
            << kPrefix;
        QTest::newRow("no majority")
            << QStringList { QStringLiteral("dense/kernel"), QStringLiteral("dense/bias"),
                   QStringLiteral("dense_1/kernel"), QStringLiteral("dense_1/bias") }
            << QString();
        QTest::newRow("sequential") << QStringList { QStringLiteral("sequential/dense/kernel"),
            QStringLiteral("sequential/dense/bias"), QStringLiteral("sequential/dense_1/kernel") }
                                    << QStringLiteral("sequential/");
        QTest::newRow("a shared partial part") << QStringList { QStringLiteral("dense_1/kernel"),
            QStringLiteral("dense_12/kernel") } << QString();
        QTest::newRow("one name") << QStringList { kPrefix + QStringLiteral("x") } << QString();
        QTest::newRow("nothing shared")
            << QStringList { QStringLiteral("a/x"), QStringLiteral("b/x") } << QString();
        QTest::newRow("a name that is the prefix's folder") << QStringList { QStringLiteral("a/b"),
            QStringLiteral("a/b/c") } << QStringLiteral("a/");
    }

    void commonPrefix()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, prefix);
        QCOMPARE(commonPathPrefix(names), prefix);
    }

    void namesWithOnePrefixStayApart()
    {
        // The bug: every row showed "StatefulPartitionedCall/m…". Now each shows its layer.
        const QFontMetrics metrics(QApplication::font());
        const QStringList names = graphNames();
        const QString prefix = commonPathPrefix(names);
        for (const int width :
            { metrics.horizontalAdvance(QStringLiteral("StatefulPartitionedCall/m…")),
                metrics.horizontalAdvance(QStringLiteral("…/conv2d_1/Conv2D/ReadVariableOp")) }) {
            QStringList shown;
            for (const QString &name : names) {
                const QString text = elideName(name, prefix, metrics, width);
                QVERIFY2(metrics.horizontalAdvance(text) <= width, qPrintable(text));
                QVERIFY2(text.startsWith(QStringLiteral("…/")), qPrintable(text));
                shown << text;
            }
            // The start of the distinctive part stays visible: no two rows look alike.
            QVERIFY2(shown.removeDuplicates() == 0, qPrintable(shown.join(QLatin1Char('|'))));
            QVERIFY2(shown[2].startsWith(QStringLiteral("…/dense_7")), qPrintable(shown[2]));
        }
        // Room for everything after the prefix: all of it.
        const int room
            = metrics.horizontalAdvance(QStringLiteral("…/conv2d_1/Conv2D/ReadVariableOp"));
        QCOMPARE(elideName(names[0], prefix, metrics, room),
            QStringLiteral("…/conv2d_1/Conv2D/ReadVariableOp"));
        // Room for the whole name: unchanged.
        QCOMPARE(
            elideName(names[0], prefix, metrics, metrics.horizontalAdvance(names[0])), names[0]);
        // No shared prefix: elided in the middle, keeping both ends.
        const QString alone = elideName(names[0], {}, metrics, room);
        QVERIFY2(alone.startsWith(QStringLiteral("Stateful"))
                && alone.endsWith(QStringLiteral("VariableOp")),
            qPrintable(alone));
    }

    void delegateShowsTheDistinctivePart()
    {
        QStandardItemModel model(1, 1);
        const QString name = graphNames().front();
        model.setItem(0, 0, new QStandardItem(name));
        QTableView view;
        view.setModel(&model);
        NameElidingDelegate delegate;
        delegate.setPrefix(kPrefix);
        view.setItemDelegateForColumn(0, &delegate);
        QStyleOptionViewItem option;
        option.initFrom(&view);
        option.widget = &view;
        option.rect = QRect(0, 0,
            view.fontMetrics().horizontalAdvance(QStringLiteral("…/conv2d_1/Conv2D/ReadVariableOp"))
                + 24,
            20);
        QCOMPARE(delegate.shownText(option, model.index(0, 0)),
            QStringLiteral("…/conv2d_1/Conv2D/ReadVariableOp"));
        option.rect.setWidth(view.fontMetrics().horizontalAdvance(name) + 40);
        QCOMPARE(delegate.shownText(option, model.index(0, 0)), name);
    }
};

QTEST_MAIN(TestFormatting)
#include "tst_formatting.moc"
