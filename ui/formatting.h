#pragma once

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <vector>

namespace tfjs::ui {

// "1.5 MiB", "812 B"; empty for a negative (unknown) size.
QString formatBytes(qint64 bytes);
// "12.3 MiB/s"
QString formatRate(double bytesPerSecond);
// Local time, "yyyy-MM-dd HH:mm"; empty for an invalid date.
QString formatDate(const QDateTime &date);
// "[3, 3, 16, 32]", "[] (scalar)"
QString formatShape(const std::vector<std::int64_t> &shape);
// A number for a table cell: integers as integers, others with 5 significant digits.
QString formatNumber(double value);
// "1,234,567"
QString formatCount(qint64 count);
// "1 model", "3 models" (English plurals without a translation file).
QString countOf(qint64 count, const QString &one, const QString &many);

} // namespace tfjs::ui
