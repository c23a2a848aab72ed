#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

class QFontMetrics;

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
// The longest "/"-ending prefix that most names share ("StatefulPartitionedCall/model/" of a
// converted graph model, whose few "Const_3" or "unknown" do not count): the common prefix
// of the names under the most frequent first part, when they are more than half of the names
// (at least two). Empty otherwise.
QString commonPathPrefix(const QStringList &names);
// `name` shortened to `width` pixels so that rows sharing `prefix` stay apart: unchanged when
// it fits; else the shared prefix becomes "…/" (tensor names of converted graph models all
// start alike, so eliding at the right would show the same text in every row); what still
// does not fit is elided in the middle, keeping the start of the distinctive part and the end.
QString elideName(const QString &name, const QString &prefix, const QFontMetrics &metrics, int width);
// "1,234,567"
QString formatCount(qint64 count);
// "1 model", "3 models" (English plurals without a translation file).
QString countOf(qint64 count, const QString &one, const QString &many);

} // namespace tfjs::ui
