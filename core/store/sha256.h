#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>

namespace tfjs {

// SHA-256 (FIPS 180-4), used to name the store's content-addressed weight blobs. Uses the x86
// SHA extensions when the CPU has them (about 40x faster than QCryptographicHash in Qt 6.4,
// which matters when a 1 GiB model is hashed while it is saved), portable code otherwise.
class Sha256
{
public:
    Sha256();

    void addData(const char *data, qint64 size);
    // The digest; the object must not be fed afterwards.
    QByteArray result();
    QString hexResult() { return QString::fromLatin1(result().toHex()); }

    static QByteArray hash(const QByteArray &data);
    // True when the hardware path is used (for the benchmark's report).
    static bool isAccelerated();

private:
    std::array<std::uint32_t, 8> m_state;
    std::array<unsigned char, 64> m_block{};
    std::size_t m_blockFill = 0;
    std::uint64_t m_length = 0;
};

} // namespace tfjs
