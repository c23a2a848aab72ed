#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

// OpenSSL's digest context, declared as <openssl/types.h> does (its header stays in the .cpp).
struct evp_md_ctx_st;
using EVP_MD_CTX = evp_md_ctx_st;

namespace tfjs {

// SHA-256 through OpenSSL's EVP digest interface (libcrypto), used to name the store's
// content-addressed weight blobs. Streaming: addData() any number of times, then result()
// once.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(const char *data, qint64 size);
    // The 32-byte digest; empty if OpenSSL failed (it does not for SHA-256 short of running
    // out of memory). The object must not be fed afterwards.
    QByteArray result();
    QString hexResult() { return QString::fromLatin1(result().toHex()); }

    static QByteArray hash(const QByteArray &data);

private:
    struct Free
    {
        void operator()(EVP_MD_CTX *ctx) const;
    };
    std::unique_ptr<EVP_MD_CTX, Free> m_ctx;
    bool m_ok = false;
};

} // namespace tfjs
