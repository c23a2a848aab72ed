#include "httpuploader.h"

#include "httpsession.h"
#include "base/job.h"
#include "format/weightlayout.h"

#include <QFileInfo>

#include <optional>

namespace tfjs {

namespace {

constexpr qint64 kMaxResponseBytes = qint64(16) << 20;
constexpr const char *kWeightsPath = "./model.weights.bin";

// Fails early, before connecting, when a weight file is missing or shorter than described.
Result<void> checkSegments(const WeightData &data)
{
    for (const WeightData::Segment &segment : data.segments()) {
        if (segment.file.isEmpty())
            continue;
        const QFileInfo info(segment.file);
        if (!info.isFile())
            return fail(WeightData::readError(segment, segment.offset,
                QStringLiteral("it does not exist")));
        if (info.size() < segment.offset + segment.size)
            return fail(WeightData::readError(segment, info.size(),
                QStringLiteral("it is %1 bytes, %2 expected")
                    .arg(info.size())
                    .arg(segment.offset + segment.size)));
    }
    return {};
}

} // namespace

std::vector<MultipartBody::Part> uploadParts(const ModelArtifacts &artifacts)
{
    const Json json
        = modelJson(artifacts, singleGroupManifest(artifacts, kWeightsPath), JsonLayout::Browser);
    const std::string text = stringify(json);
    std::vector<MultipartBody::Part> parts;
    parts.push_back({ QByteArrayLiteral("model.json"), QByteArrayLiteral("model.json"),
        QByteArrayLiteral("application/json"),
        WeightData::fromBytes(QByteArray(text.data(), qsizetype(text.size()))) });
    if (artifacts.weightSpecs)
        parts.push_back(
            { QByteArrayLiteral("model.weights.bin"), QByteArrayLiteral("model.weights.bin"),
                QByteArrayLiteral("application/octet-stream"), artifacts.weightData });
    return parts;
}

Result<SaveResult> uploadModelOverHttp(
    const QString &url, const ModelArtifacts &artifacts, const HttpOptions &http, JobContext &ctx)
{
    auto parsed = parseHttpUrl(url, QStringLiteral("an upload"));
    if (!parsed)
        return fail(parsed.error());
    const QUrl target = *parsed;
    const QString shown = displayUrl(target);
    if (http.uploadMethod.isEmpty() || http.uploadMethod == "GET" || http.uploadMethod == "HEAD") {
        Error error { ErrorCode::InvalidArgument,
            QStringLiteral("Cannot upload with method '%1': a request body needs a method "
                           "such as POST or PUT.")
                .arg(QString::fromLatin1(http.uploadMethod)) };
        error.url = shown;
        return fail(error);
    }
    if (auto ok = checkSegments(artifacts.weightData); !ok)
        return fail(ok.error());
    if (auto checked = checkWeightLayout(artifacts, &ctx); !checked)
        return fail(checked.error());

    MultipartBody body(MultipartBody::makeBoundary(), uploadParts(artifacts));
    SecretScrubber scrubber(http, target);
    HttpSession session(http, ctx, scrubber);
    ctx.setStage(QStringLiteral("Uploading to %1").arg(target.host()), body.size());

    HttpRequest request;
    request.method = http.uploadMethod;
    request.url = target;
    request.body = &body;
    request.contentType = body.contentType();
    request.what = QStringLiteral("the model upload");
    HttpResponseHead head;
    QByteArray response;
    qint64 reported = 0;
    HttpSession::Handlers handlers;
    handlers.uploadProgress = [&](qint64 sent, qint64) {
        if (sent > reported) {
            ctx.addBytes(sent - reported);
            reported = sent;
        }
    };
    handlers.head = [&](const HttpResponseHead &h) -> Result<void> {
        head = h;
        return {};
    };
    handlers.data = [&](const char *data, qint64 size) -> Result<void> {
        if (response.size() < kMaxResponseBytes)
            response.append(data, std::min(size, kMaxResponseBytes - response.size()));
        return {};
    };
    handlers.done = [&](const HttpResponseHead &h, qint64) -> Result<void> {
        head = h;
        return {};
    };
    std::optional<Error> readError; // the first; the transfer stops with a vaguer error
    QObject::connect(&body, &MultipartBody::readFailed, &body, [&readError](const Error &error) {
        if (!readError)
            readError = error;
    });
    session.start(std::move(request), std::move(handlers));
    auto ran = session.run();
    if (readError)
        return fail(*readError); // the real cause of a transfer that stopped
    if (!ran)
        return fail(ran.error());
    if (!head.isSuccess()) {
        QString status = QString::number(head.status);
        if (!head.reason.isEmpty())
            status += QStringLiteral(" (%1)").arg(QString::fromLatin1(head.reason));
        Error error { ErrorCode::Http,
            head.location.isEmpty()
                ? QStringLiteral("Saving to %1 failed due to HTTP response status %2.")
                      .arg(shown, status)
                : QStringLiteral(
                    "Saving to %1 failed due to HTTP response status %2, a redirect to "
                    "%3: the model was not delivered (an upload follows only 307 and "
                    "308 redirects, which keep its body).")
                      .arg(shown, status, displayUrl(head.location)) };
        error.url = shown;
        error.status = head.status;
        const QString excerpt = bodyExcerpt(response, scrubber, 4000);
        if (!excerpt.isEmpty())
            error.detail = QStringLiteral("Response body: %1").arg(excerpt);
        return fail(error);
    }
    SaveResult result;
    result.modelArtifactsInfo = artifactsInfo(artifacts); // after the request, as TF.js
    result.files = { shown };
    result.httpStatus = head.status;
    result.responseBody = response;
    return result;
}

} // namespace tfjs
