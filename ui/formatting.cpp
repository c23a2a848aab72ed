#include "formatting.h"

#include <QFontMetrics>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <map>

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

QString commonPathPrefix(const QStringList &names)
{
    // The names under the most common first part ("StatefulPartitionedCall/…"), when they
    // are most of the names: a graph model's few "Const_3" or "unknown" do not count.
    std::map<QString, QStringList> groups;
    for (const QString &name : names) {
        if (const qsizetype slash = name.indexOf(QLatin1Char('/')); slash > 0)
            groups[name.left(slash)] << name;
    }
    const QStringList *largest = nullptr;
    for (const auto &[first, members] : groups) {
        if (!largest || members.size() > largest->size())
            largest = &members;
    }
    if (!largest || largest->size() < 2 || 2 * largest->size() <= names.size())
        return {};
    const QString &front = largest->front();
    qsizetype shared = front.size();
    for (const QString &name : *largest) {
        qsizetype i = 0;
        while (i < shared && i < name.size() && name[i] == front[i])
            ++i;
        shared = i;
    }
    return front.left(front.lastIndexOf(QLatin1Char('/'), shared - 1) + 1);
}

QString elideName(const QString &name, const QString &prefix, const QFontMetrics &metrics, int width)
{
    if (metrics.horizontalAdvance(name) <= width)
        return name;
    if (prefix.isEmpty() || !name.startsWith(prefix) || name.size() == prefix.size())
        return metrics.elidedText(name, Qt::ElideMiddle, width);
    const QString ellipsis = QStringLiteral("…/");
    const QString rest = name.mid(prefix.size());
    return ellipsis + metrics.elidedText(rest, Qt::ElideMiddle, std::max(0, width - metrics.horizontalAdvance(ellipsis)));
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
