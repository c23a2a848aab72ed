#include "modelendpoints.h"

#include "base/job.h"
#include "handlers/modelmanager.h"
#include "router.h"
#include "schemes/schemes.h"
#include "uploadspool.h"

#include <QDir>

#include <openssl/crypto.h>

namespace tfjs {

namespace {


Error statusError(int status, QString message)
{
    Error error(status == 409 ? ErrorCode::Exists : ErrorCode::InvalidArgument, std::move(message));
    error.status = status;
    return error;
}

Json savedJson(const QString &url, const ModelArtifactsInfo &info)
{
    return Json{{"url", url.toStdString()}, {"modelArtifactsInfo", info.toJson()}};
}

bool overwriteAsked(const ServeRequest &request)
{
    const QByteArray value = request.arguments.value("overwrite").toLower();
    return request.arguments.contains("overwrite") && (value.isEmpty() || value == "1" || value == "true");
}

} // namespace

int httpStatusFor(const Error &error)
{
    if (error.status >= 400 && error.status < 600)
        return error.status;
    switch (error.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::Parse:
    case ErrorCode::Format:
    case ErrorCode::Weights:
        return 400;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Exists:
        return 409;
    case ErrorCode::Quota:
        return 507;
    default:
        return 500;
    }
}

ModelEndpoints::ModelEndpoints(const ServeOptions &options, const HandlerOptions &handlerOptions)
    : m_options(options), m_registry(makeDefaultRegistry(handlerOptions)),
      m_storeDir(storeDirectory(handlerOptions)), m_port(options.port)
{
    m_registry.setDurability(handlerOptions.durability);
}

void ModelEndpoints::setPort(quint16 port)
{
    m_port = port;
}

CorsPolicy ModelEndpoints::cors() const
{
    return CorsPolicy(m_options.allowedOrigins, m_options.bind, m_port);
}

ServeResponse ModelEndpoints::answer(const ServeRequest &request, int status, const Json &body) const
{
    ServeResponse response;
    response.status = status;
    response.body = QByteArray::fromStdString(stringify(body));
    response.headers = cors().responseHeaders(request.header("origin"));
    response.headers.emplaceBack("Cache-Control", "no-store");
    return response;
}

ServeResponse ModelEndpoints::refuse(const ServeRequest &request, const Error &error) const
{
    const int status = httpStatusFor(error);
    if (onFailed)
        onFailed(QStringLiteral("%1 %2: %3")
                     .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.rawPath),
                          error.message),
                 status);
    ServeResponse response = answer(
        request, status,
        Json{{"error", error.message.toStdString()}, {"code", errorCodeName(error.code).toStdString()}});
    if (status == 401)
        response.headers.emplaceBack("WWW-Authenticate", "Bearer");
    return response;
}

std::optional<Error> ModelEndpoints::checkToken(const ServeRequest &request, bool required) const
{
    if (m_options.token.isEmpty()) {
        if (!required)
            return std::nullopt;
        return statusError(403, QStringLiteral("Removing a model needs a token: start the server "
                                               "with --token and send 'Authorization: Bearer "
                                               "<token>'."));
    }
    const QByteArray expected = "Bearer " + m_options.token.toUtf8();
    const QByteArray given = request.header("authorization");
    if (given.size() == expected.size()
        && CRYPTO_memcmp(given.constData(), expected.constData(), size_t(given.size())) == 0)
        return std::nullopt;
    return statusError(401, given.isEmpty()
                                ? QStringLiteral("This server needs 'Authorization: Bearer <token>' "
                                                 "for writes.")
                                : QStringLiteral("The Authorization header does not hold this "
                                                 "server's token."));
}

std::variant<ServeResponse, ServeHandler::Upload> ModelEndpoints::begin(const ServeRequest &request)
{
    const CorsPolicy policy = cors();
    const QByteArray host = request.header("host");
    if (!policy.hostAllowed(host))
        return refuse(request, statusError(403, QStringLiteral("The Host '%1' is not this server's "
                                                               "address (DNS rebinding guard).")
                                                    .arg(QString::fromUtf8(host))));
    auto where = route(request.method, request.rawPath);
    if (!where)
        return refuse(request, where.error());
    const QByteArray origin = request.header("origin");
    if (!policy.originAllowed(origin))
        return refuse(request, statusError(403, QStringLiteral("The origin '%1' may not use this "
                                                               "server (allowed: --allow-origin).")
                                                    .arg(QString::fromUtf8(origin))));
    const QString url = ModelUrl::make(m_options.scheme, where->modelPath);
    switch (where->kind) {
    case RouteKind::Preflight: {
        ServeResponse response;
        response.status = 204;
        response.contentType.clear();
        response.headers = policy.preflightHeaders(origin, request.header("access-control-request-headers"));
        return response;
    }
    case RouteKind::List:
        return list(request);
    case RouteKind::ModelJson:
        return modelJson(request, where->modelPath);
    case RouteKind::Weights:
        return weights(request, where->modelPath, where->version);
    case RouteKind::Delete:
        if (auto denied = checkToken(request, true))
            return refuse(request, *denied);
        return remove(request, where->modelPath);
    case RouteKind::Save:
        break;
    }
    if (auto denied = checkToken(request, false))
        return refuse(request, *denied);
    if (!overwriteAsked(request)) {
        auto handler = m_registry.handlerFor(url);
        auto taken = handler ? (*handler)->hasModel() : Result<bool>(fail(handler.error()));
        if (!taken)
            return refuse(request, taken.error());
        if (*taken)
            return refuse(request, statusError(409, QStringLiteral("The store already holds a model "
                                                                   "at '%1'; add ?overwrite=1 to "
                                                                   "replace it (the old one goes "
                                                                   "to the store's trash).")
                                                        .arg(where->modelPath)));
    }
    // Uploads spool where the store keeps its files, so the blob can be the spool itself; a
    // store elsewhere (team://) spools in the temporary folder.
    const QString spool = m_registry.spoolFolderFor(url);
    if (spool.isEmpty() && m_options.scheme != QLatin1String("indexeddb"))
        return Upload{QDir::tempPath()};
    if (!QDir().mkpath(m_storeDir))
        return refuse(request, Error(ErrorCode::Io, QStringLiteral("Cannot create the store folder '%1'.")
                                                        .arg(m_storeDir)));
    return Upload{m_storeDir};
}

