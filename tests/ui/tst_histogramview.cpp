#include "histogramview.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

using namespace tfjs::ui;

class TestHistogramView : public QObject
{
    Q_OBJECT

private slots:
    void countAxis_data()
    {
        QTest::addColumn<qint64>("largest");
        QTest::addColumn<qint64>("max");
        QTest::addColumn<qint64>("step");
        QTest::newRow("empty") << qint64(0) << qint64(1) << qint64(1);
        QTest::newRow("one") << qint64(1) << qint64(1) << qint64(1); // not 0, 0, 0, 0, 1
        QTest::newRow("four") << qint64(4) << qint64(4) << qint64(1);
        QTest::newRow("seven") << qint64(7) << qint64(8) << qint64(2);
        QTest::newRow("304") << qint64(304) << qint64(400) << qint64(100); // not 79, 159, 239, 319
        QTest::newRow("1000") << qint64(1000) << qint64(1000) << qint64(200);
        QTest::newRow("large") << qint64(123456789) << qint64(150000000) << qint64(50000000);
    }

    void countAxis()
    {
        QFETCH(qint64, largest);
        QFETCH(qint64, max);
        QFETCH(qint64, step);
        const CountAxis axis = niceCountAxis(largest);
        QCOMPARE(axis.max, max);
        QCOMPARE(axis.step, step);
        QVERIFY(axis.max >= largest);
        QCOMPARE(axis.max % axis.step, qint64(0));
        QCOMPARE(axis.ticks, int(axis.max / axis.step) + 1);
        QVERIFY(axis.ticks >= 2 && axis.ticks <= 6);
    }

    void viewUsesIntegerTicks()
    {
        HistogramView view;
        std::vector<qint64> counts(64, 3);
        counts[10] = 304;
        view.setHistogram(QStringLiteral("t"), counts, -1, 1);
        QCOMPARE(view.yAxis()->min(), 0.0);
        QCOMPARE(view.yAxis()->max(), 400.0);
        QCOMPARE(view.yAxis()->tickCount(), 5); // 0, 100, 200, 300, 400
        QCOMPARE(view.yAxis()->labelFormat(), QStringLiteral("%.0f"));
        QCOMPARE(view.binCount(), 64);
    }

    void constantTensorIsCentredOnItsValue()
    {
        // Every value is 3: core puts them all in bin 0 of [3, 3].
        std::vector<qint64> counts(64, 0);
        counts[0] = 12;
        const HistogramShape shape = histogramShape(counts, 3, 3);
        QCOMPARE((shape.xMin + shape.xMax) / 2, 3.0);
        double left = 1e300, right = -1e300;
        for (const QPointF &p : shape.outline) {
            if (p.y() > 0) {
                left = std::min(left, p.x());
                right = std::max(right, p.x());
                QCOMPARE(p.y(), 12.0);
            }
        }
        QVERIFY(left < 3 && right > 3);
        QCOMPARE((left + right) / 2, 3.0);

        HistogramView view;
        view.setHistogram(QStringLiteral("c"), counts, 3, 3);
        QCOMPARE((view.xAxis()->min() + view.xAxis()->max()) / 2, 3.0);
        QCOMPARE(view.outline()->points(), shape.outline);
    }

    void binsSpanTheRange()
    {
        const HistogramShape shape = histogramShape({ 1, 2, 3, 4 }, -2, 2);
        QCOMPARE(shape.xMin, -2.0);
        QCOMPARE(shape.xMax, 2.0);
        QCOMPARE(shape.outline.front(), QPointF(-2, 0));
        QCOMPARE(shape.outline[1], QPointF(-2, 1));
        QCOMPARE(shape.outline[2], QPointF(-1, 1));
        QCOMPARE(shape.outline[shape.outline.size() - 2], QPointF(2, 4));
        QCOMPARE(shape.outline.back(), QPointF(2, 0));
    }

    void titleShowsTheDistinctivePartOfTheName()
    {
        HistogramView view;
        view.resize(300, 200);
        view.show(); // resize events reach shown widgets
        view.setTitlePrefix(
            QStringLiteral("StatefulPartitionedCall/model/a_rather_long_block_name/"));
        const QString title
            = QStringLiteral("StatefulPartitionedCall/model/a_rather_long_block_name/"
                             "conv2d_7/Conv2D/ReadVariableOp: 1,024 values");
        view.setHistogram(title, { 1, 2 }, 0, 1);
        QCOMPARE(view.title(), title);
        const QString shown = view.chart()->title();
        QVERIFY2(shown.startsWith(QStringLiteral("…/conv2d_7"))
                && shown.endsWith(QStringLiteral(" values")),
            qPrintable(shown));
        view.resize(2000, 200); // room: the whole title
        QTRY_COMPARE(view.chart()->title(), title);
    }

    // Two series overlaid on one x axis spanning both ranges, with a legend; a single
    // histogram afterwards drops the second series and the legend.
    void overlaysTwoSeries()
    {
        HistogramView view;
        view.setHistograms(QStringLiteral("w in A and B"), {QStringLiteral("A: w"), {1, 3}, -1, 1},
                           {QStringLiteral("B: w"), {2, 2, 4}, 0, 3});
        QCOMPARE(view.seriesCount(), 2);
        QCOMPARE(view.seriesNames(), (QStringList{QStringLiteral("A: w"), QStringLiteral("B: w")}));
        QVERIFY(view.chart()->legend()->isVisible());
        QCOMPARE(view.xAxis()->min(), -1.0);
        QCOMPARE(view.xAxis()->max(), 3.0);
        QCOMPARE(view.yAxis()->max(), 4.0);
        QCOMPARE(view.outline()->points(), histogramShape({1, 3}, -1, 1).outline);
        QCOMPARE(view.secondOutline()->points(), histogramShape({2, 2, 4}, 0, 3).outline);

        view.setHistogram(QStringLiteral("w"), {1, 3}, -1, 1);
        QCOMPARE(view.seriesCount(), 1);
        QVERIFY(!view.chart()->legend()->isVisible());
        // A side without counts (a tensor added in B) is one plain histogram.
        view.setHistograms(QStringLiteral("w"), {QStringLiteral("A: w"), {}, 0, 0},
                           {QStringLiteral("B: w"), {5}, 0, 1});
        QCOMPARE(view.seriesCount(), 1);
        QCOMPARE(view.outline()->points(), histogramShape({5}, 0, 1).outline);
        view.showMessage(QStringLiteral("none"));
        QCOMPARE(view.seriesCount(), 0);
    }
};

QTEST_MAIN(TestHistogramView)
#include "tst_histogramview.moc"
