#include "formatting.h"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace tfjs::ui {

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return {};
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString formatRate(double bytesPerSecond)
{
    if (!(bytesPerSecond > 0))
        return QStringLiteral("0 B/s");
    return formatBytes(qint64(bytesPerSecond)) + QStringLiteral("/s");
}

QString formatDate(const QDateTime &date)
{
    if (!date.isValid())
        return {};
    return date.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString formatShape(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (const std::int64_t dim : shape)
        dims << QString::number(dim);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString formatNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    if (value == std::trunc(value) && std::abs(value) < 1e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 5);
}

QString formatCount(qint64 count)
{
    QLocale locale = QLocale::c();
    locale.setNumberOptions({});
    return locale.toString(count);
}

} // namespace tfjs::ui

namespace tfjs::ui {

QString countOf(qint64 count, const QString &one, const QString &many)
{
    return formatCount(count) + QLatin1Char(' ') + (count == 1 ? one : many);
}

} // namespace tfjs::ui
