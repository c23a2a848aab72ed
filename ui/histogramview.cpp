#include "histogramview.h"

#include "formatting.h"

#include <QAreaSeries>
#include <QChart>
#include <QFontMetrics>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace tfjs::ui {

CountAxis niceCountAxis(qint64 largest, int maxTicks)
{
    maxTicks = std::max(maxTicks, 2);
    largest = std::max<qint64>(largest, 1);
    CountAxis axis;
    // The smallest 1-2-5 step that covers `largest` in maxTicks - 1 intervals.
    for (qint64 decade = 1;; decade *= 10) {
        for (const qint64 factor : {1, 2, 5}) {
            const qint64 step = factor * decade;
            const qint64 intervals = (largest + step - 1) / step;
            if (intervals <= maxTicks - 1) {
                axis.step = step;
                axis.max = intervals * step;
                axis.ticks = int(intervals) + 1;
                return axis;
            }
        }
    }
}

HistogramShape histogramShape(const std::vector<qint64> &counts, double lo, double hi)
{
    HistogramShape shape;
    if (counts.empty())
        return shape;
    if (!(hi > lo)) {
        // A single value: every finite value is in bin 0. One bar a tenth of the range wide,
        // centred on the value, in a range centred on it.
        qint64 total = 0;
        for (const qint64 count : counts)
            total += count;
        const double pad = lo == 0 ? 0.5 : std::abs(lo) * 0.05;
        shape.xMin = lo - pad;
        shape.xMax = lo + pad;
        shape.outline << QPointF(lo - pad / 10, 0) << QPointF(lo - pad / 10, double(total))
                      << QPointF(lo + pad / 10, double(total)) << QPointF(lo + pad / 10, 0);
        return shape;
    }
    shape.xMin = lo;
    shape.xMax = hi;
    const double width = (hi - lo) / double(counts.size());
    shape.outline.reserve(qsizetype(counts.size()) * 2 + 2);
    shape.outline << QPointF(lo, 0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double x0 = lo + width * double(i);
        const double x1 = i + 1 == counts.size() ? hi : x0 + width;
        shape.outline << QPointF(x0, double(counts[i])) << QPointF(x1, double(counts[i]));
    }
    shape.outline << QPointF(hi, 0);
    return shape;
}

HistogramView::HistogramView(QWidget *parent) : QChartView(parent)
{
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_upper = new QLineSeries(chart);
    m_area = new QAreaSeries(m_upper);
    m_area->setColor(QColor(0x3b, 0x7d, 0xd8));
    m_area->setBorderColor(QColor(0x1f, 0x4f, 0x96));
    chart->addSeries(m_area);
    m_upperB = new QLineSeries(chart);
    m_areaB = new QAreaSeries(m_upperB);
    m_areaB->setColor(QColor(0xe8, 0x7a, 0x1e, 110));
    m_areaB->setBorderColor(QColor(0xb0, 0x55, 0x0c));
    chart->addSeries(m_areaB);
    chart->legend()->setAlignment(Qt::AlignTop);
    m_x = new QValueAxis(chart);
    m_y = new QValueAxis(chart);
    m_x->setLabelFormat(QStringLiteral("%.3g"));
    // Ticks are whole numbers (niceCountAxis); %.0f rounds where %d would truncate 299.9999.
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setTickCount(7);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_area->attachAxis(m_x);
    m_area->attachAxis(m_y);
    m_areaB->attachAxis(m_x);
    m_areaB->attachAxis(m_y);
    // setChart() hands back the view's default chart without deleting it.
    QChart *unused = QChartView::chart();
    setChart(chart);
    delete unused;
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    showMessage(tr("Select a tensor to see its histogram"));
}

void HistogramView::setHistogram(const QString &title, const std::vector<qint64> &counts,
                                 double lo, double hi)
{
    m_bins = int(counts.size());
    if (counts.empty()) {
        showMessage(title);
        return;
    }
    const HistogramShape shape = histogramShape(counts, lo, hi);
    m_upper->replace(shape.outline);
    m_upperB->clear();
    m_area->setColor(QColor(0x3b, 0x7d, 0xd8));
    chart()->legend()->hide();
    showAxes(shape.xMin, shape.xMax, *std::max_element(counts.begin(), counts.end()));
    m_title = title;
    showTitle();
}

void HistogramView::setHistograms(const QString &title, const HistogramSeries &a,
                                  const HistogramSeries &b)
{
    if (a.counts.empty() || b.counts.empty()) {
        const HistogramSeries &one = a.counts.empty() ? b : a;
        setHistogram(title, one.counts, one.lo, one.hi);
        return;
    }
    m_bins = int(std::max(a.counts.size(), b.counts.size()));
    const HistogramShape first = histogramShape(a.counts, a.lo, a.hi);
    const HistogramShape second = histogramShape(b.counts, b.lo, b.hi);
    m_upper->replace(first.outline);
    m_upperB->replace(second.outline);
    m_area->setColor(QColor(0x3b, 0x7d, 0xd8, 110)); // translucent: B shows through
    m_area->setName(a.name);
    m_areaB->setName(b.name);
    chart()->legend()->show();
    const qint64 largest = std::max(*std::max_element(a.counts.begin(), a.counts.end()),
                                    *std::max_element(b.counts.begin(), b.counts.end()));
    showAxes(std::min(first.xMin, second.xMin), std::max(first.xMax, second.xMax), largest);
    m_title = title;
    showTitle();
}

int HistogramView::seriesCount() const
{
    return (m_upper->count() > 0 ? 1 : 0) + (m_upperB->count() > 0 ? 1 : 0);
}

QStringList HistogramView::seriesNames() const
{
    QStringList names;
    for (const QAreaSeries *series : {m_area, m_areaB})
        if (series->upperSeries()->count() > 0)
            names << series->name();
    return names;
}

void HistogramView::showAxes(double xMin, double xMax, qint64 largest)
{
    m_x->setRange(xMin, xMax);
    const CountAxis axis = niceCountAxis(largest);
    m_y->setRange(0, double(axis.max));
    m_y->setTickCount(axis.ticks);
    m_x->setVisible(true);
    m_y->setVisible(true);
}

void HistogramView::showMessage(const QString &message)
{
    m_bins = 0;
    m_upper->clear();
    m_upperB->clear();
    chart()->legend()->hide();
    m_x->setVisible(false);
    m_y->setVisible(false);
    m_title = message;
    showTitle();
}

void HistogramView::setTitlePrefix(const QString &prefix)
{
    m_prefix = prefix;
    showTitle();
}

void HistogramView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    showTitle();
}

void HistogramView::showTitle()
{
    const QFontMetrics metrics(chart()->titleFont());
    chart()->setTitle(elideName(m_title, m_prefix, metrics, std::max(40, width() - 24)));
}

} // namespace tfjs::ui
