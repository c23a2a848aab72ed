#include "cliprogress.h"

#include <cmath>

namespace tfjs::cli {

QString formatNumber(double value)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'g', 6);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    const char *units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

ProgressBar::ProgressBar(QTextStream &err) : m_err(err)
{
    m_timer.start();
}

void ProgressBar::update(const Progress &progress)
{
    constexpr int kWidth = 30;
    double fraction = -1;
    if (progress.bytesTotal > 0)
        fraction = double(progress.bytesDone) / double(progress.bytesTotal);
    else if (progress.itemsTotal > 0)
        fraction = double(progress.itemsDone) / double(progress.itemsTotal);
    QString line;
    if (fraction >= 0) {
        fraction = std::clamp(fraction, 0.0, 1.0);
        const int filled = int(fraction * kWidth);
        line = QStringLiteral("[%1%2] %3%")
                   .arg(QString(filled, QLatin1Char('#')), QString(kWidth - filled, QLatin1Char('-')))
                   .arg(int(fraction * 100), 3);
    }
    if (progress.bytesTotal > 0)
        line += QStringLiteral("  %1/%2").arg(formatBytes(progress.bytesDone),
                                              formatBytes(progress.bytesTotal));
    else if (progress.itemsTotal > 0)
        line += QStringLiteral("  %1/%2").arg(progress.itemsDone).arg(progress.itemsTotal);
    if (!progress.stage.isEmpty())
        line += QStringLiteral("  ") + progress.stage;
    const int width = int(line.size());
    if (width < m_lastWidth)
        line += QString(m_lastWidth - width, QLatin1Char(' '));
    m_lastWidth = width;
    m_err << '\r' << line;
    m_err.flush();
}

void ProgressBar::clear()
{
    if (m_lastWidth == 0)
        return;
    m_err << '\r' << QString(m_lastWidth, QLatin1Char(' ')) << '\r';
    m_err.flush();
    m_lastWidth = 0;
}

} // namespace tfjs::cli