ServeResponse ModelEndpoints::finish(const ServeRequest &request, const Result<UploadSpool *> &upload)
{
    if (!upload)
        return refuse(request, upload.error());
    auto where = route(request.method, request.rawPath);
    if (!where)
        return refuse(request, where.error());
    const QString url = ModelUrl::make(m_options.scheme, where->modelPath);
    auto artifacts = (*upload)->finish(url);
    if (!artifacts)
        return refuse(request, artifacts.error());
    JobContext ctx;
    auto saved = m_registry.save(url, *artifacts, ctx,
                                 overwriteAsked(request) ? Existing::Replace : Existing::Refuse);
    if (!saved) {
        Error error = saved.error();
        if (isExistsError(error))
            error.message += QStringLiteral(" Add ?overwrite=1 to replace it.");
        return refuse(request, error);
    }
    if (onStored)
        onStored(url, saved->modelArtifactsInfo);
    return answer(request, 200, savedJson(url, saved->modelArtifactsInfo));
}

ServeResponse ModelEndpoints::list(const ServeRequest &request) const
{
    auto models = ModelManager(m_registry).listModels(m_options.scheme);
    if (!models)
        return refuse(request, models.error());
    Json body = Json::object();
    for (const StoredModel &model : *models)
        appendNewKey(body, ModelUrl::make(m_options.scheme, model.path).toStdString(), model.info.toJson());
    return answer(request, 200, body);
}

ServeResponse ModelEndpoints::modelJson(const ServeRequest &request, const QString &path) const
{
    // Read without weights and kept: the weights GET finds this version's weights by their
    // hash (both stores content-address them) whatever happens to the model meanwhile.
    JobContext ctx;
    auto artifacts = m_registry.load(ModelUrl::make(m_options.scheme, path), ctx,
                                     LoadOptions::withoutWeights());
    if (!artifacts)
        return refuse(request, artifacts.error());
    const std::string weightsName = artifacts->weightsHash.isEmpty()
        ? std::string(kWeightsName) // no weights
        : taggedWeightsName(m_served.remember(artifacts->weightsHash)).toStdString();
    return answer(request, 200,
                  tfjs::modelJson(*artifacts, singleGroupManifest(*artifacts, weightsName),
                                  JsonLayout::Browser));
}

ServeResponse ModelEndpoints::weights(const ServeRequest &request, const QString &path,
                                      const QString &version) const
{
    std::optional<ModelArtifacts> artifacts;
    if (!version.isEmpty()) {
        const std::optional<QString> hash = m_served.find(version);
        if (!hash)
            return refuse(request, statusError(410, QStringLiteral(
                "The weights %1 of '%2' are no longer kept (the server keeps those of the last 16 "
                "model.json requests for 10 minutes); load its model.json again.")
                .arg(taggedWeightsName(version), path)));
        LoadOptions options;
        options.weightsHash = *hash;
        JobContext ctx;
        auto loaded = m_registry.load(ModelUrl::make(m_options.scheme, path), ctx, options);
        if (!loaded) {
            Error error = loaded.error();
            if (error.code == ErrorCode::NotFound) { // replaced or removed, and the trash emptied
                error.status = 410;
                error.message += QStringLiteral(" Load its model.json again.");
            }
            return refuse(request, error);
        }
        artifacts = std::move(*loaded);
    } else {
        JobContext ctx;
        auto loaded = m_registry.load(ModelUrl::make(m_options.scheme, path), ctx);
        if (!loaded)
            return refuse(request, loaded.error());
        artifacts = std::move(*loaded);
    }
    ServeResponse response = answer(request, 200, Json());
    response.body.clear();
    response.contentType = "application/octet-stream";
    response.weights = artifacts->weightData;
    return response;
}

ServeResponse ModelEndpoints::remove(const ServeRequest &request, const QString &path) const
{
    const QString url = ModelUrl::make(m_options.scheme, path);
    auto removed = ModelManager(m_registry).removeModel(url);
    if (!removed)
        return refuse(request, removed.error());
    return answer(request, 200, savedJson(url, *removed));
}

} // namespace tfjs
