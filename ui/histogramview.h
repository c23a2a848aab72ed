#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <vector>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace tfjs::ui {

// The count axis of a histogram: integer ticks 0, step, 2·step, … max, with step a 1, 2 or 5
// times a power of ten, max ≥ the largest count, and at most `maxTicks` ticks.
struct CountAxis
{
    qint64 max = 1;
    qint64 step = 1;
    int ticks = 2;
};
CountAxis niceCountAxis(qint64 largest, int maxTicks = 6);

// The outline of the bars of `counts` over [lo, hi] (equal-width bins), and the x range to show.
// A single value (lo == hi) is one bar centred on it, in a range centred on it.
struct HistogramShape
{
    QList<QPointF> outline;
    double xMin = 0;
    double xMax = 0;
};
HistogramShape histogramShape(const std::vector<qint64> &counts, double lo, double hi);

// One histogram of an overlay: bin counts over [lo, hi], named in the legend.
struct HistogramSeries
{
    QString name;
    std::vector<qint64> counts;
    double lo = 0;
    double hi = 0;
};

// A histogram drawn with Qt Charts: bin counts over [lo, hi], as a stepped filled area.
// The title is elided to the view's width with elideName() (a prefix all tensor names share
// becomes "…/").
class HistogramView final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistogramView)

public:
    explicit HistogramView(QWidget *parent = nullptr);

    void setHistogram(const QString &title, const std::vector<qint64> &counts, double lo, double hi);
    // Two histograms overlaid (translucent, in two colours, with a legend) on one x axis
    // spanning both ranges; a series without counts is left out.
    void setHistograms(const QString &title, const HistogramSeries &a, const HistogramSeries &b);
    void showMessage(const QString &message); // no data: a title only
    void setTitlePrefix(const QString &prefix);
    int binCount() const { return m_bins; }
    QString title() const { return m_title; }
    QValueAxis *yAxis() const { return m_y; }
    QValueAxis *xAxis() const { return m_x; }
    QLineSeries *outline() const { return m_upper; }
    QLineSeries *secondOutline() const { return m_upperB; }
    // The series drawn (0 when a message is shown).
    int seriesCount() const;
    QStringList seriesNames() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showTitle();
    void showAxes(double xMin, double xMax, qint64 largest);

    QLineSeries *m_upper = nullptr;
    QAreaSeries *m_area = nullptr;
    QLineSeries *m_upperB = nullptr; // the overlay's second series
    QAreaSeries *m_areaB = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QString m_title;
    QString m_prefix;
    int m_bins = 0;
};

} // namespace tfjs::ui
