#pragma once

#include "base/job.h"

#include <QElapsedTimer>
#include <QTextStream>

namespace tfjs::cli {

// Draws one updating line on a terminal: "[#####-----]  45%  120.0/256.0 MiB  stage".
class ProgressBar
{
public:
    explicit ProgressBar(QTextStream &err);
    void update(const Progress &progress);
    void clear();

private:
    QTextStream &m_err;
    QElapsedTimer m_timer;
    int m_lastWidth = 0;
};

// "1.5 MiB", "812 B"
QString formatBytes(qint64 bytes);
// A number in 6 significant digits, "-" for NaN (no value).
QString formatNumber(double value);

} // namespace tfjs::cli
