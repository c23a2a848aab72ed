#include "sha256.h"

#include <openssl/evp.h>

namespace tfjs {

void Sha256::Free::operator()(EVP_MD_CTX *ctx) const
{
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new())
{
    m_ok = m_ctx && EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) == 1;
}

Sha256::~Sha256() = default;

void Sha256::addData(const char *data, qint64 size)
{
    if (size > 0 && m_ok)
        m_ok = EVP_DigestUpdate(m_ctx.get(), data, std::size_t(size)) == 1;
}

QByteArray Sha256::result()
{
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int size = 0;
    m_ok = m_ok
        && EVP_DigestFinal_ex(m_ctx.get(), reinterpret_cast<unsigned char *>(digest.data()), &size)
            == 1;
    if (!m_ok)
        return {};
    digest.resize(size);
    return digest;
}

QByteArray Sha256::hash(const QByteArray &data)
{
    Sha256 sha;
    sha.addData(data.constData(), data.size());
    return sha.result();
}

} // namespace tfjs
