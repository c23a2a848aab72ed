#include "servedversions.h"

#include <QRandomGenerator>

namespace tfjs {

ServedVersions::ServedVersions(int capacity, qint64 keepMs)
    : m_capacity(capacity), m_keepMs(keepMs)
{
    m_clock.start();
}

QString ServedVersions::remember(QString weightsHash)
{
    const QString tag = QString::number(QRandomGenerator::system()->generate64(), 16)
                            .rightJustified(16, QLatin1Char('0'));
    const std::lock_guard lock(m_mutex);
    dropExpired();
    while (int(m_kept.size()) >= m_capacity)
        m_kept.pop_front();
    m_kept.push_back({tag, m_clock.elapsed(), std::move(weightsHash)});
    return tag;
}

std::optional<QString> ServedVersions::find(const QString &tag)
{
    const std::lock_guard lock(m_mutex);
    dropExpired();
    for (const Kept &kept : m_kept) {
        if (kept.tag == tag)
            return kept.weightsHash;
    }
    return std::nullopt;
}

void ServedVersions::dropExpired()
{
    const qint64 now = m_clock.elapsed();
    while (!m_kept.empty() && now - m_kept.front().keptAtMs >= m_keepMs)
        m_kept.pop_front();
}

} // namespace tfjs
