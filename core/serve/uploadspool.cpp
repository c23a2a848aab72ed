#include "uploadspool.h"

#include "io/spoolfile.h"
#include "router.h"

namespace tfjs {

namespace {

Error uploadError(int status, QString message)
{
    Error error(ErrorCode::Format, std::move(message));
    error.status = status;
    return error;
}

} // namespace

UploadSpool::UploadSpool(QString spoolFolder, qint64 jsonLimit)
    : m_folder(std::move(spoolFolder)), m_jsonLimit(jsonLimit)
{
}

UploadSpool::~UploadSpool() = default;

Result<void> UploadSpool::add(const QByteArray &name, quint64 offset, const char *data, qint64 size)
{
    const bool json = name == kModelJsonName;
    if (!json && name != kWeightsName)
        return fail(uploadError(400, QStringLiteral("The upload has a part '%1'; TF.js sends only "
                                                    "'model.json' and 'model.weights.bin'.")
                                         .arg(QString::fromUtf8(name))));
    const bool seen = json ? m_hasJson : m_weights != nullptr;
    const qint64 had = json ? m_json.size() : m_weightsSize;
    if (seen && offset == 0)
        return fail(uploadError(400, QStringLiteral("The upload has the part '%1' twice.")
                                         .arg(QString::fromUtf8(name))));
    if (qint64(offset) != had)
        return fail(uploadError(400, QStringLiteral("The part '%1' is not contiguous.")
                                         .arg(QString::fromUtf8(name))));
    if (json) {
        m_hasJson = true;
        if (m_json.size() + size > m_jsonLimit)
            return fail(uploadError(413, QStringLiteral("The part 'model.json' is larger than the "
                                                        "server's limit of %1 bytes.")
                                             .arg(m_jsonLimit)));
        m_json.append(data, size);
        return {};
    }
    if (!m_weights) {
        auto spool = SpoolFile::create(m_folder);
        if (!spool)
            return fail(spool.error());
        m_weights = std::move(*spool);
    }
    auto written = m_weights->writeAt(m_weightsSize, data, size);
    if (!written)
        return fail(written.error());
    m_weightsSize += size;
    return {};
}

Result<ModelArtifacts> UploadSpool::finish(const QString &where)
{
    if (!m_hasJson)
        return fail(uploadError(400, QStringLiteral("The upload has no 'model.json' part (TF.js's "
                                                    "http handler sends model.json and "
                                                    "model.weights.bin as multipart/form-data).")));
    const QString jsonWhere = where + QStringLiteral(" (part model.json)");
    auto json = parseJson(std::string_view(m_json.constData(), size_t(m_json.size())), jsonWhere);
    if (!json) {
        Error error = json.error();
        error.status = 400;
        return fail(error);
    }
    auto artifacts = artifactsFromModelJson(*json, jsonWhere);
    if (!artifacts) {
        Error error = artifacts.error();
        error.status = 400;
        return fail(error);
    }
    qint64 expected = 0;
    bool exact = true;
    for (const WeightSpec &spec : artifacts->weightSpecs.value_or(std::vector<WeightSpec>{})) {
        if (spec.byteSize() < 0)
            exact = false;
        else
            expected += spec.byteSize();
    }
    if ((exact && expected != m_weightsSize) || (!exact && m_weightsSize < expected)) {
        Error error = uploadError(400, QStringLiteral("The manifest of model.json describes %1%2 "
                                                      "bytes of weights, but the part "
                                                      "'model.weights.bin' has %3 bytes.")
                                           .arg(exact ? QString() : QStringLiteral("at least "))
                                           .arg(expected)
                                           .arg(m_weightsSize));
        error.code = ErrorCode::Weights;
        error.path = where;
        return fail(error);
    }
    artifacts->manifest.reset();
    if (m_weights)
        artifacts->weightData.appendSpool(m_weights, 0, m_weightsSize, QLatin1String(kWeightsName));
    return artifacts;
}

} // namespace tfjs
