#pragma once

#include <QElapsedTimer>
#include <QString>

#include <deque>
#include <mutex>
#include <optional>

namespace tfjs {

// The versions of models whose model.json the server has just given out, so the weights GET
// that follows gets the weights that model.json describes even when the model is replaced in
// between. model.json names its weights `model.weights.<tag>.bin` (router.h); the tag finds
// the hash of those weights here (LoadOptions::weightsHash loads them while the store holds
// them). Only the hash is kept: a model's topology can take hundreds of MB once parsed. Kept for
// `keepMs` and at most `capacity` at a time, the oldest dropped first. Thread-safe.
class ServedVersions
{
public:
    explicit ServedVersions(int capacity = 16, qint64 keepMs = 10 * 60 * 1000);

    // Keeps `weightsHash` and returns its tag: 16 random hex digits.
    QString remember(QString weightsHash);
    // The weights' hash kept under `tag`, unless it has expired or was dropped.
    std::optional<QString> find(const QString &tag);

private:
    struct Kept
    {
        QString tag;
        qint64 keptAtMs = 0;
        QString weightsHash;
    };
    void dropExpired();

    const int m_capacity;
    const qint64 m_keepMs;
    QElapsedTimer m_clock;
    std::mutex m_mutex;
    std::deque<Kept> m_kept; // oldest first
};

} // namespace tfjs
