#include "httploader.h"

#include "httpsession.h"
#include "base/job.h"
#include "io/spoolfile.h"
#include "format/weightlayout.h"

#include <algorithm>
#include <functional>

namespace tfjs {

namespace {

constexpr qint64 kErrorBodyBytes = 64 << 10;

struct Shard
{
    QString label; // the manifest path
    QUrl url;
    qint64 size = -1; // Content-Length (HEAD, or GET up front), then the bytes received
    bool sized = false; // `size` is final
    qint64 offset = -1; // in the spool: known once every earlier shard is sized
    qint64 got = 0;
    QByteArray pending; // bytes that arrived before `offset` was known, or all without spool
    std::shared_ptr<SpoolFile> own; // a spool of its own, when too much was pending
    HttpResponseHead head;
    QByteArray errorBody;
};

// Puts the shards' bytes into one spool file in manifest order, as they arrive from several
// downloads at once. A shard's offset is the sum of the sizes before it, known as soon as
// those shards' Content-Lengths are: usually at once. Bytes that come before their offset is
// known wait in memory, up to kMaxPending per shard; past that in a spool file of the shard's
// own, copied to its place once the offset is known, so the result is one whole file a save
// can name. Without a spool every byte stays in memory.
class ShardPlacer
{
public:
    static constexpr qint64 kMaxPending = qint64(1) << 20;

    ShardPlacer(std::vector<Shard> &shards, std::shared_ptr<SpoolFile> spool)
        : m_shards(shards), m_spool(std::move(spool))
    { }

    Result<void> write(Shard &shard, const char *data, qint64 size)
    {
        const qint64 at = shard.got;
        shard.got += size;
        if (shard.own)
            return shard.own->writeAt(at, data, size);
        if (m_spool && shard.offset >= 0)
            return m_spool->writeAt(shard.offset + at, data, size);
        shard.pending.append(data, size);
        if (m_spool && shard.pending.size() > kMaxPending) {
            if (auto own = SpoolFile::create(m_spool->folder())) {
                shard.own = *own;
                auto written = shard.own->writeAt(0, shard.pending.constData(), shard.pending.size());
                shard.pending = QByteArray();
                return written;
            }
        }
        return {};
    }

    Result<void> setSize(Shard &shard, qint64 size)
    {
        shard.size = size;
        shard.sized = true;
        while (m_placed < m_shards.size()) {
            Shard &next = m_shards[m_placed];
            if (next.offset < 0) {
                next.offset = m_end;
                if (auto moved = moveIntoSpool(next); !moved)
                    return moved;
            }
            if (!next.sized)
                break;
            m_end += next.size;
            ++m_placed;
        }
        return {};
    }

    // A shard that just got its offset: what it holds so far goes to its place in the
    // spool, and so does the rest as it comes.
    Result<void> moveIntoSpool(Shard &shard)
    {
        if (!m_spool)
            return {};
        if (shard.own) {
            auto copied = shard.own->copyInto(*m_spool, shard.offset, shard.got);
            shard.own.reset();
            return copied;
        }
        if (shard.pending.isEmpty())
            return {};
        auto written = m_spool->writeAt(shard.offset, shard.pending.constData(), shard.pending.size());
        shard.pending = QByteArray();
        return written;
    }

