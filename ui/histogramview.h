#pragma once

#include <QChartView>

#include <vector>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace tfjs::ui {

// A histogram drawn with Qt Charts: bin counts over [lo, hi], as a stepped filled area.
class HistogramView final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistogramView)

public:
    explicit HistogramView(QWidget *parent = nullptr);

    void setHistogram(const QString &title, const std::vector<qint64> &counts, double lo, double hi);
    void showMessage(const QString &message); // no data: a title only
    int binCount() const { return m_bins; }

private:
    QLineSeries *m_upper = nullptr;
    QAreaSeries *m_area = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    int m_bins = 0;
};

} // namespace tfjs::ui
