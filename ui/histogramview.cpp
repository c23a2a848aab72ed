#include "histogramview.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace tfjs::ui {

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
    m_x = new QValueAxis(chart);
    m_y = new QValueAxis(chart);
    m_x->setLabelFormat(QStringLiteral("%.3g"));
    m_y->setLabelFormat(QStringLiteral("%d"));
    m_x->setTickCount(7);
    m_y->setTickCount(5);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_area->attachAxis(m_x);
    m_area->attachAxis(m_y);
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
    if (!(hi > lo)) { // a single value: draw one bar around it
        const double pad = lo == 0 ? 0.5 : std::abs(lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    QList<QPointF> points;
    points.reserve(qsizetype(counts.size()) * 2 + 2);
    const double width = (hi - lo) / double(counts.size());
    qint64 top = 0;
    points << QPointF(lo, 0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double x0 = lo + width * double(i);
        points << QPointF(x0, double(counts[i])) << QPointF(x0 + width, double(counts[i]));
        top = std::max(top, counts[i]);
    }
    points << QPointF(hi, 0);
    m_upper->replace(points);
    m_x->setRange(lo, hi);
    m_y->setRange(0, double(std::max<qint64>(top, 1)) * 1.05);
    m_y->setLabelFormat(top >= 100000 ? QStringLiteral("%.2g") : QStringLiteral("%d"));
    m_x->setVisible(true);
    m_y->setVisible(true);
    chart()->setTitle(title);
}

void HistogramView::showMessage(const QString &message)
{
    m_bins = 0;
    m_upper->clear();
    m_x->setVisible(false);
    m_y->setVisible(false);
    chart()->setTitle(message);
}

} // namespace tfjs::ui