    WeightData weightData()
    {
        WeightData data;
        for (Shard &shard : m_shards) {
            if (m_spool && !shard.own && shard.pending.isEmpty())
                data.appendSpool(m_spool, shard.offset, shard.size, shard.label);
            else
                data.appendBytes(std::move(shard.pending), shard.label);
        }
        return data;
    }

private:
    std::vector<Shard> &m_shards;
    std::shared_ptr<SpoolFile> m_spool;
    std::size_t m_placed = 0; // shards before this one have an offset and a final size
    qint64 m_end = 0; // where m_shards[m_placed] starts
};

bool isHtml(const HttpResponseHead &head)
{
    return head.contentType.toLower().contains("text/html");
}

bool looksLikeHtml(const QByteArray &body)
{
    const QByteArray start = body.left(512).trimmed().toLower();
    return start.startsWith("<!doctype html") || start.startsWith("<html")
        || start.startsWith("<head") || start.startsWith("<body") || start.startsWith("<!--");
}

Error httpError(
    ErrorCode code, const QString &message, const QUrl &url, int status, const QString &excerpt)
{
    Error error { code, message };
    error.url = displayUrl(url);
    error.status = status;
    if (!excerpt.isEmpty())
        error.detail = QStringLiteral("Response body: %1").arg(excerpt);
    return error;
}

QString statusText(const HttpResponseHead &head)
{
    return head.reason.isEmpty()
        ? QString::number(head.status)
        : QStringLiteral("%1 (%2)").arg(head.status).arg(QString::fromLatin1(head.reason));
}

// Downloads (or HEADs) the shards, `maxParallel` at a time.
Result<void> fetchShards(HttpSession &session, std::vector<Shard> &shards, ShardPlacer &placer,
    bool headOnly, qint64 need, bool exact, const HttpOptions &http, JobContext &ctx,
    const SecretScrubber &scrubber)
{
    std::size_t next = 0;
    qint64 received = 0;
    std::function<void()> startNext = [&] {
        if (next >= shards.size())
            return;
        Shard &shard = shards[next++];
        HttpRequest request;
        request.method = headOnly ? QByteArrayLiteral("HEAD") : QByteArrayLiteral("GET");
        request.url = shard.url;
        request.what = QStringLiteral("weight file '%1'").arg(shard.label);
        request.identity = true; // sizes known up front; weights hardly compress anyway
        request.shard = shard.label;
        HttpSession::Handlers handlers;
        handlers.head = [&, s = &shard](const HttpResponseHead &head) -> Result<void> {
            s->head = head;
            if (!head.isSuccess())
                return {};
            if (isHtml(head)) {
                Error error = httpError(ErrorCode::Weights,
                    QStringLiteral("The server answered %1 for weight file "
                                   "'%2' with an HTML page (Content-Type: %3) "
                                   "instead of weight bytes.")
                        .arg(displayUrl(s->url), s->label, QString::fromLatin1(head.contentType)),
                    s->url, head.status, {});
                error.shard = s->label;
                return fail(error);
            }
            if (head.contentEncoded && !headOnly) {
                // Asked for the bytes as stored: encoded bytes taken as weights would be wrong
                // weights (or a wrong size blamed on another shard).
                Error error = httpError(ErrorCode::Weights,
                    QStringLiteral("The server sent weight file '%1' at %2 encoded "
                                   "(Content-Encoding: %3) although the request asked for "
                                   "its bytes as stored (Accept-Encoding: identity); "
                                   "encoded shards are not decoded. Serve the file "
                                   "without compression.")
                        .arg(s->label, displayUrl(s->url),
                             QString::fromLatin1(head.contentEncoding)),
                    s->url, head.status, {});
                error.shard = s->label;
                return fail(error);
            }
            const qint64 length = head.contentEncoded ? -1 : head.contentLength;
            if (headOnly) {
                s->size = length;
                return {};
            }
            if (exact && length > need) {
                Error error = httpError(ErrorCode::Weights,
                    QStringLiteral("Weight file '%1' at %2 is %3 bytes, more "
                                   "than the %4 bytes all the weight specs "
                                   "need.")
                        .arg(s->label, displayUrl(s->url))
                        .arg(length)
                        .arg(need),
                    s->url, head.status, {});
                error.shard = s->label;
                return fail(error);
            }
            return length >= 0 ? placer.setSize(*s, length) : Result<void>();
        };
        handlers.data = [&, s = &shard](const char *data, qint64 size) -> Result<void> {
            if (!s->head.isSuccess()) {
                if (s->errorBody.size() < kErrorBodyBytes)
                    s->errorBody.append(
                        data, std::min(size, kErrorBodyBytes - s->errorBody.size()));
                return {};
            }
            received += size;
            if (exact && received > need) {
                Error error = httpError(ErrorCode::Weights,
                    QStringLiteral("The weight files hold more than the %1 "
                                   "bytes the weight specs need (noticed "
                                   "while reading '%2' from %3).")
                        .arg(need)
                        .arg(s->label, displayUrl(s->url)),
                    s->url, s->head.status, {});
                error.shard = s->label;
                return fail(error);
            }
            ctx.addBytes(size);
            return placer.write(*s, data, size);
        };
        handlers.done = [&, s = &shard](const HttpResponseHead &head, qint64) -> Result<void> {
            const bool unsupportedHead = headOnly && (head.status == 405 || head.status == 501);
            if (!head.isSuccess() && !unsupportedHead) {
                Error error = httpError(ErrorCode::Http,
                    QStringLiteral("Request to %1 for weight file '%2' failed "
                                   "with status code %3.")
                        .arg(displayUrl(s->url), s->label, statusText(head)),
                    s->url, head.status, bodyExcerpt(s->errorBody, scrubber));
                error.shard = s->label;
                return fail(error);
            }
            if (!headOnly) {
                if (auto placed = placer.setSize(*s, s->got); !placed)
                    return placed;
            }
            ctx.addItems(1);
            startNext();
            return {};
        };
        session.start(std::move(request), std::move(handlers));
    };
    for (int i = 0; i < std::max(1, http.maxParallel); ++i)
        startNext();
    return session.run();
}

} // namespace

Result<ModelArtifacts> loadModelOverHttp(
    const QString &url, const HttpOptions &http, JobContext &ctx, const LoadOptions &options)
{
    auto parsed = parseHttpUrl(url, QStringLiteral("a model JSON"));
    if (!parsed)
        return fail(parsed.error());
    const QUrl modelUrl = *parsed;
    const QString shown = displayUrl(modelUrl);
    SecretScrubber scrubber(http, modelUrl);

    // 1. The model JSON.
    ctx.setStage(QStringLiteral("Downloading model JSON"), 0);
    QByteArray body;
    HttpResponseHead head;
    HttpSession session(http, ctx, scrubber); // one connection pool for the JSON and shards
    {
        HttpRequest request;
        request.url = modelUrl;
        request.what = QStringLiteral("the model JSON");
        HttpSession::Handlers handlers;
        const auto tooBig = [&](qint64 size) {
            return httpError(ErrorCode::Format,
                QStringLiteral("The model JSON at %1 is %2 bytes or more; model "
                               "JSON files over %3 bytes are refused.")
                    .arg(shown)
                    .arg(size)
                    .arg(http.maxJsonBytes),
                modelUrl, head.status, {});
        };
        handlers.head = [&](const HttpResponseHead &h) -> Result<void> {
            head = h;
            if (h.isSuccess() && !h.contentEncoded && h.contentLength > http.maxJsonBytes)
                return fail(tooBig(h.contentLength));
            return {};
        };
        handlers.data = [&](const char *data, qint64 size) -> Result<void> {
            if (!head.isSuccess()) {
                if (body.size() < kErrorBodyBytes)
                    body.append(data, std::min(size, kErrorBodyBytes - body.size()));
                return {};
            }
            if (body.size() + size > http.maxJsonBytes)
                return fail(tooBig(body.size() + size));
            body.append(data, size);
            ctx.addBytes(size);
            return {};
        };
        handlers.done = [&](const HttpResponseHead &h, qint64) -> Result<void> {
            head = h;
            return {};
        };
        session.start(std::move(request), std::move(handlers));
        if (auto ran = session.run(); !ran)
            return fail(ran.error());
    }
    if (!head.isSuccess())
        return fail(httpError(ErrorCode::Http,
            QStringLiteral("Request to %1 failed with status code %2. Please "
                           "verify this URL points to the model JSON of the "
                           "model to load.")
                .arg(shown, statusText(head)),
            modelUrl, head.status, bodyExcerpt(body, scrubber)));
    auto json = parseJson(std::string_view(body.constData(), std::size_t(body.size())), shown);
    if (!json) {
        if (isHtml(head) || looksLikeHtml(body))
            return fail(httpError(ErrorCode::Format,
                QStringLiteral("The server answered %1 with an HTML page "
                               "(Content-Type: %2) instead of the model JSON. "
                               "Please verify this URL points to the model "
                               "JSON of the model to load.")
                    .arg(shown,
                        head.contentType.isEmpty() ? QStringLiteral("none")
                                                   : QString::fromLatin1(head.contentType)),
                modelUrl, head.status, bodyExcerpt(body, scrubber)));
        Error error = json.error();
        error.message = QStringLiteral("Failed to parse model JSON of response from %1. Please "
                                       "make sure the server is serving valid JSON for this "
                                       "request. %2")
                            .arg(shown, error.message);
        error.url = shown;
        error.path.clear();
        return fail(error);
    }
    auto artifacts = artifactsFromModelJson(*json, shown);
    if (!artifacts) {
        Error error = artifacts.error();
        if (error.path == shown)
            error.path.clear();
        error.url = shown;
        return fail(error);
    }
    artifacts->jsonText = body;
    if (!artifacts->manifest)
        return artifacts;

    // 2. The shards: TF.js's URLs, in manifest order.
    if (!http.weightPathPrefix.isEmpty()) {
        if (auto prefix
            = parseHttpUrl(http.weightPathPrefix, QStringLiteral("the weight path prefix"));
            !prefix)
            return fail(prefix.error());
    }
    const ModelUrlParts parts = splitModelUrl(modelUrl.toString(QUrl::FullyEncoded));
    std::vector<Shard> shards;
    for (const WeightsGroup &group : *artifacts->manifest) {
        for (const std::string &path : group.paths) {
            Shard shard;
            shard.label = QString::fromStdString(path);
            shard.url = shardUrl(parts, http.weightPathPrefix, path);
            const QString scheme = shard.url.scheme().toLower();
            if (!shard.url.isValid()
                || (scheme != QStringLiteral("http") && scheme != QStringLiteral("https"))) {
                Error error { ErrorCode::Format,
                    QStringLiteral("Weight path '%1' in %2 does not give an http(s) URL.")
                        .arg(shard.label, shown) };
                error.url = shown;
                error.shard = shard.label;
                return fail(error);
            }
            shards.push_back(std::move(shard));
        }
    }
    qint64 need = 0;
    bool exact = true;
    for (const WeightSpec &spec : *artifacts->weightSpecs) {
        const qint64 size = spec.byteSize();
        if (size < 0)
            exact = false; // string tensors: only known by reading
        else
            need += size;
    }

    const bool headOnly = !options.weights;
    ctx.setStage(
        headOnly ? QStringLiteral("Checking weight files") : QStringLiteral("Downloading weights"),
        headOnly || !exact ? 0 : need, int(shards.size()));
    std::shared_ptr<SpoolFile> spool;
    if (!headOnly) {
        // Weights go to an unnamed file, not memory; only if none can be made, to memory.
        auto made = SpoolFile::create(options.spoolFolder);
        if (!made && !options.spoolFolder.isEmpty())
            made = SpoolFile::create();
        if (made)
            spool = *made;
    }
    ShardPlacer placer(shards, spool);
    if (auto fetched
        = fetchShards(session, shards, placer, headOnly, need, exact, http, ctx, scrubber);
        !fetched)
        return fail(fetched.error());

    WeightData data;
    if (headOnly) {
        const bool allKnown
            = std::all_of(shards.begin(), shards.end(), [](const Shard &s) { return s.size >= 0; });
        if (!allKnown)
            return artifacts; // sizes unknown: nothing to describe or check
        for (Shard &shard : shards)
            data.appendFile(displayUrl(shard.url), 0, shard.size, shard.label);
    } else {
        data = placer.weightData();
    }
    // Downloaded weights are checked as every load checks them; for `info` (sizes from HEAD,
    // no bytes) only what the sizes tell.
    const auto check = [&]() -> Result<void> {
        if (headOnly)
            return checkWeightSizes(*artifacts->weightSpecs, data, shown);
        auto laid = checkWeightLayout(*artifacts->weightSpecs, data, shown, &ctx);
        return laid ? Result<void>{} : fail(laid.error());
    };
    if (auto checked = check(); !checked) {
        Error error = checked.error();
        error.path.clear();
        error.url = shown;
        return fail(error);
    }
    artifacts->weightData = std::move(data);
    return artifacts;
}

} // namespace tfjs
